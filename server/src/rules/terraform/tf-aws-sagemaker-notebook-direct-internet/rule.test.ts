import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const notebook = (body: string) => `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "nb"
  role_arn      = "arn:aws:iam::123456789012:role/nb"
  instance_type = "ml.t3.medium"
${body}}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (Disabled in a VPC, and a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'Disabled with subnet and security groups from variables',
      code: notebook('  subnet_id              = var.subnet\n  security_groups        = var.sgs\n  direct_internet_access = "Disabled"\n'),
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:55', severity: 'high', message: 'defaults to "Enabled"' },
        { at: '11:28-11:37', severity: 'high', message: '"Enabled"' },
      ],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '16:28-16:54', severity: 'info', message: /could not evaluate tf-aws-sagemaker-notebook-direct-internet: .*var\.direct_internet_access/ }],
    },
    {
      name: 'Disabled without a subnet is rejected by SageMaker (low)',
      code: notebook('  direct_internet_access = "Disabled"\n'),
      errors: [{ at: '5:28-5:38', severity: 'low', message: 'subnet_id' }],
    },
    {
      name: 'Disabled without security groups (low)',
      code: notebook('  subnet_id              = "subnet-0abc"\n  direct_internet_access = "Disabled"\n'),
      errors: [{ at: '6:28-6:38', severity: 'low', message: 'security_groups' }],
      // Quick fix (placeholder): the missing security_groups to fill in.
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name                   = "nb"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  instance_type          = "ml.t3.medium"
  subnet_id              = "subnet-0abc"
  direct_internet_access = "Disabled"
  security_groups        = ["REPLACE_ME"]
}
`,
    },
    {
      name: 'quick fix: inserts direct_internet_access = "Disabled" in a notebook already in a VPC',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name            = "nb"
  role_arn        = "arn:aws:iam::123456789012:role/nb"
  instance_type   = "ml.t3.medium"
  subnet_id       = aws_subnet.private.id
  security_groups = [aws_security_group.nb.id]
}
`,
      errors: [{ at: '1:1-1:48', severity: 'high', message: 'defaults to "Enabled"' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name                   = "nb"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  instance_type          = "ml.t3.medium"
  subnet_id              = aws_subnet.private.id
  security_groups        = [aws_security_group.nb.id]
  direct_internet_access = "Disabled"
}
`,
    },
    {
      name: 'quick fix (placeholder): sets "Disabled" and adds subnet_id / security_groups to fill in',
      code: `resource "aws_sagemaker_notebook_instance" "nb" {
  name                   = "nb"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  instance_type          = "ml.t3.medium"
  direct_internet_access = "Enabled"
}
`,
      errors: [{ at: '5:28-5:37', severity: 'high', message: '"Enabled"' }],
      output: `resource "aws_sagemaker_notebook_instance" "nb" {
  name                   = "nb"
  role_arn               = "arn:aws:iam::123456789012:role/nb"
  instance_type          = "ml.t3.medium"
  direct_internet_access = "Disabled"
  subnet_id              = "REPLACE_ME"
  security_groups        = ["REPLACE_ME"]
}
`,
    },
  ],
});
