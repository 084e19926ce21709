resource "azurerm_kubernetes_cluster" "ml" {
  name                = "aks-ml-${var.environment}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  dns_prefix          = "aksml${var.environment}"
  kubernetes_version  = "1.29"
  sku_tier            = var.environment == "prod" ? "Standard" : "Free"

  default_node_pool {
    name                = "system"
    vm_size             = "Standard_D4s_v5"
    node_count          = 3
    zones               = ["1", "2", "3"]
    vnet_subnet_id      = azurerm_subnet.aks.id
    only_critical_addons_enabled = true

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin    = "azure"
    network_policy    = "calico"
    load_balancer_sku = "standard"
  }

  oms_agent {
    log_analytics_workspace_id = azurerm_log_analytics_workspace.ml.id
  }

  azure_active_directory_role_based_access_control {
    azure_rbac_enabled     = true
    admin_group_object_ids = [var.aks_admin_group_id]
  }
}

resource "azurerm_kubernetes_cluster_node_pool" "gpu" {
  for_each = {
    for pool in var.gpu_pools : pool.name => pool
  }

  name                  = each.key
  kubernetes_cluster_id = azurerm_kubernetes_cluster.ml.id
  vm_size               = each.value.vm_size
  auto_scaling_enabled  = true
  min_count             = each.value.min
  max_count             = each.value.max
  priority              = each.value.spot ? "Spot" : "Regular"
  eviction_policy       = each.value.spot ? "Delete" : null
  spot_max_price        = each.value.spot ? -1 : null
  node_taints           = ["sku=gpu:NoSchedule"]

  node_labels = {
    "accelerator" = lower(each.value.gpu_model)
    "pool"        = each.key
  }

  dynamic "kubelet_config" {
    for_each = each.value.kubelet == null ? [] : [each.value.kubelet]
    iterator = kc
    content {
      cpu_manager_policy    = kc.value.cpu_manager_policy
      image_gc_high_threshold = kc.value.gc_high
    }
  }
}
