/* CRLF line endings with templates,
   directives and multi-line expressions. */
locals {
  features = [
    for f in var.feature_groups : {
      name    = f.name
      enabled = f.online || f.offline
    }
    if f.name != ""
  ]

  report = <<-EOT
    Feature groups:
    %{~ for f in local.features ~}
      - ${f.name}%{ if f.enabled } (enabled)%{ endif }
    %{~ endfor ~}

    Total: ${length(local.features)}
    EOT

  summary = "groups=%{ for f in local.features }${f.name},%{ endfor }"

  merged = merge(
    var.tags,
    {
      Windows = "yes"
    },
  )
}

resource "aws_sagemaker_feature_group" "customer" {
  feature_group_name             = "customer-features"
  record_identifier_feature_name = "customer_id"
  event_time_feature_name        = "event_time"
  role_arn                       = aws_iam_role.studio_execution.arn

  feature_definition {
    feature_name = "customer_id"
    feature_type = "String"
  }

  feature_definition {
    feature_name = "event_time"
    feature_type = "String"
  }

  feature_definition {
    feature_name = "lifetime_value"
    feature_type = "Fractional"
  }

  online_store_config {
    enable_online_store = true
  }
}
