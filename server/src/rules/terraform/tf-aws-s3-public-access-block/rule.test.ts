import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const bucket = (name: string, extra = '') => `resource "aws_s3_bucket" "${name}" {
  bucket = "acme-${name}"${extra}
}
`;

/** A companion whose `bucket` argument is `link` (source text); `flags` overrides single flags. */
const pab = (name: string, link: string, flags: Record<string, string> = {}) => {
  const all = { block_public_acls: 'true', block_public_policy: 'true', ignore_public_acls: 'true', restrict_public_buckets: 'true', ...flags };
  return `resource "aws_s3_bucket_public_access_block" "${name}" {
  bucket = ${link}
${Object.entries(all)
  .filter(([, v]) => v !== '')
  .map(([k, v]) => `  ${k} = ${v}`)
  .join('\n')}
}
`;
};

const account = (flags: Record<string, string> = {}) => {
  const all = { block_public_acls: 'true', block_public_policy: 'true', ignore_public_acls: 'true', restrict_public_buckets: 'true', ...flags };
  return `resource "aws_s3_account_public_access_block" "account" {
${Object.entries(all)
  .map(([k, v]) => `  ${k} = ${v}`)
  .join('\n')}
}
`;
};

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (by reference, by literal name, an unknown flag)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'companion in another file of the same module',
      files: { 'buckets.tf': bucket('corpus'), 'pab.tf': pab('corpus', 'aws_s3_bucket.corpus.id') },
    },
    { name: 'an account-level block with all four flags covers every bucket', code: bucket('corpus') + '\n' + account() },
    {
      name: 'an account-level block covers a bucket whose own block is weaker',
      code: bucket('corpus') + '\n' + pab('corpus', 'aws_s3_bucket.corpus.id', { block_public_policy: 'false' }) + '\n' + account(),
    },
    { name: 'an account-level flag from a variable is unknown', code: bucket('corpus') + '\n' + account({ restrict_public_buckets: 'var.restrict' }) },
    { name: 'a companion whose link is unknown may belong to the bucket', code: bucket('corpus') + '\n' + pab('other', 'var.bucket_id') },
    { name: "the bucket's id flows into an output", code: bucket('corpus') + '\noutput "id" {\n  value = aws_s3_bucket.corpus.id\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no companion; a false flag on a data asset is critical)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:35', severity: 'high', message: 'Add an aws_s3_bucket_public_access_block' },
        { at: '16:29-16:34', severity: 'critical', message: 'Set block_public_policy = true' },
      ],
    },
    {
      name: 'fixture fail2.tf (flags left out; a partial account-level block does not cover)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [{ at: '6:1-6:60', severity: 'high', message: 'ignore_public_acls, restrict_public_buckets' }],
    },
    {
      name: 'a known false flag fails even when another flag is unknown',
      code: bucket('corpus') + '\n' + pab('corpus', 'aws_s3_bucket.corpus.id', { block_public_acls: 'false', ignore_public_acls: 'var.ignore' }),
      errors: [{ at: '7:23-7:28', message: 'block_public_acls is false' }],
    },
    {
      name: 'account_pab_managed_elsewhere downgrades a missing companion to info',
      code: bucket('corpus'),
      params: { account_pab_managed_elsewhere: true },
      errors: [{ at: '1:1-1:34', severity: 'info', message: 'managed elsewhere' }],
    },
    {
      name: 'report_unknown: an unknown account-level flag gets an info note',
      code: bucket('corpus') + '\n' + account({ restrict_public_buckets: 'var.restrict' }),
      params: { report_unknown: true },
      errors: [{ at: '9:29-9:41', severity: 'info', message: /could not evaluate tf-aws-s3-public-access-block: .*var\.restrict/ }],
    },
    {
      name: 'two companions for one bucket',
      code: bucket('corpus') + '\n' + pab('a', 'aws_s3_bucket.corpus.id') + '\n' + pab('b', '"acme-corpus"'),
      errors: [{ at: '13:1-13:49', severity: 'low', message: 'Conflicting companion' }],
    },
    {
      name: "fix: adds aws_s3_bucket_public_access_block (QF-4)",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
    {
      name: "fix: the companion of a for_each bucket repeats with it",
      code: `resource "aws_s3_bucket" "data" {
  for_each = var.buckets
  bucket   = each.value
}
`,
      errors: [{ at: '1:1-1:32' }],
      output: `resource "aws_s3_bucket" "data" {
  for_each = var.buckets
  bucket   = each.value
}

resource "aws_s3_bucket_public_access_block" "data" {
  for_each = aws_s3_bucket.data

  bucket                  = each.value.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
    {
      name: "fix: sets a false flag",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = false
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
      errors: [{ at: '8:29-8:34' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
    {
      name: "fix: inserts the missing flags",
      code: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket            = aws_s3_bucket.data.id
  block_public_acls = true
}
`,
      errors: [{ at: '5:1-5:52' }],
      output: `resource "aws_s3_bucket" "data" {
  bucket = "acme-data"
}

resource "aws_s3_bucket_public_access_block" "data" {
  bucket                  = aws_s3_bucket.data.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}
`,
    },
  ],
});

describe('tf-aws-s3-public-access-block fix data', () => {
  it('describes the QF-4 companion when none is linked', async () => {
    const [finding] = await analyze(rule, { 'main.tf': bucket('corpus') });
    assert.deepEqual(finding!.data, { fix: 'add-resource', template: 'QF-4', resourceType: 'aws_s3_bucket_public_access_block', name: 'corpus', bucket: 'aws_s3_bucket.corpus' });
  });
  it('points from a companion finding back at the bucket', async () => {
    const [finding] = await analyze(rule, { 'main.tf': bucket('corpus') + '\n' + pab('corpus', 'aws_s3_bucket.corpus.id', { block_public_policy: 'false' }) });
    assert.equal(finding!.related?.[0]?.message, 'The bucket: aws_s3_bucket.corpus');
    assert.deepEqual(finding!.data, { fix: 'set', attribute: 'block_public_policy', value: true });
  });
});
