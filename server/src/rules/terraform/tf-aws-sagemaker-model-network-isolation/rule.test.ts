import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [{ name: 'fixture pass.tf (isolated in a VPC, and a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') }],
  invalid: [
    {
      name: 'fixture fail.tf (defaulted; explicit false without a VPC)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:43', severity: 'medium', message: 'defaults to false' },
        { at: '14:30-14:35', severity: 'medium', message: 'is false' },
        { at: '11:1-11:42', severity: 'info', message: 'has no vpc_config' },
      ],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '20:30-20:51', severity: 'info', message: /could not evaluate tf-aws-sagemaker-model-network-isolation: .*var\.network_isolation/ }],
    },
    {
      name: 'isolated but outside a VPC is only an info recommendation',
      code: 'resource "aws_sagemaker_model" "m" {\n  enable_network_isolation = true\n}\n',
      errors: [{ at: '1:1-1:35', severity: 'info', message: 'vpc_config' }],
    },
    {
      name: 'quick fix: inserts enable_network_isolation = true',
      code: `resource "aws_sagemaker_model" "ranker" {
  name               = "ranker"
  execution_role_arn = aws_iam_role.inference.arn

  vpc_config {
    subnets            = [aws_subnet.private.id]
    security_group_ids = [aws_security_group.inference.id]
  }
}
`,
      errors: [{ at: '1:1-1:40', severity: 'medium', message: 'defaults to false' }],
      output: `resource "aws_sagemaker_model" "ranker" {
  name                     = "ranker"
  execution_role_arn       = aws_iam_role.inference.arn
  enable_network_isolation = true

  vpc_config {
    subnets            = [aws_subnet.private.id]
    security_group_ids = [aws_security_group.inference.id]
  }
}
`,
    },
    {
      name: 'quick fix: sets enable_network_isolation = true',
      code: `resource "aws_sagemaker_model" "ranker" {
  name                     = "ranker"
  execution_role_arn       = aws_iam_role.inference.arn
  enable_network_isolation = false

  vpc_config {
    subnets            = [aws_subnet.private.id]
    security_group_ids = [aws_security_group.inference.id]
  }
}
`,
      errors: [{ at: '4:30-4:35', severity: 'medium', message: 'is false' }],
      output: `resource "aws_sagemaker_model" "ranker" {
  name                     = "ranker"
  execution_role_arn       = aws_iam_role.inference.arn
  enable_network_isolation = true

  vpc_config {
    subnets            = [aws_subnet.private.id]
    security_group_ids = [aws_security_group.inference.id]
  }
}
`,
    },
  ],
});
