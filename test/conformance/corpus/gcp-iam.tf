locals {
  team_roles = {
    "group:ml-engineers@example.com" = ["roles/aiplatform.user", "roles/bigquery.dataEditor"]
    "group:ml-readers@example.com"   = ["roles/aiplatform.viewer", "roles/bigquery.dataViewer"]
  }

  bindings = flatten([
    for member, roles in local.team_roles : [
      for role in roles : {
        member = member
        role   = role
      }
    ]
  ])

  sa_pairs = setproduct(["trainer", "server"], ["roles/storage.objectViewer", "roles/logging.logWriter"])
}

resource "google_project_iam_member" "team" {
  for_each = { for b in local.bindings : "${b.member}/${b.role}" => b }
  project  = var.project_id
  role     = each.value.role
  member   = each.value.member
}

resource "google_service_account" "workload" {
  for_each     = toset(["trainer", "server"])
  account_id   = "ml-${each.key}"
  display_name = "ML ${title(each.key)}"
}

resource "google_project_iam_member" "workload" {
  for_each = { for p in local.sa_pairs : "${p[0]}-${p[1]}" => p }
  project  = var.project_id
  role     = each.value[1]
  member   = "serviceAccount:${google_service_account.workload[each.value[0]].email}"

  condition {
    title       = "business-hours"
    description = "Only during business hours"
    expression  = "request.time.getHours(\"Europe/Berlin\") >= 8 && request.time.getHours(\"Europe/Berlin\") < 20"
  }
}

resource "google_service_account_iam_member" "wi" {
  for_each           = google_service_account.workload
  service_account_id = each.value.name
  role               = "roles/iam.workloadIdentityUser"
  member             = "serviceAccount:${var.project_id}.svc.id.goog[ml/${each.key}]"
}
