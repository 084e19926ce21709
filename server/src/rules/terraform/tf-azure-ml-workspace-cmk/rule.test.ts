import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const ENCRYPTED = '  encryption {\n    key_vault_id = "kv"\n    key_id       = "k"\n  }\n';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (CMK, HBI for restricted data, identity access, a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'identity datastore auth not required when the param is off; HBI not needed without sensitive tags',
      code: `resource "azurerm_machine_learning_workspace" "w" {\n${ENCRYPTED}  tags = {\n    data-classification = "internal"\n  }\n}\n`,
      params: { require_identity_datastore_auth: false },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no CMK, confidential without HBI, AccessKey)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:51', severity: 'medium', message: 'Microsoft-managed key' },
        { at: '1:1-1:51', severity: 'medium', message: 'high_business_impact is not set' },
        { at: '5:33-5:44', severity: 'medium', message: 'storage_account_access_type = "AccessKey"' },
      ],
    },
    {
      name: 'high_business_impact = false on restricted data; access type absent',
      code: `resource "azurerm_machine_learning_workspace" "w" {\n  high_business_impact = false\n${ENCRYPTED}  tags = {\n    data-classification = "restricted"\n  }\n}\n`,
      errors: [
        { at: '2:26-2:31', message: 'high_business_impact = false' },
        { at: '1:1-1:50', message: 'default "AccessKey"' },
      ],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '27:33-27:51', severity: 'info', message: 'could not evaluate tf-azure-ml-workspace-cmk: depends on var.datastore_auth' }],
    },
    {
      name: 'quick fix: inserts storage_account_access_type = "Identity" (no fix for encryption)',
      code: `resource "azurerm_machine_learning_workspace" "ml" {
  name                = "acme-ml"
  location            = "westeurope"
  resource_group_name = "ml"

  encryption {
    key_vault_id = azurerm_key_vault.ml.id
    key_id       = azurerm_key_vault_key.ml.id
  }
}
`,
      errors: [{ at: '1:1-1:51', severity: 'medium', message: 'storage_account_access_type is not set' }],
      output: `resource "azurerm_machine_learning_workspace" "ml" {
  name                        = "acme-ml"
  location                    = "westeurope"
  resource_group_name         = "ml"
  storage_account_access_type = "Identity"

  encryption {
    key_vault_id = azurerm_key_vault.ml.id
    key_id       = azurerm_key_vault_key.ml.id
  }
}
`,
    },
    {
      name: 'no quick fix for encryption or high_business_impact (ForceNew, need a key or a decision)',
      code: `resource "azurerm_machine_learning_workspace" "ml" {
  name                        = "acme-ml"
  location                    = "westeurope"
  resource_group_name         = "ml"
  storage_account_access_type = "Identity"
  high_business_impact        = false

  tags = {
    data-classification = "restricted"
  }
}
`,
      errors: [{ at: '1:1-1:51', severity: 'medium', message: 'Microsoft-managed key' }, { at: '6:33-6:38', severity: 'medium', message: 'high_business_impact = false' }],
      output: `resource "azurerm_machine_learning_workspace" "ml" {
  name                        = "acme-ml"
  location                    = "westeurope"
  resource_group_name         = "ml"
  storage_account_access_type = "Identity"
  high_business_impact        = false

  tags = {
    data-classification = "restricted"
  }
}
`,
    },
  ],
});
