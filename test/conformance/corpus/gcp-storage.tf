locals {
  buckets = {
    datasets   = { class = "STANDARD", versioned = true, age = 0 }
    models     = { class = "STANDARD", versioned = true, age = 0 }
    embeddings = { class = "STANDARD", versioned = false, age = 30 }
    scratch    = { class = "STANDARD", versioned = false, age = 7 }
  }
}

resource "google_storage_bucket" "ml" {
  for_each                    = local.buckets
  name                        = "${var.project_id}-${each.key}"
  location                    = "EU"
  storage_class               = each.value.class
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = each.key == "scratch"

  versioning {
    enabled = each.value.versioned
  }

  dynamic "lifecycle_rule" {
    for_each = each.value.age > 0 ? [each.value.age] : []
    content {
      condition {
        age = lifecycle_rule.value
      }
      action {
        type = "Delete"
      }
    }
  }

  lifecycle_rule {
    condition {
      num_newer_versions = 3
      with_state         = "ARCHIVED"
    }
    action {
      type = "Delete"
    }
  }

  cors {
    origin          = ["https://labeling.example.com"]
    method          = ["GET", "HEAD"]
    response_header = ["Content-Type"]
    max_age_seconds = 3600
  }

  encryption {
    default_kms_key_name = google_kms_crypto_key.storage.id
  }
}
