import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const bucket = (name: string, extra = '\n  object_lock_enabled = true', type = 'dataset') => `resource "aws_s3_bucket" "${name}" {
  bucket = "acme-${name}"${extra}
  tags   = { "ai-asset-type" = "${type}" }
}
`;

const lock = (name: string, retention = 'mode = "COMPLIANCE"\n      days = 183', link = `aws_s3_bucket.${name}.id`) => `resource "aws_s3_bucket_object_lock_configuration" "${name}" {
  bucket = ${link}
  rule {
    default_retention {
      ${retention}
    }
  }
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (GOVERNANCE dataset, COMPLIANCE audit log by years, unselected feature store)', code: fixture(__dirname, 'pass.tf') },
    { name: 'companion in another file', files: { 'buckets.tf': bucket('corpus'), 'lock.tf': lock('corpus') } },
    { name: 'a bucket without ai-asset-type is not selected', code: 'resource "aws_s3_bucket" "scratch" {\n  bucket = "acme-scratch"\n}\n' },
    { name: 'retention days from a variable are unknown', code: bucket('corpus') + '\n' + lock('corpus', 'mode = "COMPLIANCE"\n      days = var.days') },
    { name: 'object_lock_enabled from a variable is unknown', code: bucket('corpus', '\n  object_lock_enabled = var.lock') + '\n' + lock('corpus') },
    { name: 'tags that cannot be evaluated are unknown', code: 'resource "aws_s3_bucket" "corpus" {\n  bucket = "acme-corpus"\n  tags   = var.tags\n}\n' },
    { name: 'a companion whose link is unknown may belong to the bucket', code: bucket('corpus') + '\n' + lock('other', 'mode = "GOVERNANCE"\n      days = 1', 'var.bucket') },
    {
      name: 'immutable_selector can select other tags',
      code: bucket('corpus', '', 'feature-store'),
      params: { immutable_selector: { 'ai-asset-type': ['model'] } },
    },
    {
      name: 'allowed_modes per asset type: GOVERNANCE allowed for audit logs when configured',
      code: bucket('logs', '\n  object_lock_enabled = true', 'audit-log') + '\n' + lock('logs', 'mode = "GOVERNANCE"\n      days = 200'),
      params: { allowed_modes: { 'audit-log': ['GOVERNANCE'], default: ['COMPLIANCE'] } },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (model bucket without object lock and without retention)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:42', severity: 'high', message: 'does not enable S3 Object Lock' },
        { at: '1:1-1:42', severity: 'high', message: 'no default Object Lock retention' },
      ],
    },
    {
      name: 'fixture fail2.tf (GOVERNANCE audit log, 30 days; inline lock without retention)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '16:14-16:26', message: 'mode "GOVERNANCE" is not allowed' },
        { at: '17:14-17:16', message: 'shorter than the required 183 days' },
        { at: '30:3-30:28', severity: 'info', message: 'deprecated' },
        { at: '30:3-30:28', severity: 'high', message: 'sets no rule { default_retention }' },
      ],
    },
    {
      name: 'object_lock_enabled = false',
      code: bucket('corpus', '\n  object_lock_enabled = false') + '\n' + lock('corpus'),
      errors: [{ at: '3:25-3:30', message: 'object_lock_enabled is false' }],
    },
    {
      name: 'years below the minimum',
      code: bucket('corpus') + '\n' + lock('corpus', 'mode  = "COMPLIANCE"\n      years = 0'),
      params: { min_retention_days: 400 },
      errors: [{ at: '12:15-12:16', message: '0 years' }],
    },
    {
      name: 'a companion without rule',
      code: bucket('corpus') + '\nresource "aws_s3_bucket_object_lock_configuration" "corpus" {\n  bucket = aws_s3_bucket.corpus.id\n}\n',
      errors: [{ at: '7:1-7:60', message: 'sets no rule' }],
    },
    {
      name: 'report_unknown: unknown retention gets an info note',
      code: bucket('corpus') + '\n' + lock('corpus', 'mode = "COMPLIANCE"\n      days = var.days'),
      params: { report_unknown: true },
      errors: [{ at: '12:14-12:22', severity: 'info', message: /could not evaluate tf-aws-s3-object-lock: .*var\.days/ }],
    },
    {
      name: "fix: adds aws_s3_bucket_object_lock_configuration (QF-2)",
      code: `resource "aws_s3_bucket" "models" {
  bucket              = "acme-models"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "model"
  }
}
`,
      errors: [{ at: '1:1-1:34' }],
      output: `resource "aws_s3_bucket" "models" {
  bucket              = "acme-models"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "model"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 183
    }
  }
}
`,
    },
    {
      name: "fix: inserts object_lock_enabled = true (replaces the bucket)",
      code: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"

  tags = {
    "ai-asset-type" = "model"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 365
    }
  }
}
`,
      errors: [{ at: '1:1-1:34' }],
      output: `resource "aws_s3_bucket" "models" {
  bucket = "acme-models"

  tags = {
    "ai-asset-type" = "model"
  }
  object_lock_enabled = true
}

resource "aws_s3_bucket_object_lock_configuration" "models" {
  bucket = aws_s3_bucket.models.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 365
    }
  }
}
`,
    },
    {
      name: "fix: sets object_lock_enabled and adds the default retention to the companion",
      code: `resource "aws_s3_bucket" "models" {
  bucket              = "acme-models"
  object_lock_enabled = false

  tags = {
    "ai-asset-type" = "model"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "models" {
  bucket = aws_s3_bucket.models.id
}
`,
      errors: [{ at: '3:25-3:30' }, { at: '10:1-10:60' }],
      output: `resource "aws_s3_bucket" "models" {
  bucket              = "acme-models"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "model"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "models" {
  bucket = aws_s3_bucket.models.id
  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 183
    }
  }
}
`,
    },
    {
      name: "fix: sets the mode and adds days to default_retention",
      code: `resource "aws_s3_bucket" "logs" {
  bucket              = "acme-logs"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "audit-log"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    default_retention {
      mode = "GOVERNANCE"
    }
  }
}
`,
      errors: [{ at: '14:5-14:22' }, { at: '15:14-15:26' }],
      output: `resource "aws_s3_bucket" "logs" {
  bucket              = "acme-logs"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "audit-log"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 183
    }
  }
}
`,
    },
    {
      name: "fix: the companion of a for_each bucket repeats with it",
      code: `resource "aws_s3_bucket" "models" {
  for_each            = toset(["a", "b"])
  bucket              = "acme-models-\${each.key}"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "model"
  }
}
`,
      errors: [{ at: '1:1-1:34' }],
      output: `resource "aws_s3_bucket" "models" {
  for_each            = toset(["a", "b"])
  bucket              = "acme-models-\${each.key}"
  object_lock_enabled = true

  tags = {
    "ai-asset-type" = "model"
  }
}

resource "aws_s3_bucket_object_lock_configuration" "models" {
  for_each = aws_s3_bucket.models

  bucket = each.value.id

  rule {
    default_retention {
      mode = "COMPLIANCE"
      days = 183
    }
  }
}
`,
    },
  ],
});

describe('tf-aws-s3-object-lock fix data', () => {
  it('marks enabling object lock as forcing replacement and describes QF-2', async () => {
    const findings = await analyze(rule, { 'main.tf': fixture(__dirname, 'fail.tf') });
    assert.deepEqual(findings.map((f) => f.data).sort((a, b) => String(a!.fix).localeCompare(String(b!.fix))), [
      { fix: 'add-resource', template: 'QF-2', resourceType: 'aws_s3_bucket_object_lock_configuration', name: 'model_registry', bucket: 'aws_s3_bucket.model_registry', mode: 'COMPLIANCE', days: 183 },
      { fix: 'insert', attribute: 'object_lock_enabled', value: true, forcesReplacement: true },
    ]);
  });
});
