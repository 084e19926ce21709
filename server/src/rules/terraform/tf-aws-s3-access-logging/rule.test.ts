import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const bucket = (name: string, extra = '') => `resource "aws_s3_bucket" "${name}" {
  bucket = "acme-${name}"${extra}
}
`;
const LOGS = bucket('logs');
const logging = (name: string, target: string, link = `aws_s3_bucket.${name}.id`) => `resource "aws_s3_bucket_logging" "${name}" {
  bucket        = ${link}
  target_bucket = ${target}
}
`;
const trail = (selector: string) => `resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"
${selector}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (companion to a log bucket; CloudTrail data events accepted)', code: fixture(__dirname, 'pass.tf') },
    { name: 'companion in another file; the log bucket is exempt', files: { 'buckets.tf': bucket('corpus') + LOGS, 'logging.tf': logging('corpus', 'aws_s3_bucket.logs.id') } },
    { name: 'a bucket named as a literal target_bucket is exempt', code: bucket('corpus') + LOGS + logging('corpus', '"acme-logs"') },
    {
      name: 'CloudTrail all-bucket data events (arn:aws:s3) are accepted',
      code: bucket('corpus') + trail('  event_selector {\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = ["arn:aws:s3"]\n    }\n  }'),
    },
    {
      name: 'CloudTrail advanced selector for S3 data events is accepted',
      code:
        bucket('corpus') +
        trail(
          '  advanced_event_selector {\n    field_selector {\n      field  = "eventCategory"\n      equals = ["Data"]\n    }\n    field_selector {\n      field  = "resources.type"\n      equals = ["AWS::S3::Object"]\n    }\n  }',
        ),
    },
    {
      name: 'a trail whose data-event ARNs are unknown may log the bucket',
      code: bucket('corpus') + trail('  event_selector {\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = var.arns\n    }\n  }'),
    },
    { name: 'target_bucket from a variable is unknown', code: bucket('corpus') + logging('corpus', 'var.log_bucket') },
    { name: "the bucket's id flows into an output", code: bucket('corpus') + 'output "id" {\n  value = aws_s3_bucket.corpus.id\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no logging; an audit-log bucket is high)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:35', severity: 'medium', message: 'Add an aws_s3_bucket_logging' },
        { at: '5:1-5:38', severity: 'high', message: 'Data-asset bucket' },
      ],
    },
    {
      name: 'fixture fail2.tf (self-logging loop; legacy inline logging)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '2:1-2:36', severity: 'low', message: 'delivers its access logs to itself' },
        { at: '15:3-15:10', severity: 'info', message: 'deprecated' },
      ],
    },
    {
      name: 'CloudTrail data events are not accepted when accept_cloudtrail_data_events is false',
      code: fixture(__dirname, 'pass.tf'),
      params: { accept_cloudtrail_data_events: false },
      errors: [{ at: '20:1-20:42', severity: 'medium' }],
    },
    {
      name: 'a trail that logs only reads does not count',
      code:
        bucket('corpus') +
        trail('  event_selector {\n    read_write_type = "ReadOnly"\n    data_resource {\n      type   = "AWS::S3::Object"\n      values = ["arn:aws:s3"]\n    }\n  }'),
      errors: [{ at: '1:1-1:34', severity: 'medium' }],
    },
    {
      name: 'a companion without target_bucket',
      code: bucket('corpus') + 'resource "aws_s3_bucket_logging" "corpus" {\n  bucket = aws_s3_bucket.corpus.id\n}\n',
      errors: [{ at: '1:1-1:34', message: 'sets no target_bucket' }],
    },
    {
      name: 'report_unknown: an unknown target gets an info note',
      code: bucket('corpus') + logging('corpus', 'var.log_bucket'),
      params: { report_unknown: true },
      errors: [{ at: '6:19-6:33', severity: 'info', message: /could not evaluate tf-aws-s3-access-logging: .*var\.log_bucket/ }],
    },
    {
      name: "fix: adds aws_s3_bucket_logging (QF-3) with a placeholder target",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = "REPLACE_ME"
  target_prefix = "s3-access/data/"
}
`,
    },
    {
      name: "fix: adds aws_s3_bucket_logging (QF-3) to log_bucket",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
`,
      params: {"log_bucket":"aws_s3_bucket.logs.id"},
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "s3-access/data/"
}
`,
    },
    {
      name: "fix: a literal log_bucket name is quoted; count carries over",
      code: `resource "aws_s3_bucket" "data" {
  count  = 2
  bucket = "acme-data-\${count.index}"
}
`,
      params: {"log_bucket":"acme-central-logs"},
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  count  = 2
  bucket = "acme-data-\${count.index}"
}

resource "aws_s3_bucket_logging" "data" {
  count = length(aws_s3_bucket.data)

  bucket        = aws_s3_bucket.data[count.index].id
  target_bucket = "acme-central-logs"
  target_prefix = "s3-access/data/"
}
`,
    },
    {
      name: "fix: inserts target_bucket into the companion",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket = aws_s3_bucket.data.id
}
`,
      params: {"log_bucket":"acme-central-logs"},
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = "acme-central-logs"
}
`,
    },
    {
      name: "fix: redirects a self-logging loop to log_bucket",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = aws_s3_bucket.data.id
}
`,
      params: {"log_bucket":"acme-central-logs"},
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_logging" "data" {
  bucket        = aws_s3_bucket.data.id
  target_bucket = "acme-central-logs"
}
`,
    },
    {
      name: "fix: inserts target_bucket into the inline logging block",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  logging {
    target_prefix = "log/"
  }
}
`,
      params: {"log_bucket":"acme-central-logs"},
      errors: [{ at: '1:1-1:32' }, { at: '4:3-4:10' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  logging {
    target_prefix = "log/"
    target_bucket = "acme-central-logs"
  }
}
`,
    },
  ],
});

describe('tf-aws-s3-access-logging fix data', () => {
  it('describes QF-3 for each bucket without logging, with the placeholder target when log_bucket is unset', async () => {
    const findings = await analyze(rule, { 'main.tf': fixture(__dirname, 'fail.tf') });
    assert.deepEqual(
      findings.map((f) => f.data),
      ['scratch', 'audit_logs'].map((name) => ({
        fix: 'add-resource',
        template: 'QF-3',
        resourceType: 'aws_s3_bucket_logging',
        name,
        bucket: `aws_s3_bucket.${name}`,
        targetBucket: 'REPLACE_ME',
        targetPrefix: `s3-access/${name}/`,
      })),
    );
  });
});
