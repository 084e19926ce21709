import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const policy = (statement: string) => `resource "aws_iam_policy" "p" {
  name = "p"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{
${statement}
    }]
  })
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (scoped actions; service wildcard on one resource; Deny *)', code: fixture(__dirname, 'pass.tf') },
    { name: 'service wildcards allowed when flag_service_wildcards is false', code: policy('      Effect = "Allow"\n      Action = "iam:*"\n      Resource = "*"'), params: { flag_service_wildcards: false } },
    { name: 'Resource from a variable is unknown', code: policy('      Effect = "Allow"\n      Action = "*"\n      Resource = var.resources') },
    { name: 'Effect from a variable is unknown', code: policy('      Effect = var.effect\n      Action = "*"\n      Resource = "*"') },
    { name: 'a data document no identity policy uses is not checked', code: 'data "aws_iam_policy_document" "unused" {\n  statement {\n    actions   = ["*"]\n    resources = ["*"]\n  }\n}\n' },
    {
      name: 'AdministratorAccess on a role not trusted by CI or AI services is out of scope',
      code: 'resource "aws_iam_role" "ops" {\n  name = "ops"\n  managed_policy_arns = ["arn:aws:iam::aws:policy/AdministratorAccess"]\n  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { AWS = "arn:aws:iam::111122223333:root" } }] })\n}\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (jsonencode *; iam:* in a data document; NotAction in a heredoc)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '7:18-7:21', severity: 'critical', message: 'allows Action "*" on Resource "*"' },
        { at: '15:34-15:41', severity: 'high', message: '("iam:*")' },
        { at: '33:40-33:47', severity: 'critical', message: 'NotAction' },
      ],
    },
    {
      name: 'fixture fail2.tf (AdministratorAccess on a GitHub OIDC role and on a SageMaker role)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '21:16-21:61', severity: 'critical', message: 'a CI OIDC provider' },
        { at: '26:26-26:71', severity: 'critical', message: 'sagemaker.amazonaws.com' },
      ],
    },
    {
      name: 'a known "*" fails even when other actions are unknown',
      code: policy('      Effect = "Allow"\n      Action = concat(["*"], var.more)\n      Resource = "*"'),
      errors: [{ at: '7:16-7:39', severity: 'critical' }],
    },
    {
      name: 'an inline role policy',
      code: 'resource "aws_iam_role" "r" {\n  name = "r"\n  assume_role_policy = "{}"\n  inline_policy {\n    name   = "all"\n    policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["*"], Resource = ["*"] }] })\n  }\n}\n',
      errors: [{ at: '6:70-6:73', severity: 'critical' }],
    },
    {
      name: 'report_unknown: unknown resources get an info note',
      code: policy('      Effect = "Allow"\n      Action = "*"\n      Resource = var.resources'),
      params: { report_unknown: true },
      errors: [{ at: '8:18-8:31', severity: 'info', message: /could not evaluate tf-aws-iam-admin-wildcard: .*var\.resources/ }],
    },
  ],
});

describe('tf-aws-iam-admin-wildcard', () => {
  it('offers no fix: required permissions are intent', async () => {
    const [finding] = await analyze(rule, { 'main.tf': policy('      Effect = "Allow"\n      Action = "*"\n      Resource = "*"') });
    assert.deepEqual(finding!.data, { fix: 'none', reason: 'required permissions are intent' });
  });
});
