import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const PROVIDER = '"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"';
/** A role trusting GitHub with the given Condition map (HCL object source). */
const role = (condition: string, principal = PROVIDER) => `resource "aws_iam_role" "r" {
  name = "r"
  assume_role_policy = jsonencode({
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = ${principal} }
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        ${condition}
      }
    }]
  })
}
`;
const like = (sub: string) => role(`StringLike = { "token.actions.githubusercontent.com:sub" = ${sub} }`);

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (data document with environment; StringLike on one branch)', code: fixture(__dirname, 'pass.tf') },
    {
      name: '"*" under StringEquals is a literal',
      code: role('').replace('"sts.amazonaws.com" }', '"sts.amazonaws.com", "token.actions.githubusercontent.com:sub" = "repo:acme/models:*" }'),
    },
    { name: 'an org wildcard accepted by allow_org_wildcard', code: like('"repo:acme/*"'), params: { allow_org_wildcard: true } },
    { name: 'any ref accepted when require_ref_or_environment is false', code: like('"repo:acme/models:*"'), params: { require_ref_or_environment: false } },
    { name: 'a subject in allowed_subjects', code: like('"repo:acme/models:*"'), params: { allowed_subjects: ['repo:acme/models:*'] } },
    { name: 'a subject from a variable is unknown', code: like('var.subject') },
    { name: 'a Federated principal from a variable is unknown', code: role('', 'var.provider_arn') },
    {
      name: 'a role trusting another OIDC provider is out of scope',
      code: role('', '"arn:aws:iam::111122223333:oidc-provider/gitlab.com"'),
    },
    { name: 'a role trusting a service', code: 'resource "aws_iam_role" "s" {\n  name = "s"\n  assume_role_policy = jsonencode({ Statement = [{ Effect = "Allow", Action = "sts:AssumeRole", Principal = { Service = "sagemaker.amazonaws.com" } }] })\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no sub condition: critical; org wildcard in a heredoc: high)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '3:24-11:5', severity: 'critical', message: 'without a condition on token.actions.githubusercontent.com:sub' },
        { at: '25:66-25:79', severity: 'high', message: 'every repository of the acme organization' },
      ],
    },
    {
      name: 'fixture fail2.tf (any ref of one repository: medium; no aud: medium note)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '19:18-19:40', severity: 'medium', message: 'every branch, tag and pull_request' },
        { at: '8:3-8:12', severity: 'medium', message: 'does not check token.actions.githubusercontent.com:aud' },
      ],
    },
    { name: 'sub = "*"', code: like('"*"'), errors: [{ at: '10:68-10:71', severity: 'critical', message: 'every GitHub user and organization' }] },
    { name: 'sub = "repo:*"', code: like('"repo:*"'), errors: [{ at: '10:68-10:76', severity: 'critical' }] },
    { name: 'sub = "repo:acme*" (organizations starting with acme)', code: like('"repo:acme*"'), errors: [{ at: '10:68-10:80', severity: 'critical' }] },
    { name: 'a known bad subject fails even when another is unknown', code: like('concat(["repo:*"], var.more)'), errors: [{ at: '10:68-10:96', severity: 'critical' }] },
    {
      name: 'the OIDC provider by reference; wrong audience',
      code:
        'resource "aws_iam_openid_connect_provider" "gh" {\n  url = "https://token.actions.githubusercontent.com"\n}\n' +
        role('StringEquals = { "token.actions.githubusercontent.com:sub" = "repo:acme/models:environment:prod" }', 'aws_iam_openid_connect_provider.gh.arn').replace('"sts.amazonaws.com" }', '"github" }'),
      errors: [{ at: '12:70-12:78', severity: 'medium', message: 'not "sts.amazonaws.com"' }],
    },
    {
      name: 'report_unknown: an unknown subject gets an info note',
      code: like('var.subject'),
      params: { report_unknown: true },
      errors: [{ at: '10:68-10:79', severity: 'info', message: /could not evaluate tf-aws-iam-github-oidc-sub: .*var\.subject/ }],
    },
    {
      name: "fix: sets the subject of a policy document condition (github_repo and environment set)",
      code: `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/*"]
    }
  }
}
`,
      params: {"github_repo":"acme/models","environment":"prod"},
      errors: [{ at: '19:18-19:33' }],
      output: `data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = ["arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "token.actions.githubusercontent.com:sub"
      values   = ["repo:acme/models:environment:prod"]
    }
  }
}
`,
    },
    {
      name: "fix: sets the subject in jsonencode",
      code: `resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:acme/*" }
      }
    }]
  })
}
`,
      params: {"github_repo":"acme/models","environment":"prod"},
      errors: [{ at: '11:70-11:83' }],
      output: `resource "aws_iam_role" "ci" {
  name = "ci"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = { "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com" }
        StringLike   = { "token.actions.githubusercontent.com:sub" = "repo:acme/models:environment:prod" }
      }
    }]
  })
}
`,
    },
    {
      name: "fix: sets the audience in a JSON heredoc",
      code: `resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = <<JSON
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
    "Condition": {
      "StringEquals": { "token.actions.githubusercontent.com:aud": "sigstore" },
      "StringLike": { "token.actions.githubusercontent.com:sub": "repo:acme/models:environment:prod" }
    }
  }]
}
JSON
}
`,
      errors: [{ at: '11:68-11:78' }],
      output: `resource "aws_iam_role" "ci" {
  name               = "ci"
  assume_role_policy = <<JSON
{
  "Version": "2012-10-17",
  "Statement": [{
    "Effect": "Allow",
    "Action": "sts:AssumeRoleWithWebIdentity",
    "Principal": { "Federated": "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com" },
    "Condition": {
      "StringEquals": { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
      "StringLike": { "token.actions.githubusercontent.com:sub": "repo:acme/models:environment:prod" }
    }
  }]
}
JSON
}
`,
    },
    {
      name: 'fixture fail3.tf (wrong audience; its fix sets sts.amazonaws.com)',
      code: fixture(__dirname, 'fail3.tf'),
      errors: [{ at: '12:55-12:65', severity: 'medium', message: 'not "sts.amazonaws.com"' }],
      output: fixture(__dirname, 'fail3.tf').replace('= "sigstore"', '= "sts.amazonaws.com"'),
    },
  ],
});

describe('tf-aws-iam-github-oidc-sub fix data', () => {
  it('sets the subject to repo:<github_repo>:environment:<environment> when both are configured', async () => {
    const [finding] = await analyze(rule, { 'main.tf': like('"repo:acme/*"') }, { github_repo: 'acme/models', environment: 'prod' });
    assert.deepEqual(finding!.data, { fix: 'set', value: 'repo:acme/models:environment:prod' });
  });
  it('offers no fix otherwise', async () => {
    const [finding] = await analyze(rule, { 'main.tf': like('"repo:acme/*"') });
    assert.equal(finding!.data?.fix, 'none');
  });
});
