import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (locked policy; eval not in immutable_types; period from a variable)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'an unlocked policy passes when require_locked is false',
      code: 'resource "google_storage_bucket" "b" {\n  retention_policy {\n    retention_period = 15811200\n  }\n  labels = {\n    ai-asset-type = "model"\n  }\n}\n',
      params: { require_locked: false },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no protection; short unlocked policy)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:42', severity: 'high', message: 'nothing stops them' },
        { at: '15:24-15:29', severity: 'high', message: 'at least 15811200' },
        { at: '14:3-14:19', severity: 'high', message: 'not locked' },
      ],
    },
    {
      name: 'fixture fail2.tf (object retention with versioning: info; without versioning: high)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '4:29-4:33', severity: 'info', message: 'Verify that writers set retention' },
        { at: '18:29-18:33', severity: 'high', message: 'without versioning' },
      ],
    },
    {
      name: 'with report_unknown, a period from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '29:24-29:51', severity: 'info', message: /could not evaluate tf-gcp-gcs-retention-lock: .*var\.audit_retention_seconds/ }],
    },
    {
      name: 'explicit is_locked = false',
      code: 'resource "google_storage_bucket" "b" {\n  retention_policy {\n    retention_period = 15811200\n    is_locked        = false\n  }\n  labels = {\n    ai-asset-type = "audit-log"\n  }\n}\n',
      errors: [{ at: '4:24-4:29', severity: 'high', message: 'not locked' }],
    },
    {
      name: 'quick fix: inserts an unlocked retention_policy (require_locked: false)',
      code: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  labels = {
    ai-asset-type = "model"
  }
}
`,
      params: { require_locked: false },
      errors: [{ at: '1:1-1:42', severity: 'high', message: 'nothing stops them' }],
      output: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  labels = {
    ai-asset-type = "model"
  }

  retention_policy {
    retention_period = 15811200
  }
}
`,
    },
    {
      name: 'quick fix (partial): the unlocked retention_policy leaves the lock to a person',
      code: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  soft_delete_policy {
    retention_duration_seconds = 604800
  }

  labels = {
    ai-asset-type = "model"
  }
}
`,
      errors: [{ at: '1:1-1:42', severity: 'high', message: 'nothing stops them' }],
      output: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  soft_delete_policy {
    retention_duration_seconds = 604800
  }

  labels = {
    ai-asset-type = "model"
  }

  retention_policy {
    retention_period = 15811200
  }
}
`,
    },
    {
      name: 'quick fix: raises retention_period; no fix for is_locked (Bucket Lock is irreversible)',
      code: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  retention_policy {
    retention_period = 86400
  }

  labels = {
    ai-asset-type = "model"
  }
}
`,
      errors: [{ at: '5:3-5:19', severity: 'high', message: 'is not locked' }, { at: '6:24-6:29', severity: 'high', message: 'retention_period of' }],
      output: `resource "google_storage_bucket" "models" {
  name     = "acme-ml-models"
  location = "EU"

  retention_policy {
    retention_period = 15811200
  }

  labels = {
    ai-asset-type = "model"
  }
}
`,
    },
  ],
});
