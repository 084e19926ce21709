import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const key = (body: string) => `resource "aws_kms_key" "k" {
${body}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (rotation on; 180-day period; asymmetric key N/A)', code: fixture(__dirname, 'pass.tf') },
    { name: 'an HMAC key is N/A', code: key('  key_usage                = "GENERATE_VERIFY_MAC"\n  customer_master_key_spec = "HMAC_256"') },
    { name: 'explicit SYMMETRIC_DEFAULT with rotation', code: key('  customer_master_key_spec = "SYMMETRIC_DEFAULT"\n  enable_key_rotation      = true') },
    { name: 'enable_key_rotation from a variable is unknown', code: key('  enable_key_rotation = var.rotate') },
    { name: 'a key spec from a variable is unknown', code: key('  customer_master_key_spec = var.spec') },
    { name: 'a longer period is allowed by max_rotation_days', code: key('  enable_key_rotation     = true\n  rotation_period_in_days = 730'), params: { max_rotation_days: 730 } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (absent; false; period too long)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:34', severity: 'medium', message: 'enable_key_rotation defaults to false' },
        { at: '7:25-7:30', severity: 'medium', message: 'enable_key_rotation is false' },
        { at: '13:29-13:32', severity: 'medium', message: 'at most 365' },
      ],
    },
    {
      name: 'explicit SYMMETRIC_DEFAULT without rotation',
      code: key('  customer_master_key_spec = "SYMMETRIC_DEFAULT"'),
      errors: [{ at: '1:1-1:27' }],
    },
    {
      name: 'report_unknown: unknown rotation gets an info note',
      code: key('  enable_key_rotation = var.rotate'),
      params: { report_unknown: true },
      errors: [{ at: '2:25-2:35', severity: 'info', message: /could not evaluate tf-aws-kms-key-rotation: .*var\.rotate/ }],
    },
    {
      name: "fix: inserts enable_key_rotation",
      code: `resource "aws_kms_key" "k" {
  description = "k"
}
`,
      errors: [{ at: '1:1-1:27' }],
      output: `resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
}
`,
    },
    {
      name: "fix: sets enable_key_rotation",
      code: `resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = false
}
`,
      errors: [{ at: '3:25-3:30' }],
      output: `resource "aws_kms_key" "k" {
  description         = "k"
  enable_key_rotation = true
}
`,
    },
    {
      name: "fix: lowers rotation_period_in_days",
      code: `resource "aws_kms_key" "k" {
  enable_key_rotation     = true
  rotation_period_in_days = 730
}
`,
      errors: [{ at: '3:29-3:32' }],
      output: `resource "aws_kms_key" "k" {
  enable_key_rotation     = true
  rotation_period_in_days = 365
}
`,
    },
  ],
});

describe('tf-aws-kms-key-rotation fix data', () => {
  it('inserts enable_key_rotation = true', async () => {
    const [finding] = await analyze(rule, { 'main.tf': key('  description = "x"') });
    assert.deepEqual(finding!.data, { fix: 'insert', attribute: 'enable_key_rotation', value: true });
  });
});
