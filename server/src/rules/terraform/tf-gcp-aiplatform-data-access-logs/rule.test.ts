import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const bucket = 'resource "google_storage_bucket" "models" {\n  name = "m"\n  labels = {\n    ai-asset-type = "model"\n  }\n}\n';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (aiplatform and allServices configs; exemptions from a variable)', code: fixture(__dirname, 'pass.tf') },
    { name: 'no Vertex AI and no data-asset bucket: nothing required', code: 'resource "google_storage_bucket" "b" {\n  name = "b"\n}\n' },
    {
      name: 'an allowed exemption',
      code: fixture(__dirname, 'fail2.tf').replace('log_type         = "DATA_READ"', 'log_type         = "DATA_READ"').replace(/\n  }\n}\n$/, '\n  }\n  audit_log_config {\n    log_type = "DATA_WRITE"\n  }\n}\n'),
      params: { allowed_exemptions: ['serviceAccount:etl@acme-ml-prod.iam.gserviceaccount.com'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no audit config in the workspace: info at the first Vertex resource)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [{ at: '1:1-1:48', severity: 'info', message: 'may be managed elsewhere' }],
    },
    {
      name: 'must_be_in_workspace makes it high',
      code: fixture(__dirname, 'fail.tf'),
      params: { must_be_in_workspace: true },
      errors: [{ at: '1:1-1:48', severity: 'high', message: 'aiplatform.googleapis.com' }],
    },
    {
      name: 'fixture fail2.tf (DATA_WRITE missing; an exempted member)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '1:1-1:45', severity: 'high', message: 'does not cover DATA_WRITE' },
        { at: '13:24-13:83', severity: 'high', message: 'exempts' },
      ],
    },
    {
      name: 'with report_unknown, exemptions from a variable are one info note',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '37:24-37:44', severity: 'info', message: /could not evaluate tf-gcp-aiplatform-data-access-logs: .*var\.audit_exemptions/ }],
    },
    {
      name: 'a data-asset bucket needs storage Data Access logs; ADMIN_READ when required',
      code: bucket + 'resource "google_project_iam_audit_config" "s" {\n  service = "storage.googleapis.com"\n  audit_log_config {\n    log_type = "DATA_READ"\n  }\n  audit_log_config {\n    log_type = "DATA_WRITE"\n  }\n}\n',
      params: { require_admin_read: true },
      errors: [{ at: '1:1-1:42', severity: 'high', message: 'does not cover ADMIN_READ' }],
    },
    {
      name: 'quick fix: QF-9 audit config with the project of the Vertex resource',
      code: `resource "google_vertex_ai_dataset" "claims" {
  project             = "acme-ml-prod"
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}
`,
      errors: [{ at: '1:1-1:45', severity: 'info', message: 'no audit config enabling Data Access logs' }],
      output: `resource "google_vertex_ai_dataset" "claims" {
  project             = "acme-ml-prod"
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}

resource "google_project_iam_audit_config" "aiplatform" {
  project = "acme-ml-prod"
  service = "aiplatform.googleapis.com"
  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): QF-9 with ADMIN_READ and a project to fill in',
      code: `resource "google_vertex_ai_dataset" "claims" {
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}
`,
      params: { require_admin_read: true },
      errors: [{ at: '1:1-1:45', severity: 'info', message: 'no audit config enabling Data Access logs' }],
      output: `resource "google_vertex_ai_dataset" "claims" {
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}

resource "google_project_iam_audit_config" "aiplatform" {
  project = "REPLACE_ME"
  service = "aiplatform.googleapis.com"
  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
  audit_log_config {
    log_type = "ADMIN_READ"
  }
}
`,
    },
    {
      name: 'quick fix: adds the missing DATA_WRITE audit_log_config',
      code: `resource "google_vertex_ai_dataset" "claims" {
  project             = "acme-ml-prod"
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}

resource "google_project_iam_audit_config" "aiplatform" {
  project = "acme-ml-prod"
  service = "aiplatform.googleapis.com"

  audit_log_config {
    log_type = "DATA_READ"
  }
}
`,
      errors: [{ at: '1:1-1:45', severity: 'high', message: 'does not cover DATA_WRITE' }],
      output: `resource "google_vertex_ai_dataset" "claims" {
  project             = "acme-ml-prod"
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}

resource "google_project_iam_audit_config" "aiplatform" {
  project = "acme-ml-prod"
  service = "aiplatform.googleapis.com"

  audit_log_config {
    log_type = "DATA_READ"
  }
  audit_log_config {
    log_type = "DATA_WRITE"
  }
}
`,
    },
  ],
});
