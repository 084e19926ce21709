import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (keys on notebook and domain, and a key from a variable is unknown)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf (notebook and domain without a key)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:51', severity: 'medium', message: 'ML storage volume' },
        { at: '7:1-7:41', severity: 'medium', message: 'EFS volume' },
      ],
    },
    {
      name: 'with report_unknown, a key from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '29:19-29:39', severity: 'info', message: /could not evaluate tf-aws-sagemaker-notebook-kms: .*var\.notebook_kms_key/ }],
    },
    {
      name: 'an empty key is not a key',
      code: 'resource "aws_sagemaker_notebook_instance" "nb" {\n  kms_key_id = ""\n}\n',
      errors: [{ at: '1:1-1:48', message: 'does not set kms_key_id' }],
    },
    {
      name: 'null leaves the key unset',
      code: 'resource "aws_sagemaker_domain" "d" {\n  kms_key_id = null\n}\n',
      params: { kms_key_ref: 'aws_kms_key.ml.arn' },
      errors: [{ at: '1:1-1:36', message: 'customer-managed KMS key' }],
    },
    {
      name: 'quick fix (placeholder): inserts kms_key_id = "REPLACE_ME"',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
}
`,
      errors: [{ at: '1:1-1:48', severity: 'medium', message: 'does not set kms_key_id' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = "REPLACE_ME"
}
`,
    },
    {
      name: 'quick fix: inserts the configured kms_key_ref expression',
      code: `resource "aws_sagemaker_domain" "studio" {
  domain_name = "ml-studio"
  auth_mode   = "IAM"

  default_user_settings {
    execution_role = aws_iam_role.studio.arn
  }
}
`,
      params: { kms_key_ref: 'aws_kms_key.ml.arn' },
      errors: [{ at: '1:1-1:41', severity: 'medium', message: 'does not set kms_key_id' }],
      output: `resource "aws_sagemaker_domain" "studio" {
  domain_name = "ml-studio"
  auth_mode   = "IAM"
  kms_key_id  = aws_kms_key.ml.arn

  default_user_settings {
    execution_role = aws_iam_role.studio.arn
  }
}
`,
    },
    {
      name: 'quick fix: replaces an empty kms_key_id',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = ""
}
`,
      params: { kms_key_ref: 'aws_kms_key.ml.arn' },
      errors: [{ at: '1:1-1:48', severity: 'medium', message: 'does not set kms_key_id' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
  kms_key_id    = aws_kms_key.ml.arn
}
`,
    },
  ],
});
