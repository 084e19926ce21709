locals {
  endpoint_alarms = {
    for pair in setproduct(keys(var.model_endpoints), ["Invocation4XXErrors", "Invocation5XXErrors"]) :
    "${pair[0]}-${lower(pair[1])}" => {
      endpoint = pair[0]
      metric   = pair[1]
    }
  }
}

resource "aws_cloudwatch_metric_alarm" "endpoint_errors" {
  for_each = var.model_endpoints

  alarm_name          = "${each.key}-errors"
  alarm_description   = "5XX errors on ${each.key} exceeded ${var.error_threshold}%"
  comparison_operator = "GreaterThanOrEqualToThreshold"
  evaluation_periods  = 2
  threshold           = var.error_threshold
  treat_missing_data  = "notBreaching"

  metric_query {
    id          = "error_rate"
    expression  = "100 * errors / MAX([errors, invocations])"
    label       = "Error rate (%)"
    return_data = true
  }

  metric_query {
    id = "errors"
    metric {
      metric_name = "Invocation5XXErrors"
      namespace   = "AWS/SageMaker"
      period      = 300
      stat        = "Sum"
      dimensions = {
        EndpointName = each.key
        VariantName  = "AllTraffic"
      }
    }
  }

  metric_query {
    id = "invocations"
    metric {
      metric_name = "Invocations"
      namespace   = "AWS/SageMaker"
      period      = 300
      stat        = "Sum"
      dimensions = {
        EndpointName = each.key
        VariantName  = "AllTraffic"
      }
    }
  }

  alarm_actions = [aws_sns_topic.alerts.arn]
  ok_actions    = [aws_sns_topic.alerts.arn]
}

resource "aws_cloudwatch_metric_alarm" "per_metric" {
  for_each            = local.endpoint_alarms
  alarm_name          = each.key
  namespace           = "AWS/SageMaker"
  metric_name         = each.value.metric
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = each.value.metric == "Invocation5XXErrors" ? 1 : 25
  comparison_operator = "GreaterThanThreshold"

  dimensions = {
    EndpointName = each.value.endpoint
  }
}

resource "aws_cloudwatch_dashboard" "ml" {
  dashboard_name = "ml-${var.environment}"
  dashboard_body = jsonencode({
    widgets = [
      for i, name in keys(var.model_endpoints) : {
        type   = "metric"
        x      = (i % 2) * 12
        y      = floor(i / 2) * 6
        width  = 12
        height = 6
        properties = {
          title   = "Latency: ${name}"
          region  = var.primary_region
          metrics = [["AWS/SageMaker", "ModelLatency", "EndpointName", name, { stat = "p99" }]]
        }
      }
    ]
  })
}
