import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (private, approved outbound only, a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'AllowInternetOutbound accepted when allowed',
      code: 'resource "azurerm_machine_learning_workspace" "w" {\n  public_network_access_enabled = false\n  managed_network {\n    isolation_mode = "AllowInternetOutbound"\n  }\n}\n',
      params: { allowed_isolation_modes: ['AllowInternetOutbound', 'AllowOnlyApprovedOutbound'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (defaults; public true and internet outbound)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:57', severity: 'high', message: 'default true' },
        { at: '1:1-1:57', severity: 'medium', message: 'not set (default "Disabled")' },
        { at: '16:35-16:39', severity: 'high', message: 'public_network_access_enabled = true' },
        { at: '19:22-19:45', severity: 'medium', message: 'any internet host' },
      ],
    },
    {
      name: 'managed_network without isolation_mode: at the managed_network header',
      code: 'resource "azurerm_machine_learning_workspace" "w" {\n  public_network_access_enabled = false\n  managed_network {\n  }\n}\n',
      errors: [{ at: '3:3-3:18', severity: 'medium' }],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '21:35-21:52', severity: 'info', message: 'could not evaluate tf-azure-ml-workspace-public-network: depends on var.public_access' }],
    },
    {
      name: 'quick fix: inserts public_network_access_enabled = false',
      code: `resource "azurerm_machine_learning_workspace" "ml" {
  name                = "acme-ml"
  location            = "westeurope"
  resource_group_name = "ml"

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
}
`,
      errors: [{ at: '1:1-1:51', severity: 'high', message: 'is reachable from the public internet' }],
      output: `resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "acme-ml"
  location                      = "westeurope"
  resource_group_name           = "ml"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
}
`,
    },
    {
      name: 'quick fix: creates managed_network with the first allowed isolation mode',
      code: `resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "acme-ml"
  location                      = "westeurope"
  resource_group_name           = "ml"
  public_network_access_enabled = false
}
`,
      errors: [{ at: '1:1-1:51', severity: 'medium', message: 'isolation is not set' }],
      output: `resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "acme-ml"
  location                      = "westeurope"
  resource_group_name           = "ml"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
}
`,
    },
    {
      name: 'quick fix: sets isolation_mode',
      code: `resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "acme-ml"
  location                      = "westeurope"
  resource_group_name           = "ml"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowInternetOutbound"
  }
}
`,
      errors: [{ at: '8:22-8:45', severity: 'medium', message: 'AllowInternetOutbound' }],
      output: `resource "azurerm_machine_learning_workspace" "ml" {
  name                          = "acme-ml"
  location                      = "westeurope"
  resource_group_name           = "ml"
  public_network_access_enabled = false

  managed_network {
    isolation_mode = "AllowOnlyApprovedOutbound"
  }
}
`,
    },
  ],
});
