# Real-time endpoint serving the fraud-scoring model.
resource "aws_kms_key" "inference" {
  description         = "Inference volumes and data captures"
  enable_key_rotation = true
}

resource "aws_sagemaker_endpoint_configuration" "fraud_scoring" {
  name        = "fraud-scoring"
  kms_key_arn = aws_kms_key.inference.arn
  tags        = merge(local.common_tags, { dataset-version = "2025-10-01" })

  production_variants {
    variant_name           = "primary"
    model_name             = "fraud-xgb-3-2-0"
    initial_instance_count = 2
    instance_type          = "ml.p3.2xlarge"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 100
    destination_s3_uri          = "s3://acme-ml-inference-captures/fraud-scoring"
    kms_key_id                  = aws_kms_key.inference.arn

    capture_options {
      capture_mode = "InputAndOutput"
    }
  }
}
