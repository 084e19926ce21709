import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (Disabled, and a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:55', severity: 'medium', message: 'defaults to "Enabled"' },
        { at: '11:19-11:28', severity: 'medium', message: '"Enabled"' },
      ],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '12:19-12:34', severity: 'info', message: /could not evaluate tf-aws-sagemaker-notebook-root-access: .*var\.root_access/ }],
    },
    {
      name: 'an unexpected value is reported too',
      code: 'resource "aws_sagemaker_notebook_instance" "nb" {\n  root_access = "enabled"\n}\n',
      errors: [{ at: '2:17-2:26', message: '"enabled"' }],
    },
    {
      name: 'quick fix: inserts root_access = "Disabled"',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
}
`,
      errors: [{ at: '1:1-1:48', severity: 'medium', message: 'defaults to "Enabled"' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  root_access   = "Disabled"
}
`,
    },
    {
      name: 'quick fix: sets root_access = "Disabled"',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  root_access   = "Enabled"
}
`,
      errors: [{ at: '5:19-5:28', severity: 'medium', message: 'root_access is "Enabled"' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  root_access   = "Disabled"
}
`,
    },
  ],
});
