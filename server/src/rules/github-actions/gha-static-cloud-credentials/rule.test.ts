import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** One step with `env` NAME: value (value at line 8, column 17 + name length). */
const stepEnv = (name: string, value: string) => `on: push
jobs:
  train:
    runs-on: ubuntu-latest
    steps:
      - run: python train.py
        env:
          ${name}: ${value}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (OIDC for AWS, GCP and Azure)', code: fixture(__dirname, 'pass.yml') },
    { name: 'an unrelated env variable', code: stepEnv('AWS_REGION', 'eu-west-1') },
    { name: 'an empty value', code: stepEnv('ARM_CLIENT_SECRET', '""') },
    {
      name: 'a credential from an earlier step is Unknown: no finding without report_unknown',
      code: stepEnv('GOOGLE_APPLICATION_CREDENTIALS', '${{ steps.auth.outputs.credentials_file_path }}'),
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: AWS keys (one finding per step), GCP key JSON, Azure creds, workflow env secret key',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '15:30-15:62', severity: 'high', message: 'long-lived key (`aws-access-key-id`, `aws-secret-access-key` of aws-actions/configure-aws-credentials)' },
        { at: '20:29-20:54', severity: 'high', message: 'google-github-actions/auth' },
        { at: '23:18-23:50', severity: 'high', message: 'azure/login' },
        { at: '8:26-8:62', severity: 'high', message: 'Workflow env sets AWS_SECRET_ACCESS_KEY' },
      ],
    },
    {
      name: 'fix: aws_role_arn replaces the keys, the job keeps its scopes and gains id-token: write',
      code: 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          aws-access-key-id: ${{ secrets.KEY_ID }}\n          aws-region: eu-west-1\n          aws-secret-access-key: ${{ secrets.KEY }}\n',
      params: { aws_role_arn: 'arn:aws:iam::123456789012:role/deploy' },
      errors: [{ at: '10:30-10:51', message: 'AWS' }],
      output: 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n      id-token: write\n    steps:\n      - uses: aws-actions/configure-aws-credentials@v4\n        with:\n          role-to-assume: arn:aws:iam::123456789012:role/deploy\n          aws-region: eu-west-1\n',
    },
    { name: 'ARM_CLIENT_SECRET in step env', code: stepEnv('ARM_CLIENT_SECRET', '${{ secrets.ARM }}'), errors: [{ at: '8:30-8:48', message: 'Step env sets ARM_CLIENT_SECRET' }] },
    { name: 'GOOGLE_CREDENTIALS', code: stepEnv('GOOGLE_CREDENTIALS', '${{ secrets.GCP }}'), errors: [{ at: '8:31-8:49', message: 'GCP' }] },
    {
      name: 'with report_unknown, a credential from an earlier step is one info note at the value',
      code: stepEnv('AZURE_CLIENT_SECRET', '${{ steps.vault.outputs.secret }}'),
      params: { report_unknown: true },
      errors: [{ at: '8:32-8:65', severity: 'info', message: 'could not evaluate gha-static-cloud-credentials' }],
    },
  ],
});

describe('gha-static-cloud-credentials quick-fix data', () => {
  it('replaces AWS key inputs with role-to-assume from aws_role_arn and grants id-token', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') }, { aws_role_arn: 'arn:aws:iam::1:role/x' });
    const aws = findings.find((f) => f.range.start.line === 14)!;
    assert.deepEqual(aws.data, {
      fix: 'replace-inputs',
      cloud: 'aws',
      remove: ['aws-access-key-id', 'aws-secret-access-key'],
      insert: { 'role-to-assume': 'arn:aws:iam::1:role/x' },
      jobPermissions: { 'id-token': 'write', contents: 'read' },
      placeholder: false,
    });
  });
});
