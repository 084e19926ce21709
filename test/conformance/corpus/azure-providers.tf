provider "azurerm" {
  features {
    key_vault {
      purge_soft_delete_on_destroy    = false
      recover_soft_deleted_key_vaults = true
    }

    resource_group {
      prevent_deletion_if_contains_resources = true
    }

    machine_learning {
      purge_soft_deleted_workspace_on_destroy = false
    }
  }

  subscription_id     = var.subscription_id
  storage_use_azuread = true
}

provider "azurerm" {
  alias           = "connectivity"
  subscription_id = var.connectivity_subscription_id
  features {}
}

provider "azurerm" {
  alias                      = "dr"
  subscription_id            = var.subscription_id
  skip_provider_registration = true

  features {
    virtual_machine {
      delete_os_disk_on_deletion = true
      graceful_shutdown          = false
    }
  }
}

provider "azuread" {
  tenant_id = var.tenant_id
}
