import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const USER = 'resource "aws_iam_user" "bot" {\n  name = "export-bot"\n}\n';
const key = (user: string, extra = '') => `resource "aws_iam_access_key" "k" {
  user = ${user}${extra}
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (OIDC role, no access key)', code: fixture(__dirname, 'pass.tf') },
    { name: 'a user in allowed_users (literal name)', code: key('"break-glass"'), params: { allowed_users: ['break-glass'] } },
    { name: 'a user in allowed_users (through aws_iam_user.x.name)', code: USER + key('aws_iam_user.bot.name'), params: { allowed_users: ['export-bot'] } },
    { name: 'a user from a variable is unknown when allowed_users is set', code: key('var.user'), params: { allowed_users: ['break-glass'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no pgp_key: critical; with pgp_key: high)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '5:1-5:35', severity: 'critical', message: 'plain text in the Terraform state' },
        { at: '9:1-9:39', severity: 'high', message: 'long-lived access key' },
      ],
    },
    { name: 'a user not in allowed_users', code: USER + key('aws_iam_user.bot.name'), params: { allowed_users: ['break-glass'] }, errors: [{ at: '4:1-4:34', severity: 'critical' }] },
    { name: 'an unknown user is still a key when nobody is exempt', code: key('var.user'), errors: [{ at: '1:1-1:34', severity: 'critical' }] },
    {
      name: 'report_unknown: an unknown user with allowed_users gets an info note',
      code: key('var.user'),
      params: { allowed_users: ['break-glass'], report_unknown: true },
      errors: [{ at: '2:10-2:18', severity: 'info', message: /could not evaluate tf-aws-iam-user-access-key: .*var\.user/ }],
    },
  ],
});

describe('tf-aws-iam-user-access-key', () => {
  it('links the finding to the OIDC rule instead of a fix', async () => {
    const [finding] = await analyze(rule, { 'main.tf': key('"x"') });
    assert.deepEqual(finding!.data, { fix: 'none', reason: 'replace the key with role assumption or OIDC federation', relatedRule: 'tf-aws-iam-github-oidc-sub' });
  });
});
