import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const bucket = (name: string, extra = '') => `resource "aws_s3_bucket" "${name}" {
  bucket = "acme-${name}"${extra}
}
`;

/** A companion whose `bucket` argument is `link` (source text). */
const versioning = (name: string, link: string, status = '"Enabled"') => `resource "aws_s3_bucket_versioning" "${name}" {
  bucket = ${link}

  versioning_configuration {
    status = ${status}
  }
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'fixture pass.tf (linked by .id, by literal name, and a status from a variable is unknown)',
      code: fixture(__dirname, 'pass.tf'),
    },
    {
      name: 'companion in another file of the same module',
      files: {
        'buckets.tf': bucket('corpus'),
        'versioning.tf': versioning('corpus', 'aws_s3_bucket.corpus.id'),
      },
    },
    {
      name: 'companion linked by .bucket',
      code: bucket('corpus') + '\n' + versioning('corpus', 'aws_s3_bucket.corpus.bucket'),
    },
    {
      name: 'count: companion linked by aws_s3_bucket.x[count.index].id',
      code: `resource "aws_s3_bucket" "shards" {
  count  = 3
  bucket = "acme-shard-\${count.index}"
}

resource "aws_s3_bucket_versioning" "shards" {
  count  = length(aws_s3_bucket.shards)
  bucket = aws_s3_bucket.shards[count.index].id

  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: 'for_each = aws_s3_bucket.x with bucket = each.value.id',
      code: `resource "aws_s3_bucket" "tenants" {
  for_each = toset(["alpha", "beta"])
  bucket   = "acme-\${each.key}"
}

resource "aws_s3_bucket_versioning" "tenants" {
  for_each = aws_s3_bucket.tenants
  bucket   = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: 'a companion whose link is unknown (bucket = var.name) may belong to the bucket',
      code: bucket('corpus') + '\n' + versioning('elsewhere', 'var.name', '"Suspended"'),
    },
    {
      name: "the bucket's id flows into an output: a companion may live in another stack",
      code: bucket('corpus') + '\noutput "corpus_bucket" {\n  value = aws_s3_bucket.corpus.id\n}\n',
    },
    {
      name: 'the bucket is passed to a registry module: a companion may live there',
      code: bucket('corpus') + '\nmodule "lifecycle" {\n  source = "acme/s3-lifecycle/aws"\n  bucket = aws_s3_bucket.corpus.arn\n}\n',
    },
    {
      name: 'a literal link to a computed bucket name is unknown',
      code: 'resource "aws_s3_bucket" "corpus" {\n  bucket = var.bucket_name\n}\n\n' + versioning('corpus', '"acme-corpus"', '"Suspended"'),
    },
    {
      name: 'dynamic "versioning" block: its existence is unknown',
      code: bucket(
        'corpus',
        '\n\n  dynamic "versioning" {\n    for_each = var.versioned ? [1] : []\n    content {\n      enabled = true\n    }\n  }',
      ),
    },
    {
      name: 'scope data_assets skips buckets that are not data assets',
      code: bucket('scratch'),
      params: { scope: 'data_assets' },
    },
    {
      name: 'scope data_assets skips buckets whose tags are unknown',
      code: bucket('corpus', '\n  tags   = var.tags'),
      params: { scope: 'data_assets' },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no companion; Suspended on a data asset is high)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:35', severity: 'medium', message: 'Add an aws_s3_bucket_versioning resource' },
        { at: '18:14-18:25', severity: 'high', message: '"Suspended"' },
      ],
    },
    {
      name: 'fixture fail2.tf (legacy inline versioning, disabled and enabled)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '9:3-9:13', severity: 'info', message: 'deprecated' },
        { at: '10:15-10:20', severity: 'high', message: 'enabled = false' },
        { at: '17:3-17:13', severity: 'info', message: 'separate aws_s3_bucket_versioning resource' },
      ],
    },
    {
      name: 'fixture fail3.tf (two companions for one bucket)',
      code: fixture(__dirname, 'fail3.tf'),
      errors: [{ at: '14:1-14:53', severity: 'low', message: 'Conflicting companion' }],
    },
    {
      name: 'Suspended companion in another file of the same module',
      files: {
        'buckets.tf': bucket('corpus'),
        'versioning.tf': versioning('corpus', 'aws_s3_bucket.corpus.id', '"Suspended"'),
      },
      errors: [{ file: 'versioning.tf', at: '5:14-5:25', severity: 'medium', message: 'Set status = "Enabled"' }],
    },
    {
      name: 'Disabled companion linked by literal name',
      code: bucket('corpus') + '\n' + versioning('corpus', '"acme-corpus"', '"Disabled"'),
      errors: [{ at: '9:14-9:24', message: '"Disabled"' }],
    },
    {
      name: 'a companion for another bucket does not count',
      code: bucket('corpus') + '\n' + bucket('other') + '\n' + versioning('other', '"acme-other"'),
      errors: [{ at: '1:1-1:34', message: 'aws_s3_bucket.corpus has no versioning' }],
    },
    {
      name: 'count: Suspended companion linked by index',
      code: `resource "aws_s3_bucket" "shards" {
  count  = 3
  bucket = "acme-shard-\${count.index}"
}

resource "aws_s3_bucket_versioning" "shards" {
  count  = length(aws_s3_bucket.shards)
  bucket = aws_s3_bucket.shards[count.index].id

  versioning_configuration {
    status = "Suspended"
  }
}
`,
      errors: [{ at: '11:14-11:25' }],
    },
    {
      name: 'for_each: Suspended companion linked by each.value.id',
      code: `resource "aws_s3_bucket" "tenants" {
  for_each = toset(["alpha", "beta"])
  bucket   = "acme-\${each.key}"
}

resource "aws_s3_bucket_versioning" "tenants" {
  for_each = aws_s3_bucket.tenants
  bucket   = each.value.id

  versioning_configuration {
    status = "Suspended"
  }
}
`,
      errors: [{ at: '11:14-11:25' }],
    },
    {
      name: 'data asset by data-classification is high',
      code: bucket('ledger', '\n  tags   = { "data-classification" = "confidential" }'),
      errors: [{ at: '1:1-1:34', severity: 'high', message: 'Data-asset bucket' }],
    },
    {
      name: 'scope data_assets still checks data-asset buckets',
      code: bucket('weights', '\n  tags   = { "ai-asset-type" = "model" }'),
      params: { scope: 'data_assets' },
      errors: [{ at: '1:1-1:35', severity: 'high' }],
    },
    {
      name: 'tags that cannot be evaluated keep the default severity',
      code: bucket('corpus', '\n  tags   = var.tags'),
      errors: [{ at: '1:1-1:34', severity: 'medium' }],
    },
    {
      name: 'a tag value outside the selector is not a data asset',
      code: bucket('corpus', '\n  tags   = { "ai-asset-type" = "scratch", "data-classification" = "public" }'),
      errors: [{ at: '1:1-1:34', severity: 'medium' }],
    },
    {
      name: 'one selecting tag proves a data asset even when another tag is unknown',
      code: bucket('corpus', '\n  tags   = { "ai-asset-type" = var.kind, "data-classification" = "restricted" }'),
      errors: [{ at: '1:1-1:34', severity: 'high' }],
    },
    {
      name: 'inline enabled from a variable is unknown: only the note',
      code: bucket('corpus', '\n\n  versioning {\n    enabled = var.versioned\n  }'),
      errors: [{ at: '4:3-4:13', severity: 'info' }],
    },
    {
      name: 'inline versioning block without enabled (defaults to false)',
      code: bucket('corpus', '\n\n  versioning {\n    mfa_delete = false\n  }'),
      // The info note and the finding share the block header; their severities are checked below.
      errors: [{ at: '4:3-4:13' }, { at: '4:3-4:13' }],
    },
    {
      name: 'inline enabled = false does not fail when a companion enables versioning',
      code: bucket('corpus', '\n\n  versioning {\n    enabled = false\n  }') + '\n' + versioning('corpus', 'aws_s3_bucket.corpus.id'),
      errors: [{ at: '4:3-4:13', severity: 'info' }],
    },
    {
      name: 'companion without versioning_configuration',
      code: bucket('corpus') + '\nresource "aws_s3_bucket_versioning" "corpus" {\n  bucket = aws_s3_bucket.corpus.id\n}\n',
      errors: [{ at: '5:1-5:45', message: 'no versioning_configuration block' }],
    },
    {
      name: "fix: adds aws_s3_bucket_versioning (QF-1) after the bucket",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}

resource "aws_s3_bucket_versioning" "other" {
  bucket = aws_s3_bucket.other.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket" "other" {
  bucket = "acme-other"
}

resource "aws_s3_bucket_versioning" "other" {
  bucket = aws_s3_bucket.other.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: "fix: the companion of a for_each bucket repeats with it",
      code: `resource "aws_s3_bucket" "data" {
  for_each = toset(["a", "b"])
  bucket   = "acme-\${each.key}"
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  for_each = toset(["a", "b"])
  bucket   = "acme-\${each.key}"
}

resource "aws_s3_bucket_versioning" "data" {
  for_each = aws_s3_bucket.data

  bucket = each.value.id

  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: "fix: the companion of a count bucket repeats with it",
      code: `resource "aws_s3_bucket" "data" {
  count  = 2
  bucket = "acme-\${count.index}"
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  count  = 2
  bucket = "acme-\${count.index}"
}

resource "aws_s3_bucket_versioning" "data" {
  count = length(aws_s3_bucket.data)

  bucket = aws_s3_bucket.data[count.index].id

  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: "fix: sets status",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Suspended"
  }
}
`,
      errors: [{ at: '8:14-8:25' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: "fix: adds versioning_configuration to the companion",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
}
`,
      errors: [{ at: '5:1-5:43' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_versioning" "data" {
  bucket = aws_s3_bucket.data.id
  versioning_configuration {
    status = "Enabled"
  }
}
`,
    },
    {
      name: "fix: sets the legacy inline enabled",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  versioning {
    enabled = false
  }
}
`,
      errors: [{ at: '4:3-4:13' }, { at: '5:15-5:20' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"

  versioning {
    enabled = true
  }
}
`,
    },
  ],
});

describe('tf-aws-s3-versioning findings carry related information and fix data', () => {
  it('points from a companion finding back at the bucket', async () => {
    const files = {
      'buckets.tf': bucket('corpus'),
      'versioning.tf': versioning('corpus', 'aws_s3_bucket.corpus.id', '"Suspended"'),
    };
    const [finding, ...rest] = await analyze(rule, files);
    assert.equal(rest.length, 0);
    assert.ok(finding!.uri.endsWith('/versioning.tf'));
    assert.deepEqual(
      finding!.related?.map((r) => [r.at.uri.replace(/^.*\//, ''), r.at.range.start.line, r.at.range.start.character, r.at.range.end.character]),
      [['buckets.tf', 0, 0, 33]],
    );
    assert.deepEqual(finding!.data, { fix: 'set', block: 'versioning_configuration', attribute: 'status', value: 'Enabled' });
  });

  it('reports an inline block without enabled once as a note and once as a finding', async () => {
    const findings = await analyze(rule, { 'main.tf': bucket('corpus', '\n\n  versioning {\n    mfa_delete = false\n  }') });
    assert.deepEqual(findings.map((f) => f.severity).sort(), ['info', 'medium']);
    assert.deepEqual(findings.find((f) => f.severity === 'medium')!.data, { fix: 'insert', block: 'versioning', attribute: 'enabled', value: true });
  });

  it('describes the QF-1 companion to add when none is linked', async () => {
    const [finding] = await analyze(rule, { 'main.tf': bucket('corpus') });
    assert.deepEqual(finding!.data, {
      fix: 'add-resource',
      template: 'QF-1',
      resourceType: 'aws_s3_bucket_versioning',
      name: 'corpus',
      bucket: 'aws_s3_bucket.corpus',
    });
  });
});
