import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const ACCOUNT = 'resource "azurerm_cognitive_account" "a" {\n  name = "acme-openai"\n  kind = "OpenAI"\n}\n';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (audit group, both categories, a category from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'setting in another file, linked by literal ARM ID, allLogs',
      files: {
        'main.tf': ACCOUNT,
        'diag.tf':
          'resource "azurerm_monitor_diagnostic_setting" "d" {\n  target_resource_id             = "/subscriptions/s/resourceGroups/ml/providers/Microsoft.CognitiveServices/accounts/acme-openai"\n  eventhub_authorization_rule_id = "x"\n  enabled_log {\n    category_group = "allLogs"\n  }\n}\n',
      },
    },
    { name: 'an account whose id leaves the module is unknown', code: `${ACCOUNT}\noutput "id" {\n  value = azurerm_cognitive_account.a.id\n}\n` },
    { name: 'other kinds are out of scope', code: 'resource "azurerm_cognitive_account" "a" {\n  kind = "Face"\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no setting; a setting missing RequestResponse)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'high', message: 'has no diagnostic setting' },
        { at: '7:1-7:37', severity: 'high', message: 'missing log categories RequestResponse' },
      ],
    },
    {
      name: 'diagnostics_via_policy turns a missing setting into info',
      code: ACCOUNT,
      params: { diagnostics_via_policy: true },
      errors: [{ at: '1:1-1:41', severity: 'info', message: 'Azure Policy' }],
    },
    {
      name: 'a setting without destination',
      code: `${ACCOUNT}\nresource "azurerm_monitor_diagnostic_setting" "d" {\n  target_resource_id = azurerm_cognitive_account.a.id\n  enabled_log {\n    category_group = "audit"\n  }\n}\n`,
      errors: [{ at: '1:1-1:41', message: 'no log destination' }],
    },
    {
      name: 'with report_unknown, a category from a variable is one info note at the setting',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '42:1-42:62', severity: 'info', message: 'could not evaluate tf-azure-ai-diagnostic-logs: azurerm_monitor_diagnostic_setting.from_variable enabled_log category_group depends on var.category_group' }],
    },
    {
      name: 'quick fix (placeholder): QF-8 diagnostic setting after the account',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
}
`,
      errors: [{ at: '1:1-1:46', severity: 'high', message: 'has no diagnostic setting' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
}

resource "azurerm_monitor_diagnostic_setting" "openai_diag" {
  name                       = "openai-diag"
  target_resource_id         = azurerm_cognitive_account.openai.id
  log_analytics_workspace_id = "REPLACE_ME"
  enabled_log {
    category = "Audit"
  }
  enabled_log {
    category = "RequestResponse"
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): QF-8 carries count over',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
  count    = 2
}
`,
      errors: [{ at: '1:1-1:46', severity: 'high', message: 'has no diagnostic setting' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
  count    = 2
}

resource "azurerm_monitor_diagnostic_setting" "openai_diag" {
  count                      = length(azurerm_cognitive_account.openai)
  name                       = "openai-diag"
  target_resource_id         = azurerm_cognitive_account.openai[count.index].id
  log_analytics_workspace_id = "REPLACE_ME"
  enabled_log {
    category = "Audit"
  }
  enabled_log {
    category = "RequestResponse"
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): QF-8 carries for_each over',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
  for_each = toset(["a", "b"])
}
`,
      errors: [{ at: '1:1-1:46', severity: 'high', message: 'has no diagnostic setting' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
  for_each = toset(["a", "b"])
}

resource "azurerm_monitor_diagnostic_setting" "openai_diag" {
  for_each                   = azurerm_cognitive_account.openai
  name                       = "openai-diag"
  target_resource_id         = each.value.id
  log_analytics_workspace_id = "REPLACE_ME"
  enabled_log {
    category = "Audit"
  }
  enabled_log {
    category = "RequestResponse"
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): QF-8 with the configured categories',
      code: `resource "azurerm_ai_services" "hub" {
  name     = "acme-ai"
  sku_name = "S0"
}
`,
      params: { required_categories: ['Audit'] },
      errors: [{ at: '1:1-1:37', severity: 'high', message: 'has no diagnostic setting' }],
      output: `resource "azurerm_ai_services" "hub" {
  name     = "acme-ai"
  sku_name = "S0"
}

resource "azurerm_monitor_diagnostic_setting" "hub_diag" {
  name                       = "hub-diag"
  target_resource_id         = azurerm_ai_services.hub.id
  log_analytics_workspace_id = "REPLACE_ME"
  enabled_log {
    category = "Audit"
  }
}
`,
    },
  ],
});
