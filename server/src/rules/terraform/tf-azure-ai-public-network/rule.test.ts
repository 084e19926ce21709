import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const openai = (body: string) => `resource "azurerm_cognitive_account" "a" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
${body}}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (closed accounts, other kind, a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'a kind from a variable is unknown', code: 'resource "azurerm_cognitive_account" "a" {\n  kind = var.kind\n}\n' },
    { name: 'kinds can narrow the scope', code: openai(''), params: { kinds: ['AIServices'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (default on, Enabled, ACL-restricted = medium)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'high', message: 'public_network_access_enabled is not set (default true)' },
        { at: '14:27-14:36', severity: 'high', message: 'public_network_access = "Enabled"' },
        { at: '23:35-23:39', severity: 'medium', message: 'denies by default' },
      ],
    },
    {
      name: 'an ip_rules entry wider than max_ip_rule_prefix keeps high',
      code: openai('  public_network_access_enabled = true\n  network_acls {\n    default_action = "Deny"\n    ip_rules       = ["10.0.0.0/8"]\n  }\n'),
      errors: [{ at: '5:35-5:39', severity: 'high' }],
    },
    {
      name: 'default_action Allow keeps high',
      code: openai('  network_acls {\n    default_action = "Allow"\n  }\n'),
      errors: [{ at: '1:1-1:41', severity: 'high' }],
    },
    {
      name: '"all" kinds includes any cognitive account',
      code: 'resource "azurerm_cognitive_account" "v" {\n  kind = "ComputerVision"\n}\n',
      params: { kinds: ['all'] },
      errors: [{ at: '1:1-1:41', message: 'ComputerVision' }],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '33:35-33:52', severity: 'info', message: 'could not evaluate tf-azure-ai-public-network: depends on var.public_access' }],
    },
    {
      name: 'quick fix: inserts public_network_access_enabled = false',
      code: `resource "azurerm_cognitive_account" "openai" {
  name     = "acme-openai"
  kind     = "OpenAI"
  sku_name = "S0"
}
`,
      errors: [{ at: '1:1-1:46', severity: 'high', message: 'accepts traffic from the public internet' }],
      output: `resource "azurerm_cognitive_account" "openai" {
  name                          = "acme-openai"
  kind                          = "OpenAI"
  sku_name                      = "S0"
  public_network_access_enabled = false
}
`,
    },
    {
      name: 'quick fix: sets public_network_access = "Disabled" on azurerm_ai_services',
      code: `resource "azurerm_ai_services" "hub" {
  name                  = "acme-ai"
  sku_name              = "S0"
  public_network_access = "Enabled"
}
`,
      errors: [{ at: '4:27-4:36', severity: 'high', message: 'accepts traffic from the public internet' }],
      output: `resource "azurerm_ai_services" "hub" {
  name                  = "acme-ai"
  sku_name              = "S0"
  public_network_access = "Disabled"
}
`,
    },
  ],
});
