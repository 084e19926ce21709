resource "azurerm_storage_account" "ml" {
  name                            = "stml${var.environment}${random_string.suffix.result}"
  resource_group_name             = azurerm_resource_group.ml.name
  location                        = azurerm_resource_group.ml.location
  account_tier                    = "Standard"
  account_replication_type        = var.environment == "prod" ? "GZRS" : "LRS"
  account_kind                    = "StorageV2"
  is_hns_enabled                  = true
  min_tls_version                 = "TLS1_2"
  allow_nested_items_to_be_public = false
  shared_access_key_enabled       = false

  blob_properties {
    versioning_enabled = true

    delete_retention_policy {
      days = 30
    }

    container_delete_retention_policy {
      days = 30
    }
  }

  network_rules {
    default_action             = "Deny"
    bypass                     = ["AzureServices", "Logging", "Metrics"]
    virtual_network_subnet_ids = [azurerm_subnet.aks.id, azurerm_subnet.ml.id]
  }

  identity {
    type = "SystemAssigned"
  }
}

resource "azurerm_storage_data_lake_gen2_filesystem" "zone" {
  for_each           = toset(["bronze", "silver", "gold"])
  name               = each.key
  storage_account_id = azurerm_storage_account.ml.id

  properties = {
    zone = base64encode(each.key)
  }

  ace {
    scope       = "access"
    type        = "group"
    id          = var.data_engineers_group_id
    permissions = "rwx"
  }

  ace {
    scope       = "default"
    type        = "group"
    id          = var.data_engineers_group_id
    permissions = "r-x"
  }
}

resource "azurerm_storage_management_policy" "ml" {
  storage_account_id = azurerm_storage_account.ml.id

  rule {
    name    = "cool-after-30-days"
    enabled = true
    filters {
      prefix_match = ["bronze/", "silver/"]
      blob_types   = ["blockBlob"]
    }
    actions {
      base_blob {
        tier_to_cool_after_days_since_modification_greater_than    = 30
        tier_to_archive_after_days_since_modification_greater_than = 180
        delete_after_days_since_modification_greater_than          = 730
      }
      snapshot {
        delete_after_days_since_creation_greater_than = 90
      }
    }
  }
}
