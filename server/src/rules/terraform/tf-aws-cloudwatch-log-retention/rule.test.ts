import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const group = (name: string, retention?: string) => `resource "aws_cloudwatch_log_group" "g" {
  name = "${name}"${retention === undefined ? '' : `\n  retention_in_days = ${retention}`}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (400 days; 0 = never expire; unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'scope ai skips an application log group', code: group('app-web'), params: { scope: 'ai' } },
    { name: 'scope ai: a log group name from a variable is unknown', code: 'resource "aws_cloudwatch_log_group" "g" {\n  name = var.name\n}\n', params: { scope: 'ai' } },
    { name: 'a retention within min and max', code: group('app', '545'), params: { max_days: 731 } },
    { name: 'min_days lowered', code: group('app', '90'), params: { min_days: 90 } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (absent; 90 days for a CloudTrail log group)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:48', severity: 'medium', message: 'sets no retention_in_days' },
        { at: '7:23-7:25', severity: 'medium', message: 'shorter than the required 365 days' },
      ],
    },
    {
      name: 'scope ai: a log group referenced by a CloudTrail trail is in scope',
      code: fixture(__dirname, 'fail.tf'),
      params: { scope: 'ai' },
      errors: [{ at: '1:1-1:48' }, { at: '7:23-7:25' }],
    },
    { name: 'never expire is refused when allow_never_expire is false', code: group('app', '0'), params: { allow_never_expire: false }, errors: [{ at: '3:23-3:24', message: 'not allowed' }] },
    { name: 'never expire exceeds max_days', code: group('app', '0'), params: { max_days: 731 }, errors: [{ at: '3:23-3:24', message: 'beyond the maximum of 731' }] },
    { name: 'a retention above max_days', code: group('app', '3653'), params: { max_days: 731 }, errors: [{ at: '3:23-3:27', message: 'exceeds the maximum' }] },
    {
      name: 'report_unknown: unknown retention gets an info note',
      code: group('app', 'var.days'),
      params: { report_unknown: true },
      errors: [{ at: '3:23-3:31', severity: 'info', message: /could not evaluate tf-aws-cloudwatch-log-retention: .*var\.days/ }],
    },
    {
      name: "fix: inserts retention_in_days",
      code: `resource "aws_cloudwatch_log_group" "g" {
  name = "app"
}
`,
      errors: [{ at: '1:1-1:40' }],
      output: `resource "aws_cloudwatch_log_group" "g" {
  name              = "app"
  retention_in_days = 365
}
`,
    },
    {
      name: "fix: raises retention_in_days",
      code: `resource "aws_cloudwatch_log_group" "g" {
  name              = "app"
  retention_in_days = 30
}
`,
      errors: [{ at: '3:23-3:25' }],
      output: `resource "aws_cloudwatch_log_group" "g" {
  name              = "app"
  retention_in_days = 365
}
`,
    },
    {
      name: "fix: rounds up to an allowed value",
      code: `resource "aws_cloudwatch_log_group" "g" {
  name              = "app"
  retention_in_days = 30
}
`,
      params: {"min_days":100},
      errors: [{ at: '3:23-3:25' }],
      output: `resource "aws_cloudwatch_log_group" "g" {
  name              = "app"
  retention_in_days = 120
}
`,
    },
  ],
});

describe('tf-aws-cloudwatch-log-retention fix data', () => {
  it('proposes the smallest API-allowed value at least min_days', async () => {
    const [finding] = await analyze(rule, { 'main.tf': group('app') }, { min_days: 200 });
    assert.deepEqual(finding!.data, { fix: 'insert', attribute: 'retention_in_days', value: 365 });
  });
});
