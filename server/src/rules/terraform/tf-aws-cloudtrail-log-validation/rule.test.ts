import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const trail = (value?: string) => `resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "acme-trail"${value === undefined ? '' : `\n  enable_log_file_validation = ${value}`}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (true; unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'a string "true" converts to true', code: trail('"true"') },
    { name: 'a variable with a true default', code: 'variable "validate" {\n  default = true\n}\n' + trail('var.validate') },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (absent; false)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:34', severity: 'high', message: 'defaults to false' },
        { at: '9:32-9:37', severity: 'high', message: 'enable_log_file_validation is false' },
      ],
    },
    { name: 'a variable with a false default', code: 'variable "validate" {\n  default = false\n}\n' + trail('var.validate'), errors: [{ at: '7:32-7:44' }] },
    {
      name: 'report_unknown: an unknown value gets an info note',
      code: trail('var.validate'),
      params: { report_unknown: true },
      errors: [{ at: '4:32-4:44', severity: 'info', message: /could not evaluate tf-aws-cloudtrail-log-validation: .*var\.validate/ }],
    },
    {
      name: "fix: inserts enable_log_file_validation",
      code: `resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "logs"
}
`,
      errors: [{ at: '1:1-1:30' }],
      output: `resource "aws_cloudtrail" "t" {
  name                       = "t"
  s3_bucket_name             = "logs"
  enable_log_file_validation = true
}
`,
    },
    {
      name: "fix: sets enable_log_file_validation",
      code: `resource "aws_cloudtrail" "t" {
  name                       = "t"
  enable_log_file_validation = false
}
`,
      errors: [{ at: '3:32-3:37' }],
      output: `resource "aws_cloudtrail" "t" {
  name                       = "t"
  enable_log_file_validation = true
}
`,
    },
  ],
});

describe('tf-aws-cloudtrail-log-validation fix data', () => {
  it('inserts enable_log_file_validation = true', async () => {
    const [finding] = await analyze(rule, { 'main.tf': trail() });
    assert.deepEqual(finding!.data, { fix: 'insert', attribute: 'enable_log_file_validation', value: true });
  });
});
