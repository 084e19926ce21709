import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const withVersion = (constraint: string) => `terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${constraint}"
    }
  }
}

resource "aws_s3_bucket" "b" {}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (bounded, exact, a version from a variable is unknown, built-in provider)', code: fixture(__dirname, 'pass.tf') },
    { name: 'upper bound with <', code: withVersion('>= 5.0, < 6.0') },
    { name: 'exact style accepts an exact version', code: withVersion('= 5.31.0'), params: { constraint_style: 'exact' } },
    { name: 'a module without resources declares nothing', code: 'variable "x" {}\n' },
    {
      name: 'provider chosen through an alias is the aliased provider',
      code: `terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

resource "awscc_s3_bucket" "b" {
  provider = aws.west
}
`,
    },
    {
      name: 'legacy string shorthand with a bound',
      code: 'terraform {\n  required_version = "~> 1.9"\n  required_providers {\n    aws = "~> 5.0"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
    },
    {
      name: 'required_version not required when require_terraform_version is false',
      code: 'terraform {\n  required_providers {\n    aws = "~> 5.0"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      params: { require_terraform_version: false },
    },
    {
      name: 'require_lockfile: an invisible lock file is unknown, not a finding',
      code: withVersion('~> 5.0'),
      params: { require_lockfile: true },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '5:17-5:25', severity: 'medium', message: 'no upper bound' },
        { at: '7:5-7:11', severity: 'medium', message: 'has no version' },
        { at: '1:1-1:10', severity: 'medium', message: 'Provider "random" is used but not declared' },
        { at: '14:13-14:20', severity: 'medium', message: 'deprecated' },
        { at: '1:1-1:10', severity: 'low', message: 'No terraform { required_version }' },
      ],
    },
    {
      name: 'no terraform block: missing entries at the first block using the provider',
      code: 'resource "aws_s3_bucket" "a" {}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [
        { at: '1:1-1:29', severity: 'medium', message: 'required_providers' },
        { at: '1:1-1:29', severity: 'low', message: 'required_version' },
      ],
    },
    {
      name: 'a data source needs its provider declared too',
      code: 'terraform {\n  required_version = "~> 1.9"\n}\n\ndata "google_project" "p" {}\n',
      errors: [{ at: '1:1-1:10', message: 'Provider "google"' }],
    },
    {
      name: 'exact style rejects a pessimistic constraint',
      code: withVersion('~> 5.31'),
      params: { constraint_style: 'exact' },
      errors: [{ at: '6:17-6:26', message: 'not exact' }],
    },
    {
      name: 'unbounded required_version is low',
      code: 'terraform {\n  required_version = ">= 1.5"\n  required_providers {\n    aws = "~> 5.0"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [{ at: '2:22-2:30', severity: 'low', message: 'required_version version ">= 1.5" has no upper bound' }],
    },
    {
      name: 'require_lockfile with report_unknown: the lock file the engine cannot see is an info note',
      code: withVersion('~> 5.0'),
      params: { require_lockfile: true, report_unknown: true },
      errors: [{ at: '1:1-1:10', severity: 'info', message: '.terraform.lock.hcl' }],
    },
    {
      name: 'with report_unknown, a version from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '15:17-15:36', severity: 'info', message: 'could not evaluate tf-provider-version-pinned: depends on var.azurerm_version' }],
    },
  ],
});
