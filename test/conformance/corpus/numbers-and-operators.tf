locals {
  integer          = 42
  negative         = -2
  negative_float   = -0.75
  trailing_zero    = 1.50
  exponent         = 1e3
  exponent_signed  = 2.5e-3
  exponent_upper   = 6E2
  exponent_plus    = 1E+2
  big              = 9007199254740993
  zero             = 0
  fraction         = 0.1
  not_true         = !true
  in_string        = "threshold=${1.50} ratio=${2.5e-3} big=${1e21} small=${1e-7}"
  bools_in_string  = "enabled=${true} disabled=${false} none=${null}"
  negative_interp  = "offset=${-5}"
  arithmetic       = 60 * 60 * 24
  modulo           = var.index % 3
  comparison       = var.replicas >= 2 && var.replicas <= 10
  parenthesised    = (var.base + 1) * 2
  negated_variable = -var.offset
  not_variable     = !var.enabled
  literal_paren    = (5)
  ternary_numbers  = var.enable_gpu ? 1.5 : 0.25
  list_of_numbers  = [1, 2.0, 3e1, -4, 0.005]
  map_of_numbers   = { small = 0.01, large = 1e6, neg = -1e-2 }
  numeric_keys     = { 1 = "one", 2.50 = "two and a half" }
}

resource "aws_cloudwatch_metric_alarm" "latency" {
  alarm_name          = "model-latency-p99"
  comparison_operator = "GreaterThanThreshold"
  evaluation_periods  = 3
  datapoints_to_alarm = 2
  threshold           = 1.5e3
  period              = 60
  extended_statistic  = "p99"
  metric_name         = "ModelLatency"
  namespace           = "AWS/SageMaker"
  treat_missing_data  = "notBreaching"
}
