import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const ASSET = '\n  tags   = { "ai-asset-type" = "dataset" }';
const bucket = (name: string, extra = ASSET) => `resource "aws_s3_bucket" "${name}" {
  bucket = "acme-${name}"${extra}
}
`;

/** An SSE companion for bucket `name`; `inner` is the body of apply_server_side_encryption_by_default. */
const sse = (name: string, inner: string, ruleExtra = '\n    bucket_key_enabled = true', link = `aws_s3_bucket.${name}.id`) => `resource "aws_s3_bucket_server_side_encryption_configuration" "${name}" {
  bucket = ${link}
  rule {
    apply_server_side_encryption_by_default {
${inner}
    }${ruleExtra}
  }
}
`;
const CMK = '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = aws_kms_key.data.arn';
const KEY = '\nresource "aws_kms_key" "data" {\n  enable_key_rotation = true\n}\n';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (CMK by reference, non-asset on SSE-S3, unknown key)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'companion in another file of the same module',
      files: { 'buckets.tf': bucket('corpus') + KEY, 'sse.tf': sse('corpus', CMK) },
    },
    { name: 'a non-asset bucket on AES256 passes by default', code: bucket('scratch', '') + '\n' + sse('scratch', '      sse_algorithm = "AES256"') },
    { name: 'a literal key ARN counts as customer-managed', code: bucket('corpus') + '\n' + sse('corpus', '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd"') },
    { name: 'sse_algorithm from a variable is unknown', code: bucket('corpus') + '\n' + sse('corpus', '      sse_algorithm = var.algorithm') },
    { name: 'tags that cannot be evaluated are unknown, not a data asset', code: bucket('corpus', '\n  tags   = var.tags') },
    { name: 'a companion whose link is unknown may belong to the bucket', code: bucket('corpus') + '\n' + sse('other', '      sse_algorithm = "AES256"', '', 'var.bucket') },
    { name: 'require_cmk.data_assets false turns the check off for data assets', code: bucket('corpus'), params: { require_cmk: { data_assets: false, default: false } } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (AES256 on a data asset, no configuration on a confidential bucket)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '14:23-14:31', severity: 'high', message: 'sse_algorithm = "AES256"' },
        { at: '19:1-19:40', severity: 'high', message: 'no server-side encryption configuration' },
      ],
    },
    {
      name: 'fixture fail2.tf (AWS managed key; legacy inline aws:kms without a key)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '16:27-16:41', severity: 'high', message: 'AWS managed key "alias/aws/s3"' },
        { at: '30:3-30:39', severity: 'info', message: 'deprecated' },
        { at: '33:25-33:34', severity: 'high', message: 'without kms_master_key_id' },
      ],
    },
    {
      name: 'require_cmk.default makes every bucket medium',
      code: bucket('scratch', ''),
      params: { require_cmk: { data_assets: true, default: true } },
      errors: [{ at: '1:1-1:35', severity: 'medium', message: 'Add an aws_s3_bucket_server_side_encryption_configuration' }],
    },
    {
      name: 'the AWS managed key by ARN',
      code: bucket('corpus') + '\n' + sse('corpus', '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = "arn:aws:kms:eu-west-1:111122223333:alias/aws/s3"'),
      errors: [{ at: '11:27-11:76', severity: 'high' }],
    },
    {
      name: 'aws:kms without bucket_key_enabled gets an info recommendation',
      code: bucket('corpus') + '\n' + sse('corpus', CMK, '') + KEY,
      errors: [{ at: '8:3-8:7', severity: 'info', message: 'bucket_key_enabled = true' }],
    },
    {
      name: 'a companion without rule',
      code: bucket('corpus') + '\nresource "aws_s3_bucket_server_side_encryption_configuration" "corpus" {\n  bucket = aws_s3_bucket.corpus.id\n}\n',
      errors: [{ at: '6:1-6:71', severity: 'high', message: 'no rule' }],
    },
    {
      name: 'report_unknown: an unknown key gets an info note',
      code: bucket('corpus') + '\n' + sse('corpus', '      sse_algorithm     = "aws:kms"\n      kms_master_key_id = var.key'),
      params: { report_unknown: true },
      errors: [{ at: '11:27-11:34', severity: 'info', message: /could not evaluate tf-aws-s3-kms-encryption: .*var\.key/ }],
    },
    {
      name: 'report_unknown: unknown tags get an info note',
      code: bucket('corpus', '\n  tags   = var.tags'),
      params: { report_unknown: true },
      errors: [{ at: '3:12-3:20', severity: 'info', message: 'data asset?' }],
    },
    {
      name: "fix: adds the encryption configuration (QF-5) with a placeholder key",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "REPLACE_ME"
    }
    bucket_key_enabled = true
  }
}
`,
    },
    {
      name: "fix: adds the encryption configuration (QF-5) with kms_key_ref",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}
`,
      params: {"kms_key_ref":"aws_kms_key.data.arn"},
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}
`,
    },
    {
      name: "fix: sets sse_algorithm and adds the key and the bucket key",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}
`,
      params: {"kms_key_ref":"aws_kms_key.data.arn"},
      errors: [{ at: '14:23-14:31' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    bucket_key_enabled = true
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
  }
}
`,
    },
    {
      name: "fix: replaces the AWS managed key",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = "alias/aws/s3"
    }
    bucket_key_enabled = true
  }
}
`,
      params: {"kms_key_ref":"aws_kms_key.data.arn"},
      errors: [{ at: '15:27-15:41' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}
`,
    },
    {
      name: "fix: adds the rule to an empty companion",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
}
`,
      params: {"kms_key_ref":"aws_kms_key.data.arn"},
      errors: [{ at: '9:1-9:69' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  bucket = aws_s3_bucket.data.id
  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}
`,
    },
    {
      name: "fix: the companion of a count bucket repeats with it",
      code: `resource "aws_s3_bucket" "data" {
  count  = 2
  bucket = "acme-data-\${count.index}"

  tags = {
    "ai-asset-type" = "dataset"
  }
}
`,
      params: {"kms_key_ref":"aws_kms_key.data.arn"},
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  count  = 2
  bucket = "acme-data-\${count.index}"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "data" {
  count = length(aws_s3_bucket.data)

  bucket = aws_s3_bucket.data[count.index].id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = aws_kms_key.data.arn
    }
    bucket_key_enabled = true
  }
}
`,
    },
  ],
});

describe('tf-aws-s3-kms-encryption fix data', () => {
  it('describes the set fix and QF-5, with the placeholder key when kms_key_ref is unset', async () => {
    const findings = await analyze(rule, { 'main.tf': fixture(__dirname, 'fail.tf') });
    assert.deepEqual(findings.map((f) => f.data), [
      { fix: 'set', attribute: 'sse_algorithm', value: 'aws:kms', kmsKeyRef: 'REPLACE_ME' },
      {
        fix: 'add-resource',
        template: 'QF-5',
        resourceType: 'aws_s3_bucket_server_side_encryption_configuration',
        name: 'eval_results',
        bucket: 'aws_s3_bucket.eval_results',
        kmsKeyRef: 'REPLACE_ME',
      },
    ]);
  });
});
