module "feature_store" {
  source = "./modules/feature-store"

  providers = {
    aws          = aws.training
    aws.us_east_1 = aws.us_east_1
  }

  name_prefix   = local.prefix
  bucket_arn    = aws_s3_bucket.zone["features"].arn
  kms_key_arn   = aws_kms_key.data[0].arn
  online_enabled = true

  feature_groups = {
    customer = {
      record_identifier = "customer_id"
      event_time        = "event_time"
      features = [
        { name = "customer_id", type = "String" },
        { name = "ltv_90d", type = "Fractional" },
      ]
    }
  }

  depends_on = [aws_iam_role_policy.training]
}

module "model_registry" {
  source   = "git::https://github.com/acme/terraform-ml-registry.git//modules/registry?ref=v2.3.1"
  for_each = toset(["vision", "ranking", "nlp"])

  group_name  = "${each.key}-models"
  description = "Registry for the ${each.key} team"
  approvers   = var.approvers[each.key]
}

module "monitoring" {
  source  = "acme/ml-monitoring/aws"
  version = ">= 1.2.0, < 2.0.0"
  count   = var.enable_monitoring ? 1 : 0

  endpoints       = [for k, v in aws_sagemaker_endpoint.model : v.name]
  alarm_topic_arn = aws_sns_topic.alerts.arn
}

module "gcp_mirror" {
  source = "./modules/gcs-mirror"
  providers = {
    google = google.eu
  }
  buckets = { for k, b in google_storage_bucket.ml : k => b.name }
}
