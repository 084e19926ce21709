import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const BUCKET = `resource "aws_s3_bucket" "corpus" {
  bucket = "acme-corpus"
  tags   = { "ai-asset-type" = "dataset" }
}
`;
const trail = (selector: string) => `resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "acme-trail"
${selector}
}
`;
const basic = (values: string, rw = '"All"') => `  event_selector {
    read_write_type = ${rw}
    data_resource {
      type   = "AWS::S3::Object"
      values = ${values}
    }
  }`;
const advanced = (extra = '') => `  advanced_event_selector {
    field_selector {
      field  = "eventCategory"
      equals = ["Data"]
    }
    field_selector {
      field  = "resources.type"
      equals = ["AWS::S3::Object"]
    }${extra}
  }`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (basic selector by reference; advanced selector by ARN prefix)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'a reference to the bucket ARN is a pass, not unknown (no note with report_unknown)',
      code: BUCKET + trail(basic('["\${aws_s3_bucket.corpus.arn}/"]')),
      params: { report_unknown: true },
    },
    { name: 'all buckets: arn:aws:s3', code: BUCKET + trail(basic('["arn:aws:s3"]')) },
    { name: 'all buckets: advanced selector without ARN filter', code: BUCKET + trail(advanced()) },
    { name: 'trail in another file', files: { 'buckets.tf': BUCKET, 'trail.tf': trail(basic('["arn:aws:s3:::acme-corpus/"]')) } },
    { name: 'ReadOnly accepted when require_read_and_write is false', code: BUCKET + trail(basic('["arn:aws:s3"]', '"ReadOnly"')), params: { require_read_and_write: false } },
    { name: 'values from a variable are unknown', code: BUCKET + trail(basic('var.data_arns')) },
    { name: 'read_write_type from a variable is unknown', code: BUCKET + trail(basic('["arn:aws:s3"]', 'var.rw')) },
    { name: 'a bucket that is not a data asset is not checked', code: 'resource "aws_s3_bucket" "scratch" {\n  bucket = "acme-scratch"\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (WriteOnly selector; a bucket no trail covers)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '22:23-22:34', severity: 'high', message: 'logs only WriteOnly data events' },
        { at: '9:1-9:38', severity: 'high', message: 'No CloudTrail trail logs object-level' },
      ],
    },
    { name: 'fixture fail2.tf (no trail in the workspace: info)', code: fixture(__dirname, 'fail2.tf'), errors: [{ at: '2:1-2:36', severity: 'info', message: 'may be managed elsewhere' }] },
    {
      name: 'must_be_in_workspace turns the note into a finding',
      code: fixture(__dirname, 'fail2.tf'),
      params: { must_be_in_workspace: true },
      errors: [{ at: '2:1-2:36', severity: 'high' }],
    },
    { name: 'an ARN prefix under the bucket is not the whole bucket', code: BUCKET + trail(basic('["arn:aws:s3:::acme-corpus/raw/"]')), errors: [{ at: '1:1-1:34' }] },
    {
      name: 'advanced selector for another bucket',
      code: BUCKET + trail(advanced('\n    field_selector {\n      field       = "resources.ARN"\n      starts_with = ["arn:aws:s3:::other/"]\n    }')),
      errors: [{ at: '1:1-1:34' }],
    },
    {
      name: 'advanced selector for read-only events',
      code: BUCKET + trail(advanced('\n    field_selector {\n      field  = "readOnly"\n      equals = ["true"]\n    }')),
      errors: [{ at: '19:16-19:24', message: 'ReadOnly' }],
    },
    {
      name: 'report_unknown: unknown values get an info note',
      code: BUCKET + trail(basic('var.data_arns')),
      params: { report_unknown: true },
      errors: [{ at: '12:16-12:29', severity: 'info', message: /could not evaluate tf-aws-cloudtrail-s3-data-events: .*var\.data_arns/ }],
    },
    {
      name: "fix: adds an event_selector for the bucket to the only trail",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"
  event_selector {
    read_write_type           = "All"
    include_management_events = true
    data_resource {
      type   = "AWS::S3::Object"
      values = ["\${aws_s3_bucket.data.arn}/"]
    }
  }
}
`,
    },
    {
      name: "fix: appends the bucket to an existing S3 data_resource",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"

  event_selector {
    read_write_type = "All"

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::acme-other/"]
    }
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

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"

  event_selector {
    read_write_type = "All"

    data_resource {
      type   = "AWS::S3::Object"
      values = ["arn:aws:s3:::acme-other/", "\${aws_s3_bucket.data.arn}/"]
    }
  }
}
`,
    },
    {
      name: "fix: sets read_write_type = All",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"

  event_selector {
    read_write_type = "WriteOnly"

    data_resource {
      type   = "AWS::S3::Object"
      values = ["\${aws_s3_bucket.data.arn}/"]
    }
  }
}
`,
      errors: [{ at: '14:23-14:34' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  tags = {
    "ai-asset-type" = "dataset"
  }
}

resource "aws_cloudtrail" "main" {
  name           = "main"
  s3_bucket_name = "acme-trail"

  event_selector {
    read_write_type = "All"

    data_resource {
      type   = "AWS::S3::Object"
      values = ["\${aws_s3_bucket.data.arn}/"]
    }
  }
}
`,
    },
  ],
});

describe('tf-aws-cloudtrail-s3-data-events fix data', () => {
  it('with exactly one trail, inserts the bucket ARN into it', async () => {
    const [finding] = await analyze(rule, { 'main.tf': BUCKET + trail(basic('["arn:aws:s3:::other/"]')) });
    assert.deepEqual(finding!.data, {
      fix: 'insert',
      resource: 'aws_cloudtrail.t',
      block: 'event_selector.data_resource',
      attribute: 'values',
      value: '${aws_s3_bucket.corpus.arn}/',
    });
    assert.equal(finding!.related?.[0]?.message, 'Trail without S3 data events for this bucket: aws_cloudtrail.t');
  });
});
