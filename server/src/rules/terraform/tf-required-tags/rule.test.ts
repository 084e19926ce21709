import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, ruleTester } from '../../../../../test/ruleTester';
import { checkFixes } from '../../../fixes/engine';
import { applyEdits } from '../../../fixes/text';
import { memoryFileSystem } from '../../../service/fileSystem';
import { LanguageService, toUri } from '../../../service/languageService';
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
    {
      name: "fix: inserts tags with placeholders",
      code: `provider "aws" {
  region = "eu-central-1"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
}
`,
      errors: [{ at: '5:1-5:32' }],
      output: `provider "aws" {
  region = "eu-central-1"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = {
    owner               = "REPLACE_ME"
    cost-center         = "REPLACE_ME"
    environment         = "REPLACE_ME"
    data-classification = "REPLACE_ME"
  }
}
`,
    },
    {
      name: "fix: adds static_tag_values to a multi-line tags map",
      code: `provider "aws" {
  region = "eu-central-1"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = {
    owner       = "ml-platform"
    environment = "prod"
  }
}
`,
      params: {"static_tag_values":{"cost-center":"cc-4410","environment":"prod","data-classification":"internal","owner":"ml-platform"}},
      errors: [{ at: '7:10-10:4' }],
      output: `provider "aws" {
  region = "eu-central-1"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = {
    owner               = "ml-platform"
    environment         = "prod"
    cost-center         = "cc-4410"
    data-classification = "internal"
  }
}
`,
    },
    {
      name: "fix: adds to a one-line tags map",
      code: `provider "aws" {
  region = "eu-central-1"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = { owner = "ml-platform", environment = "prod" }
}
`,
      params: {"static_tag_values":{"cost-center":"cc-4410","environment":"prod","data-classification":"internal","owner":"ml-platform"}},
      errors: [{ at: '7:10-7:57' }],
      output: `provider "aws" {
  region = "eu-central-1"
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = { owner = "ml-platform", environment = "prod", cost-center = "cc-4410", data-classification = "internal" }
}
`,
    },
    {
      name: "fix: merges the missing keys over computed tags",
      code: `provider "aws" {
  region = "eu-central-1"
}

locals {
  common = { owner = "ml-platform" }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = local.common
}
`,
      params: {"static_tag_values":{"cost-center":"cc-4410","environment":"prod","data-classification":"internal","owner":"ml-platform"}},
      errors: [{ at: '11:10-11:22' }],
      output: `provider "aws" {
  region = "eu-central-1"
}

locals {
  common = { owner = "ml-platform" }
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = merge(local.common, { cost-center = "cc-4410", environment = "prod", data-classification = "internal" })
}
`,
    },
    {
      name: "fix: adds google labels",
      code: `provider "google" {
  project = "acme-ml"
}

resource "google_storage_bucket" "logs" {
  name     = "acme-logs"
  location = "EU"
  labels = {
    owner = "ml-platform"
  }
}
`,
      params: {"static_tag_values":{"cost-center":"cc-4410","environment":"prod","data-classification":"internal","owner":"ml-platform"}},
      errors: [{ at: '8:12-10:4' }],
      output: `provider "google" {
  project = "acme-ml"
}

resource "google_storage_bucket" "logs" {
  name     = "acme-logs"
  location = "EU"
  labels = {
    owner               = "ml-platform"
    cost-center         = "cc-4410"
    environment         = "prod"
    data-classification = "internal"
  }
}
`,
    },
    {
      name: "fix: adds tag blocks to an autoscaling group",
      code: `resource "aws_autoscaling_group" "gpu" {
  name     = "gpu"
  min_size = 0
  max_size = 2

  tag {
    key                 = "owner"
    value               = "ml-platform"
    propagate_at_launch = true
  }
}
`,
      params: {"static_tag_values":{"cost-center":"cc-4410","environment":"prod","data-classification":"internal","owner":"ml-platform"}},
      errors: [{ at: '1:1-1:39' }],
      output: `resource "aws_autoscaling_group" "gpu" {
  name     = "gpu"
  min_size = 0
  max_size = 2

  tag {
    key                 = "owner"
    value               = "ml-platform"
    propagate_at_launch = true
  }
  tag {
    key                 = "cost-center"
    value               = "cc-4410"
    propagate_at_launch = true
  }
  tag {
    key                 = "environment"
    value               = "prod"
    propagate_at_launch = true
  }
  tag {
    key                 = "data-classification"
    value               = "internal"
    propagate_at_launch = true
  }
}
`,
    },
  ],
});

describe('tf-required-tags provider alternative', () => {
  const code = 'provider "aws" {\n  region = "eu-central-1"\n}\n\nresource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n  tags = {\n    owner = "ml-platform"\n  }\n}\n';
  const params = { static_tag_values: { 'cost-center': 'cc-4410', environment: 'prod', 'data-classification': 'internal' } };

  it('offers the keys in the provider default_tags too, when the provider block is in the file', async () => {
    const uri = toUri('/workspace/main.tf');
    const service = await LanguageService.create({ fs: memoryFileSystem({ '/workspace/main.tf': code }), rules: [rule], roots: ['/workspace'], params: { [rule.id]: params } });
    const checked = checkFixes(service, uri, service.analyze(uri).findings);
    assert.deepEqual(checked.map((c) => [c.fix.title, c.rejected]), [
      ['Add cost-center, environment, data-classification to tags', undefined],
      ['Add cost-center, environment, data-classification to the provider default_tags (every resource of the provider gets them)', undefined],
    ]);
    assert.equal(
      applyEdits(code, checked[1]!.fix.edits),
      'provider "aws" {\n  region = "eu-central-1"\n  default_tags {\n    tags = {\n      cost-center         = "cc-4410"\n      environment         = "prod"\n      data-classification = "internal"\n    }\n  }\n}\n\nresource "aws_sqs_queue" "jobs" {\n  name = "jobs"\n  tags = {\n    owner = "ml-platform"\n  }\n}\n',
    );
  });
});
