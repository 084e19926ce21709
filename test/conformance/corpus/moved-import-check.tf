moved {
  from = aws_s3_bucket.raw
  to   = aws_s3_bucket.zone["raw"]
}

moved {
  from = module.registry
  to   = module.model_registry["vision"]
}

import {
  to = aws_s3_bucket.zone["monitoring"]
  id = "acme-ml-monitoring-${var.environment}"
}

import {
  for_each = var.legacy_roles
  to       = aws_iam_role.legacy[each.key]
  id       = each.value
}

removed {
  from = aws_sagemaker_notebook_instance.legacy

  lifecycle {
    destroy = false
  }
}

check "endpoint_health" {
  data "http" "ranker" {
    url = "https://${var.public_hostname}/healthz"
    request_headers = {
      Accept = "application/json"
    }
  }

  assert {
    condition     = data.http.ranker.status_code == 200
    error_message = "The ranker endpoint returned HTTP ${data.http.ranker.status_code}."
  }
}

check "bucket_encryption" {
  assert {
    condition = alltrue([
      for k, b in aws_s3_bucket_server_side_encryption_configuration.zone :
      one(b.rule[*].apply_server_side_encryption_by_default[0].sse_algorithm) == "aws:kms"
    ])
    error_message = "Every data lake bucket must use SSE-KMS."
  }
}
