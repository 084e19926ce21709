resource "azurerm_cosmosdb_account" "features" {
  name                = "cosmos-features-${var.environment}"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  offer_type          = "Standard"
  kind                = "GlobalDocumentDB"

  automatic_failover_enabled = true

  consistency_policy {
    consistency_level       = "BoundedStaleness"
    max_interval_in_seconds = 300
    max_staleness_prefix    = 100000
  }

  geo_location {
    location          = var.location
    failover_priority = 0
    zone_redundant    = true
  }

  geo_location {
    location          = var.dr_location
    failover_priority = 1
  }

  capabilities {
    name = "EnableServerless"
  }

  backup {
    type                = "Continuous"
    tier                = "Continuous7Days"
  }
}

resource "azurerm_cosmosdb_sql_container" "online_features" {
  name                = "online-features"
  resource_group_name = azurerm_resource_group.ml.name
  account_name        = azurerm_cosmosdb_account.features.name
  database_name       = azurerm_cosmosdb_sql_database.features.name
  partition_key_paths = ["/entity_id"]
  default_ttl         = 60 * 60 * 24 * 7

  indexing_policy {
    indexing_mode = "consistent"

    included_path {
      path = "/*"
    }

    excluded_path {
      path = "/embedding/?"
    }

    composite_index {
      index {
        path  = "/entity_id"
        order = "Ascending"
      }
      index {
        path  = "/event_time"
        order = "Descending"
      }
    }
  }
}
