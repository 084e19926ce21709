import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (restricted with and without fqdns, other kind, a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'kinds can narrow the scope', code: 'resource "azurerm_cognitive_account" "a" {\n  kind = "AIServices"\n}\n', params: { kinds: ['OpenAI'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (default false, explicit false)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'medium', message: 'default false' },
        { at: '10:40-10:45', severity: 'medium', message: 'outbound_network_access_restricted = false' },
      ],
    },
    {
      name: '"all" kinds includes any cognitive account',
      code: 'resource "azurerm_cognitive_account" "a" {\n  kind = "FormRecognizer"\n}\n',
      params: { kinds: ['all'] },
      errors: [{ at: '1:1-1:41', message: 'FormRecognizer' }],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '25:40-25:61', severity: 'info', message: 'could not evaluate tf-azure-openai-outbound-restricted: depends on var.restrict_outbound' }],
    },
    {
      name: 'quick fix: inserts outbound_network_access_restricted = true',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
}
`,
      errors: [{ at: '1:1-1:46', severity: 'medium', message: 'outbound_network_access_restricted' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name                               = "acme-openai"
  kind                               = "OpenAI"
  sku_name                           = "S0"
  outbound_network_access_restricted = true
}
`,
    },
    {
      name: 'quick fix: sets outbound_network_access_restricted = true',
      code: `resource "azurerm_ai_services" "hub" {
  name                               = "acme-ai"
  sku_name                           = "S0"
  outbound_network_access_restricted = false
}
`,
      errors: [{ at: '4:40-4:45', severity: 'medium', message: 'outbound_network_access_restricted' }],
      output: `resource "azurerm_ai_services" "hub" {
  name                               = "acme-ai"
  sku_name                           = "S0"
  outbound_network_access_restricted = true
}
`,
    },
  ],
});
