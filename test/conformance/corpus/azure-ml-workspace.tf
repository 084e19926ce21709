resource "azurerm_resource_group" "ml" {
  name     = "rg-ml-${var.environment}-${var.location_short}"
  location = var.location
  tags     = local.common_tags
}

resource "azurerm_application_insights" "ml" {
  name                = "appi-ml-${var.environment}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  application_type    = "web"
  retention_in_days   = 90
}

resource "azurerm_key_vault" "ml" {
  name                       = "kv-ml-${var.environment}-${random_string.suffix.result}"
  location                   = azurerm_resource_group.ml.location
  resource_group_name        = azurerm_resource_group.ml.name
  tenant_id                  = data.azurerm_client_config.current.tenant_id
  sku_name                   = "premium"
  purge_protection_enabled   = true
  soft_delete_retention_days = 90

  network_acls {
    bypass         = "AzureServices"
    default_action = "Deny"
    ip_rules       = var.allowed_ip_ranges
  }
}

resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "mlw-${var.environment}"
  location                      = azurerm_resource_group.ml.location
  resource_group_name           = azurerm_resource_group.ml.name
  application_insights_id       = azurerm_application_insights.ml.id
  key_vault_id                  = azurerm_key_vault.ml.id
  storage_account_id            = azurerm_storage_account.ml.id
  container_registry_id         = azurerm_container_registry.ml.id
  public_network_access_enabled = false
  high_business_impact          = var.environment == "prod"
  description                   = "Espace de travail ML — ${upper(var.environment)}"

  identity {
    type = "SystemAssigned"
  }

  encryption {
    key_vault_id = azurerm_key_vault.ml.id
    key_id       = azurerm_key_vault_key.cmk.id
  }

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }

  tags = merge(local.common_tags, {
    "workload" = "machine-learning"
  })
}

resource "azurerm_container_registry" "ml" {
  name                = "acrml${var.environment}${random_string.suffix.result}"
  resource_group_name = azurerm_resource_group.ml.name
  location            = azurerm_resource_group.ml.location
  sku                 = "Premium"
  admin_enabled       = false

  dynamic "georeplications" {
    for_each = var.acr_replica_locations
    content {
      location                = georeplications.value
      zone_redundancy_enabled = true
    }
  }
}
