locals {
  diagnostic_targets = {
    workspace = azurerm_machine_learning_workspace.ml.id
    keyvault  = azurerm_key_vault.ml.id
    aks       = azurerm_kubernetes_cluster.ml.id
  }
}

data "azurerm_monitor_diagnostic_categories" "target" {
  for_each    = local.diagnostic_targets
  resource_id = each.value
}

resource "azurerm_monitor_diagnostic_setting" "target" {
  for_each                   = local.diagnostic_targets
  name                       = "diag-${each.key}"
  target_resource_id         = each.value
  log_analytics_workspace_id = azurerm_log_analytics_workspace.ml.id

  dynamic "enabled_log" {
    for_each = data.azurerm_monitor_diagnostic_categories.target[each.key].log_category_types
    content {
      category = enabled_log.value
    }
  }

  dynamic "metric" {
    for_each = data.azurerm_monitor_diagnostic_categories.target[each.key].metrics
    content {
      category = metric.value
      enabled  = true
    }
  }
}

resource "azurerm_monitor_metric_alert" "gpu_idle" {
  name                = "gpu-idle-${var.environment}"
  resource_group_name = azurerm_resource_group.ml.name
  scopes              = [azurerm_kubernetes_cluster.ml.id]
  description         = "GPU nodes idle for more than ${var.idle_minutes} minutes"
  severity            = 3
  frequency           = "PT5M"
  window_size         = "PT30M"

  criteria {
    metric_namespace = "Microsoft.ContainerService/managedClusters"
    metric_name      = "node_gpu_utilization"
    aggregation      = "Average"
    operator         = "LessThan"
    threshold        = 5.0

    dimension {
      name     = "node"
      operator = "Include"
      values   = ["*"]
    }
  }

  action {
    action_group_id = azurerm_monitor_action_group.ml_oncall.id
  }
}
