resource "aws_sagemaker_model" "model" {
  for_each = var.model_endpoints

  name               = "${each.key}-${var.environment}"
  execution_role_arn = aws_iam_role.inference.arn

  primary_container {
    image          = each.value.image
    model_data_url = each.value.model_data_url
    environment = {
      SAGEMAKER_PROGRAM          = "inference.py"
      SAGEMAKER_SUBMIT_DIRECTORY = "/opt/ml/model/code"
      MODEL_NAME                 = each.key
      TS_MAX_RESPONSE_SIZE       = "20000000"
    }
  }

  vpc_config {
    subnets            = module.vpc.private_subnets
    security_group_ids = [aws_security_group.inference.id]
  }
}

resource "aws_sagemaker_endpoint_configuration" "model" {
  for_each = var.model_endpoints
  name     = "${each.key}-${substr(sha1(jsonencode(each.value)), 0, 8)}"

  dynamic "production_variants" {
    for_each = each.value.variants
    content {
      variant_name           = production_variants.value.name
      model_name             = aws_sagemaker_model.model[each.key].name
      initial_instance_count = each.value.instance_count
      instance_type          = "ml.g5.xlarge"
      initial_variant_weight = production_variants.value.weight
    }
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 20
    destination_s3_uri          = "s3://${aws_s3_bucket.zone["monitoring"].bucket}/capture/${each.key}"

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }

    capture_content_type_header {
      json_content_types = ["application/json"]
    }
  }

  kms_key_arn = aws_kms_key.data[0].arn

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_sagemaker_endpoint" "model" {
  for_each             = var.model_endpoints
  name                 = each.key
  endpoint_config_name = aws_sagemaker_endpoint_configuration.model[each.key].name

  deployment_config {
    blue_green_update_policy {
      traffic_routing_configuration {
        type                     = "CANARY"
        wait_interval_in_seconds = 300

        canary_size {
          type  = "CAPACITY_PERCENT"
          value = 10
        }
      }
      maximum_execution_timeout_in_seconds = 3600
    }

    auto_rollback_configuration {
      alarms {
        alarm_name = aws_cloudwatch_metric_alarm.endpoint_errors[each.key].alarm_name
      }
    }
  }
}
