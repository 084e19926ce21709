import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (inline CMK, linked companion, an identity that leaves the module is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'companion linked by literal ARM ID, in another file',
      files: {
        'main.tf': 'resource "azurerm_cognitive_account" "a" {\n  name = "acme-openai"\n  kind = "OpenAI"\n  identity {\n    type = "SystemAssigned"\n  }\n}\n',
        'cmk.tf':
          'resource "azurerm_cognitive_account_customer_managed_key" "k" {\n  cognitive_account_id = "/subscriptions/s/resourceGroups/ml/providers/Microsoft.CognitiveServices/accounts/acme-openai"\n  key_vault_key_id     = "https://kv.vault.azure.net/keys/k/1"\n}\n',
      },
    },
    { name: 'a companion whose link is a variable is unknown', code: 'resource "azurerm_cognitive_account" "a" {\n  kind = "OpenAI"\n}\n\nresource "azurerm_cognitive_account_customer_managed_key" "k" {\n  cognitive_account_id = var.account_id\n  key_vault_key_id     = "k"\n}\n' },
    { name: 'other kinds are out of scope', code: 'resource "azurerm_cognitive_account" "a" {\n  kind = "TextAnalytics"\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no CMK, restricted data = high, CMK without identity)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'medium', message: 'Microsoft-managed key' },
        { at: '7:1-7:44', severity: 'high', message: 'restricted data' },
        { at: '16:1-16:51', severity: 'medium', message: 'no identity block' },
      ],
    },
    {
      name: 'with report_unknown, an account whose id leaves the module is one info note at its header',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '31:1-31:48', severity: 'info', message: 'could not evaluate tf-azure-ai-cmk: an azurerm_cognitive_account_customer_managed_key outside this module' }],
    },
    {
      name: 'quick fix (placeholder): customer_managed_key and a user-assigned identity to fill in',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
}
`,
      errors: [{ at: '1:1-1:46', severity: 'medium', message: 'Microsoft-managed key' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"

  identity {
    type         = "UserAssigned"
    identity_ids = ["REPLACE_ME"]
  }

  customer_managed_key {
    key_vault_key_id   = "REPLACE_ME"
    identity_client_id = "REPLACE_ME"
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): only customer_managed_key when the account has an identity',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"

  identity {
    type = "SystemAssigned"
  }
}
`,
      errors: [{ at: '1:1-1:46', severity: 'medium', message: 'Microsoft-managed key' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"

  identity {
    type = "SystemAssigned"
  }

  customer_managed_key {
    key_vault_key_id = "REPLACE_ME"
  }
}
`,
    },
  ],
});
