import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (keys in the region, by reference and by name; a key from a variable)', code: fixture(__dirname, 'pass.tf') },
    { name: 'a type outside resource_types', code: fixture(__dirname, 'fail.tf'), params: { resource_types: ['google_vertex_ai_dataset'] } },
    {
      name: 'region from the provider matches the key',
      code: 'provider "google" {\n  region = "us-east1"\n}\nresource "google_vertex_ai_tensorboard" "t" {\n  encryption_spec {\n    kms_key_name = "projects/p/locations/us-east1/keyRings/r/cryptoKeys/k"\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no encryption_spec; empty encryption_spec)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:47', severity: 'medium', message: 'endpoint data' },
        { at: '11:3-11:18', severity: 'medium', message: 'metadata store data' },
      ],
    },
    {
      name: 'fixture fail2.tf (key ring in another region)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [{ at: '17:20-17:47', severity: 'medium', message: 'is in us-central1, but the resource is in europe-west4' }],
    },
    {
      name: 'with report_unknown, a key from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '35:20-35:40', severity: 'info', message: /could not evaluate tf-gcp-vertex-cmek: .*var\.featurestore_key/ }],
    },
    {
      name: 'with report_unknown, a region from the environment is noted, not reported',
      code: 'resource "google_vertex_ai_tensorboard" "t" {\n  encryption_spec {\n    kms_key_name = "projects/p/locations/us-east1/keyRings/r/cryptoKeys/k"\n  }\n}\n',
      params: { report_unknown: true },
      errors: [{ at: '3:20-3:75', severity: 'info', message: 'provider environment' }],
    },
    {
      name: 'quick fix (replace): inserts encryption_spec with the configured key',
      code: `resource "google_vertex_ai_dataset" "claims" {
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"
}
`,
      params: { kms_key_ref: 'google_kms_crypto_key.vertex.id' },
      errors: [{ at: '1:1-1:45', severity: 'medium', message: 'has no customer-managed key' }],
      output: `resource "google_vertex_ai_dataset" "claims" {
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"

  encryption_spec {
    kms_key_name = google_kms_crypto_key.vertex.id
  }
}
`,
    },
    {
      name: 'quick fix (replace, placeholder): fills an empty encryption_spec',
      code: `resource "google_vertex_ai_dataset" "claims" {
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"

  encryption_spec {
  }
}
`,
      errors: [{ at: '6:3-6:18', severity: 'medium', message: 'has no customer-managed key' }],
      output: `resource "google_vertex_ai_dataset" "claims" {
  display_name        = "claims-2025"
  metadata_schema_uri = "gs://google-cloud-aiplatform/schema/dataset/metadata/tabular_1.0.0.yaml"
  region              = "europe-west4"

  encryption_spec {
    kms_key_name = "REPLACE_ME"
  }
}
`,
    },
  ],
});
