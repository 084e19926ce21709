import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const cluster = (types: string) => `resource "aws_eks_cluster" "c" {
  name                      = "c"
  role_arn                  = "arn:aws:iam::111122223333:role/eks"
  enabled_cluster_log_types = ${types}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (literal list; concat with known required types)', code: fixture(__dirname, 'pass.tf') },
    { name: 'all five types', code: cluster('["api", "audit", "authenticator", "controllerManager", "scheduler"]') },
    { name: 'a list from a variable is unknown', code: cluster('var.log_types') },
    { name: 'concat that may add the missing type is unknown', code: cluster('concat(["audit"], var.extra)') },
    { name: 'required_types narrowed to audit', code: cluster('["audit"]'), params: { required_types: ['audit'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no logs; authenticator missing)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:38', severity: 'medium', message: 'sends no control-plane logs' },
        { at: '13:31-13:47', severity: 'medium', message: 'lacks "authenticator"' },
      ],
    },
    { name: 'an empty list', code: cluster('[]'), errors: [{ at: '4:31-4:33', message: 'lacks "audit", "authenticator"' }] },
    { name: 'required_types widened to api', code: cluster('["audit", "authenticator"]'), params: { required_types: ['api', 'audit', 'authenticator'] }, errors: [{ at: '4:31-4:57', message: 'lacks "api"' }] },
    {
      name: 'report_unknown: an unknown list gets an info note',
      code: cluster('var.log_types'),
      params: { report_unknown: true },
      errors: [{ at: '4:31-4:44', severity: 'info', message: /could not evaluate tf-aws-eks-audit-logging: .*var\.log_types/ }],
    },
    {
      name: "fix: inserts the required types",
      code: `resource "aws_eks_cluster" "c" {
  name     = "c"
  role_arn = "arn"
}
`,
      errors: [{ at: '1:1-1:31' }],
      output: `resource "aws_eks_cluster" "c" {
  name                      = "c"
  role_arn                  = "arn"
  enabled_cluster_log_types = ["audit", "authenticator"]
}
`,
    },
    {
      name: "fix: appends to a one-line list",
      code: `resource "aws_eks_cluster" "c" {
  enabled_cluster_log_types = ["api"]
}
`,
      errors: [{ at: '2:31-2:38' }],
      output: `resource "aws_eks_cluster" "c" {
  enabled_cluster_log_types = ["api", "audit", "authenticator"]
}
`,
    },
    {
      name: "fix: appends a line to a multi-line list with trailing commas",
      code: `resource "aws_eks_cluster" "c" {
  name = "c"
  enabled_cluster_log_types = [
    "api",
    "audit",
  ]
}
`,
      errors: [{ at: '3:31-6:4' }],
      output: `resource "aws_eks_cluster" "c" {
  name = "c"
  enabled_cluster_log_types = [
    "api",
    "audit",
    "authenticator",
  ]
}
`,
    },
  ],
});

describe('tf-aws-eks-audit-logging fix data', () => {
  it('lists the values to append', async () => {
    const [finding] = await analyze(rule, { 'main.tf': cluster('["api"]') });
    assert.deepEqual(finding!.data, { fix: 'append', attribute: 'enabled_cluster_log_types', values: ['audit', 'authenticator'] });
  });
});
