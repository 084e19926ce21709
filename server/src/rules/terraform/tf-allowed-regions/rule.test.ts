import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const EU = { allowed_regions: { aws: ['eu-central-1', 'eu-west-1'], azure: ['westeurope', 'northeurope'], gcp: ['EU', 'europe-west4'] } };

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (variable default, alias, Azure display name, GCP multi-region)', code: fixture(__dirname, 'pass.tf'), params: EU },
    { name: 'no allowed_regions configured: nothing is restricted', code: fixture(__dirname, 'fail.tf') },
    { name: 'a provider without region takes it from the environment: unknown', code: 'provider "aws" {}\n', params: EU },
    {
      name: 'a GCP zone passes when its region is allowed',
      code: 'provider "google" {\n  zone = "europe-west4-a"\n}\n',
      params: EU,
    },
    {
      name: 'region from terraform.tfvars',
      files: { 'main.tf': 'variable "region" {}\nprovider "aws" {\n  region = var.region\n}\n', 'terraform.tfvars': 'region = "eu-west-1"\n' },
      params: EU,
    },
    {
      name: 'apply_to data_asset_selector skips resources that are not data assets',
      code: 'resource "azurerm_storage_account" "s" {\n  location = "eastus"\n}\n',
      params: { ...EU, apply_to: 'data_asset_selector' },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (provider, alias through a local, Azure location, GCS multi-region)',
      code: fixture(__dirname, 'fail.tf'),
      params: EU,
      errors: [
        { at: '2:12-2:23', severity: 'high', message: '"us-east-1"' },
        { at: '11:12-11:27', message: '"ap-southeast-2"' },
        { at: '16:14-16:23', message: '"East US"' },
        { at: '21:14-21:18', message: '"US"' },
      ],
    },
    {
      name: 'with report_unknown, a region from a variable without default is one info note',
      code: fixture(__dirname, 'pass.tf'),
      params: { ...EU, report_unknown: true },
      errors: [{ at: '22:12-22:30', severity: 'info', message: 'could not evaluate tf-allowed-regions: depends on var.replica_region (no default)' }],
    },
    {
      name: 'AWS v6 resource-level region',
      code: 'provider "aws" {\n  region = "eu-central-1"\n}\nresource "aws_s3_bucket" "b" {\n  region = "us-west-2"\n}\n',
      params: EU,
      errors: [{ at: '5:12-5:23', message: 'aws_s3_bucket.b places data in "us-west-2"' }],
    },
    {
      name: 'classification_overrides: a restricted bucket must use the stricter list, through its provider',
      code: `provider "aws" {
  region = "eu-west-1"
}
resource "aws_s3_bucket" "pii" {
  tags = { data-classification = "restricted" }
}
`,
      params: { ...EU, classification_overrides: { restricted: { aws: ['eu-central-1'] } } },
      errors: [{ at: '2:12-2:23', message: 'for data-classification "restricted"' }],
    },
    {
      name: 'GCS dual-region replica locations outside the list',
      code: `resource "google_storage_bucket" "b" {
  location = "EU"
  custom_placement_config {
    data_locations = ["EUROPE-WEST4", "US-CENTRAL1"]
  }
}
`,
      params: EU,
      errors: [{ at: '4:22-4:53', message: '"US-CENTRAL1"' }],
    },
    {
      name: 'S3 replication to a bucket whose provider is in another region',
      code: `provider "aws" {
  region = "eu-central-1"
}
provider "aws" {
  alias  = "us"
  region = "us-east-1"
}
resource "aws_s3_bucket" "replica" {
  provider = aws.us
}
resource "aws_s3_bucket_replication_configuration" "r" {
  rule {
    destination {
      bucket = aws_s3_bucket.replica.arn
    }
  }
}
`,
      params: { allowed_regions: { aws: ['eu-central-1'] } },
      errors: [
        { at: '6:12-6:23', message: 'provider "aws"' },
        { at: '14:16-14:41', message: 'replica destination' },
      ],
    },
  ],
});
