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
  ],
});
