import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (versioned data asset; locked retention policy; flag from a variable)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'scope data_assets skips other buckets',
      code: 'resource "google_storage_bucket" "b" {\n  name     = "b"\n  location = "EU"\n}\n',
      params: { scope: 'data_assets' },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (data asset without versioning: high; versioning off: medium; soft delete off: low)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:42', severity: 'high', message: 'Data-asset bucket' },
        { at: '15:15-15:20', severity: 'medium', message: 'enabled = false' },
        { at: '19:34-19:35', severity: 'low', message: 'Soft delete is disabled' },
      ],
    },
    {
      name: 'with report_unknown, a flag from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '29:15-29:37', severity: 'info', message: /could not evaluate tf-gcp-gcs-versioning: .*var\.versioning_enabled/ }],
    },
    {
      name: 'a plain bucket without versioning is medium',
      code: 'resource "google_storage_bucket" "b" {\n  name     = "b"\n  location = "EU"\n}\n',
      errors: [{ at: '1:1-1:37', severity: 'medium', message: 'keeps no object versions' }],
    },
    {
      name: 'quick fix: inserts versioning { enabled = true }',
      code: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  labels = {
    ai-asset-type = "model"
  }
}
`,
      errors: [{ at: '1:1-1:42', severity: 'high', message: 'keeps no object versions' }],
      output: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  labels = {
    ai-asset-type = "model"
  }

  versioning {
    enabled = true
  }
}
`,
    },
    {
      name: 'quick fix: sets versioning.enabled = true',
      code: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  versioning {
    enabled = false
  }

  labels = {
    ai-asset-type = "model"
  }
}
`,
      errors: [{ at: '6:15-6:20', severity: 'high', message: 'enabled = false' }],
      output: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  versioning {
    enabled = true
  }

  labels = {
    ai-asset-type = "model"
  }
}
`,
    },
  ],
});
