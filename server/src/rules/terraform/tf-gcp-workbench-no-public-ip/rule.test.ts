import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (disabled on Workbench and legacy notebook; a variable is unknown)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf (no gce_setup; gce_setup without the flag; explicit false)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:48', severity: 'high', message: 'does not set gce_setup.disable_public_ip' },
        { at: '10:3-10:12', severity: 'high', message: 'does not set gce_setup.disable_public_ip' },
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
    {
      name: 'quick fix: creates gce_setup { disable_public_ip = true }',
      code: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"
}
`,
      errors: [{ at: '1:1-1:48', severity: 'high', message: 'does not set gce_setup.disable_public_ip' }],
      output: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"

  gce_setup {
    disable_public_ip = true
  }
}
`,
    },
    {
      name: 'quick fix: inserts disable_public_ip into the existing gce_setup',
      code: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"

  gce_setup {
    machine_type = "n1-standard-4"
  }
}
`,
      errors: [{ at: '5:3-5:12', severity: 'high', message: 'does not set gce_setup.disable_public_ip' }],
      output: `resource "google_workbench_instance" "research" {
  name     = "research-workbench"
  location = "europe-west4-a"

  gce_setup {
    machine_type      = "n1-standard-4"
    disable_public_ip = true
  }
}
`,
    },
    {
      name: 'quick fix: sets no_public_ip = true on a legacy notebook',
      code: `resource "google_notebooks_instance" "legacy" {
  name         = "legacy-notebook"
  location     = "europe-west4-a"
  machine_type = "n1-standard-4"
  no_public_ip = false
}
`,
      errors: [{ at: '5:18-5:23', severity: 'high', message: 'no_public_ip = false' }],
      output: `resource "google_notebooks_instance" "legacy" {
  name         = "legacy-notebook"
  location     = "europe-west4-a"
  machine_type = "n1-standard-4"
  no_public_ip = true
}
`,
    },
  ],
});
