import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (disabled, other kind, a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'kinds can narrow the scope', code: 'resource "azurerm_cognitive_account" "a" {\n  kind = "OpenAI"\n}\n', params: { kinds: ['AIServices'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (default true, explicit true)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'high', message: 'local_auth_enabled is not set, default true' },
        { at: '10:34-10:38', severity: 'high', message: 'local_authentication_enabled = true' },
      ],
    },
    {
      name: 'AIServices kind on a cognitive account',
      code: 'resource "azurerm_cognitive_account" "a" {\n  kind               = "AIServices"\n  local_auth_enabled = true\n}\n',
      errors: [{ at: '3:24-3:28', message: 'AIServices' }],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '24:24-24:38', severity: 'info', message: 'could not evaluate tf-azure-ai-local-auth: depends on var.local_auth' }],
    },
    {
      name: 'quick fix: inserts local_auth_enabled = false',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
}
`,
      errors: [{ at: '1:1-1:46', severity: 'high', message: 'local_auth_enabled' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name               = "acme-openai"
  kind               = "OpenAI"
  sku_name           = "S0"
  local_auth_enabled = false
}
`,
    },
    {
      name: 'quick fix: sets local_authentication_enabled = false on azurerm_ai_services',
      code: `resource "azurerm_ai_services" "hub" {
  name                         = "acme-ai"
  sku_name                     = "S0"
  local_authentication_enabled = true
}
`,
      errors: [{ at: '4:34-4:38', severity: 'high', message: 'local_authentication_enabled' }],
      output: `resource "azurerm_ai_services" "hub" {
  name                         = "acme-ai"
  sku_name                     = "S0"
  local_authentication_enabled = false
}
`,
    },
  ],
});
