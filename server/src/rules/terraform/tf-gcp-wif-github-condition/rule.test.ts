import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const provider = (condition: string) => `resource "google_iam_workload_identity_pool_provider" "p" {
  attribute_condition = "${condition}"
  attribute_mapping = {
    "google.subject"       = "assertion.sub"
    "attribute.repo_owner" = "assertion.repository_owner"
  }
  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (owner-id condition, repository binding, condition from a variable)', code: fixture(__dirname, 'pass.tf') },
    { name: 'a condition on a mapped repository attribute', code: provider("attribute.repo_owner == 'acme'") },
    { name: 'a condition naming an allowed repository', code: provider("assertion.repository == 'acme/ml-platform'"), params: { allowed_repositories: ['acme/*'] } },
    {
      name: 'another issuer is out of scope',
      code: 'resource "google_iam_workload_identity_pool_provider" "p" {\n  oidc {\n    issuer_uri = "https://gitlab.com"\n  }\n}\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no condition: critical; no google.subject: high; pool-wide binding: high)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:63', severity: 'critical', message: 'without an attribute_condition' },
        { at: '4:23-6:4', severity: 'high', message: 'google.subject' },
        { at: '16:24-16:110', severity: 'high', message: 'every identity of the workload identity pool' },
      ],
    },
    {
      name: 'fixture fail2.tf (a condition that does not constrain the repository)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [{ at: '4:40-4:76', severity: 'critical', message: 'does not constrain assertion.repository' }],
    },
    {
      name: 'with report_unknown, a condition from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '28:40-28:57', severity: 'info', message: /could not evaluate tf-gcp-wif-github-condition: .*var\.wif_condition/ }],
    },
    {
      name: 'a repository outside allowed_repositories',
      code: provider("assertion.repository == 'evil/fork'"),
      params: { allowed_repositories: ['acme/*'] },
      errors: [{ at: '2:25-2:62', severity: 'critical', message: "admits 'evil/fork'" }],
    },
    {
      name: 'a literal pool-wide member in a binding',
      code: 'resource "google_service_account_iam_binding" "b" {\n  role    = "roles/iam.workloadIdentityUser"\n  members = ["principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/github/*"]\n}\n',
      errors: [{ at: '3:14-3:108', severity: 'high' }],
    },
    {
      name: 'quick fix (placeholder): inserts a repository_owner_id condition to fill in',
      code: `resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "github"
  workload_identity_pool_provider_id = "github-actions"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`,
      errors: [{ at: '1:1-1:63', severity: 'critical', message: 'without an attribute_condition' }],
      output: `resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "github"
  workload_identity_pool_provider_id = "github-actions"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = "assertion.repository_owner_id == 'REPLACE_ME'"

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`,
    },
    {
      name: 'quick fix: inserts the condition on the one allowed_owner_ids entry',
      code: `resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "github"
  workload_identity_pool_provider_id = "github-actions"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`,
      params: { allowed_owner_ids: ['1342004'] },
      errors: [{ at: '1:1-1:63', severity: 'critical', message: 'without an attribute_condition' }],
      output: `resource "google_iam_workload_identity_pool_provider" "github" {
  workload_identity_pool_id          = "github"
  workload_identity_pool_provider_id = "github-actions"
  attribute_mapping = {
    "google.subject" = "assertion.sub"
  }
  attribute_condition = "assertion.repository_owner_id == '1342004'"

  oidc {
    issuer_uri = "https://token.actions.githubusercontent.com"
  }
}
`,
    },
  ],
});
