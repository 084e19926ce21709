import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (disabled on Workbench and legacy notebook; a variable is unknown)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf (no gce_setup; gce_setup without the flag; explicit false)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:48', severity: 'high', message: 'no gce_setup' },
        { at: '10:3-10:12', severity: 'high', message: 'does not set disable_public_ip' },
        { at: '20:25-20:30', severity: 'high', message: 'is false' },
      ],
    },
    {
      name: 'fixture fail2.tf (legacy notebook without no_public_ip)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [{ at: '1:1-1:46', severity: 'high', message: 'legacy' }],
    },
    {
      name: 'with report_unknown, a flag from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '28:25-28:46', severity: 'info', message: /could not evaluate tf-gcp-workbench-no-public-ip: .*var\.disable_public_ip/ }],
    },
    {
      name: 'legacy notebook with no_public_ip = false',
      code: 'resource "google_notebooks_instance" "n" {\n  no_public_ip = false\n}\n',
      errors: [{ at: '2:18-2:23', message: 'no_public_ip = false' }],
    },
  ],
});
