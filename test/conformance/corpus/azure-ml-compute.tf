resource "azurerm_machine_learning_compute_cluster" "train" {
  for_each = var.compute_clusters

  name                          = each.key
  location                      = azurerm_resource_group.ml.location
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ml.id
  vm_priority                   = each.value.low_priority ? "LowPriority" : "Dedicated"
  vm_size                       = each.value.vm_size
  subnet_resource_id            = azurerm_subnet.ml.id
  local_auth_enabled            = false
  description                   = "Cluster ${each.key}%{ if each.value.low_priority } (low priority, may be pre-empted)%{ endif }"

  scale_settings {
    min_node_count                       = 0
    max_node_count                       = each.value.max_nodes
    scale_down_nodes_after_idle_duration = "PT${each.value.idle_minutes}M"
  }

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.compute.id]
  }

  tags = {
    gpu = tostring(startswith(each.value.vm_size, "Standard_N"))
  }
}

resource "azurerm_machine_learning_compute_instance" "dev" {
  for_each = { for u in var.ml_users : u.alias => u if u.needs_instance }

  name                          = "ci-${each.key}"
  machine_learning_workspace_id = azurerm_machine_learning_workspace.ml.id
  virtual_machine_size          = "Standard_DS3_v2"
  authorization_type            = "personal"
  subnet_resource_id            = azurerm_subnet.ml.id

  assign_to_user {
    object_id = each.value.object_id
    tenant_id = var.tenant_id
  }
}
