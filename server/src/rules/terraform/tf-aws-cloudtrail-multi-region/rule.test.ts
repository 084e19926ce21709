import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const trail = (body: string) => `resource "aws_cloudtrail" "t" {
  name           = "t"
  s3_bucket_name = "acme-trail"
${body}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (multi-region with global events; unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'include_global_service_events absent defaults to true', code: trail('  is_multi_region_trail = true') },
    { name: 'include_global_service_events from a variable is unknown', code: trail('  is_multi_region_trail         = true\n  include_global_service_events = var.global') },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (absent; false; global events off)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:34', severity: 'medium', message: 'defaults to false' },
        { at: '9:35-9:40', severity: 'medium', message: 'is_multi_region_trail is false' },
        { at: '10:35-10:40', severity: 'medium', message: 'include_global_service_events is false' },
      ],
    },
    { name: 'global events off on a multi-region trail', code: trail('  is_multi_region_trail         = true\n  include_global_service_events = false'), errors: [{ at: '5:35-5:40', message: 'IAM and STS' }] },
    {
      name: 'report_unknown: an unknown value gets an info note',
      code: trail('  is_multi_region_trail = var.multi'),
      params: { report_unknown: true },
      errors: [{ at: '4:27-4:36', severity: 'info', message: /could not evaluate tf-aws-cloudtrail-multi-region: .*var\.multi/ }],
    },
    {
      name: "fix: inserts is_multi_region_trail",
      code: `resource "aws_cloudtrail" "t" {
  name                       = "t"
  enable_log_file_validation = true
}
`,
      errors: [{ at: '1:1-1:30' }],
      output: `resource "aws_cloudtrail" "t" {
  name                       = "t"
  enable_log_file_validation = true
  is_multi_region_trail      = true
}
`,
    },
    {
      name: "fix: sets include_global_service_events",
      code: `resource "aws_cloudtrail" "t" {
  name                          = "t"
  is_multi_region_trail         = true
  include_global_service_events = false
}
`,
      errors: [{ at: '4:35-4:40' }],
      output: `resource "aws_cloudtrail" "t" {
  name                          = "t"
  is_multi_region_trail         = true
  include_global_service_events = true
}
`,
    },
    {
      name: "fix: sets is_multi_region_trail",
      code: `resource "aws_cloudtrail" "t" {
  name                  = "t"
  is_multi_region_trail = false
}
`,
      errors: [{ at: '3:27-3:32' }],
      output: `resource "aws_cloudtrail" "t" {
  name                  = "t"
  is_multi_region_trail = true
}
`,
    },
  ],
});

describe('tf-aws-cloudtrail-multi-region fix data', () => {
  it('inserts is_multi_region_trail = true', async () => {
    const [finding] = await analyze(rule, { 'main.tf': trail('') });
    assert.deepEqual(finding!.data, { fix: 'insert', attribute: 'is_multi_region_trail', value: true });
  });
});
