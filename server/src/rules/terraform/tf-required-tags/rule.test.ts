import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const PROVIDER = `provider "aws" {
  region = "eu-central-1"
}
`;
const ALL = 'owner = "a", cost-center = "b", environment = "c", data-classification = "d"';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (default_tags + merge(local.common_tags, …), tags from a variable)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'merge(var.common, {owner}) proves owner present and cannot prove the others absent',
      code: `${PROVIDER}variable "common" {
  type = map(string)
}
resource "aws_s3_bucket" "b" {
  tags = merge(var.common, { owner = "x" })
}
`,
    },
    {
      name: 'tags from terraform.tfvars and a variable default',
      files: {
        'main.tf': `${PROVIDER}variable "tags" {
  type = map(string)
}
variable "env" {
  default = "prod"
}
resource "aws_s3_bucket" "b" {
  tags = merge(var.tags, { environment = var.env })
}
`,
        'terraform.tfvars': 'tags = {\n  owner = "a"\n  cost-center = "b"\n  data-classification = "c"\n}\n',
      },
    },
    {
      name: 'the default_tags of the aliased provider the resource uses',
      code: `${PROVIDER}provider "aws" {
  alias  = "west"
  region = "eu-west-1"
  default_tags {
    tags = { ${ALL} }
  }
}
resource "aws_s3_bucket" "b" {
  provider = aws.west
}
`,
    },
    {
      name: 'for_each instances: each.value supplies the owner of every instance',
      code: `${PROVIDER}resource "aws_s3_bucket" "b" {
  for_each = { a = "team-a", b = "team-b" }
  tags = { owner = each.value, cost-center = "b", environment = "c", data-classification = "d" }
}
`,
    },
    {
      name: 'no provider block in the module: default tags may come from a caller (unknown)',
      code: 'resource "aws_s3_bucket" "b" {\n  tags = { owner = "a" }\n}\n',
    },
    {
      name: 'autoscaling group with every key in tag blocks',
      code: `${PROVIDER}resource "aws_autoscaling_group" "g" {
  max_size = 1
  min_size = 1
${['owner', 'cost-center', 'environment', 'data-classification'].map((k) => `  tag {\n    key                 = "${k}"\n    value               = "v"\n    propagate_at_launch = true\n  }\n`).join('')}}
`,
    },
    {
      name: 'azurerm tags from a variable without default: unknown',
      code: 'variable "tags" {}\nresource "azurerm_resource_group" "rg" {\n  name     = "ml"\n  location = "westeurope"\n  tags     = var.tags\n}\n',
    },
    {
      name: 'configured required_tags only',
      code: `${PROVIDER}resource "aws_s3_bucket" "b" {\n  tags = { team = "x" }\n}\n`,
      params: { required_tags: ['team'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (AWS: default_tags counted, a bucket, an untagged queue, an AI endpoint with a placeholder)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '13:10-15:4', severity: 'medium', message: 'missing required tags cost-center, data-classification' },
        { at: '18:1-18:32', severity: 'medium', message: 'missing required tags cost-center, environment, data-classification' },
        { at: '25:10-32:4', severity: 'high', message: 'model-version="TODO"' },
      ],
    },
    {
      name: 'fixture fail2.tf (google data asset with default_labels; azurerm tags only)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '12:12-16:4', severity: 'high', message: 'missing required labels ai-system-id, model-name, model-version, dataset-version' },
        { at: '25:10-28:4', severity: 'medium', message: 'missing required tags environment, data-classification' },
      ],
    },
    {
      name: 'with report_unknown, tags from a variable without default give one info note',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '32:10-32:23', severity: 'info', message: 'could not evaluate tf-required-tags: depends on var.team_tags (no default)' }],
    },
    {
      name: 'merge(local.common, {…}) of known maps proves the other keys absent',
      code: `${PROVIDER}locals {
  common = { owner = "a" }
}
resource "aws_s3_bucket" "b" {
  tags = merge(local.common, { environment = "prod" })
}
`,
      errors: [{ at: '8:10-8:55', message: 'missing required tags cost-center, data-classification' }],
    },
    {
      name: 'ignore_tags keys cannot satisfy a requirement',
      code: `provider "aws" {
  default_tags {
    tags = { ${ALL} }
  }
  ignore_tags {
    keys = ["owner"]
  }
}
resource "aws_s3_bucket" "b" {}
`,
      errors: [{ at: '9:1-9:29', message: 'missing required tags owner' }],
    },
    {
      name: 'aws_autoscaling_group gets no default_tags: its tag blocks count',
      code: `provider "aws" {
  default_tags {
    tags = { ${ALL} }
  }
}
resource "aws_autoscaling_group" "g" {
  max_size = 1
  min_size = 1
}
`,
      errors: [{ at: '6:1-6:37', message: 'owner, cost-center, environment, data-classification' }],
    },
    {
      name: 'for_each: a key missing in one instance is missing',
      code: `${PROVIDER}resource "aws_s3_bucket" "b" {
  for_each = { a = { owner = "x" }, b = {} }
  tags = merge(each.value, { cost-center = "b", environment = "c", data-classification = "d" })
}
`,
      errors: [{ at: '6:10-6:96', message: 'missing required tags owner' }],
    },
    {
      name: 'google resource without labels: on the header; required keys looked up in lowercase',
      code: 'provider "google" {\n  project = "p"\n}\nresource "google_pubsub_topic" "t" {\n  name = "t"\n}\n',
      params: { required_tags: ['Owner'] },
      errors: [{ at: '4:1-4:35', severity: 'medium', message: 'missing required labels owner' }],
    },
    {
      name: 'value_patterns per key',
      code: `${PROVIDER}resource "aws_s3_bucket" "b" {\n  tags = { ${ALL} }\n}\n`,
      params: { value_patterns: { owner: '^team-' } },
      errors: [{ at: '5:10-5:90', message: 'owner="a"' }],
    },
  ],
});
