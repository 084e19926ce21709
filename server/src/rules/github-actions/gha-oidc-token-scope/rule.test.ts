import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A job `ci` granted id-token: write (value at 7:17-7:22) with the given steps. */
const job = (steps: string) => `on: push
jobs:
  ci:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    steps:
${steps}`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (grants only in consuming jobs: role-to-assume, cosign sign)', code: fixture(__dirname, 'pass.yml') },
    { name: 'google-github-actions/auth with workload_identity_provider', code: job('      - uses: google-github-actions/auth@v2\n        with:\n          workload_identity_provider: ${{ vars.WIF }}\n') },
    { name: 'azure/login with client-id', code: job('      - uses: azure/login@v2\n        with:\n          client-id: ${{ vars.AZ_CLIENT }}\n') },
    { name: 'attest-build-provenance', code: job('      - uses: actions/attest-build-provenance@v2\n') },
    { name: 'oidc_consumers', code: job('      - uses: hashicorp/vault-action@v3\n'), params: { oidc_consumers: ['hashicorp/vault-action'] } },
    { name: 'id-token: none is not a grant', code: job('      - run: make\n').replace('id-token: write', 'id-token: none') },
    { name: 'a local action is Unknown: no finding without report_unknown', code: job('      - uses: ./.github/actions/deploy\n') },
  ],
  invalid: [
    {
      name: 'fix: the workflow grant moves to the consuming jobs, which keep the scopes they inherited',
      code: `on: push
permissions:
  contents: read
  id-token: write
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: make lint
  deploy:
    runs-on: ubuntu-latest
    steps:
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: \${{ vars.WIF }}
  attest:
    runs-on: ubuntu-latest
    permissions:
      attestations: write
    steps:
      - uses: actions/attest-build-provenance@v2
`,
      errors: [{ at: '4:13-4:18', message: 'Grant it only in the jobs that exchange it (deploy, attest)' }],
      output: `on: push
permissions:
  contents: read
jobs:
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: make lint
  deploy:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: google-github-actions/auth@v2
        with:
          workload_identity_provider: \${{ vars.WIF }}
  attest:
    runs-on: ubuntu-latest
    permissions:
      attestations: write
      id-token: write
    steps:
      - uses: actions/attest-build-provenance@v2
`,
    },
    {
      name: 'fixture fail.yml: workflow-level grant, and a job using static keys',
      code: fixture(__dirname, 'fail.yml'),
      output: fixture(__dirname, 'fail.yml').replace(/\n {2}id-token: write\n/, '\n').replace('      id-token: write\n', ''),
      errors: [
        { at: '5:13-5:18', severity: 'medium', message: 'at workflow level lets every job (2)' },
        { at: '15:17-15:22', severity: 'medium', message: 'Job "publish" is granted `id-token: write` but none of its steps exchanges' },
      ],
    },
    {
      name: 'azure/login without client-id does not consume',
      code: job('      - uses: azure/login@v2\n        with:\n          creds: ${{ secrets.AZ }}\n'),
      errors: [{ at: '7:17-7:22' }],
    },
    {
      name: 'with report_unknown, a local action is one info note at the grant',
      code: job('      - uses: ./.github/actions/deploy\n'),
      params: { report_unknown: true },
      errors: [{ at: '7:17-7:22', severity: 'info', message: 'could not evaluate gha-oidc-token-scope: job "ci" uses ./.github/actions/deploy' }],
    },
  ],
});

describe('gha-oidc-token-scope quick-fix data', () => {
  it('moves a workflow-level grant to the consuming jobs', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'pass.yml').replace('permissions:\n  contents: read\n', 'permissions:\n  contents: read\n  id-token: write\n') });
    assert.deepEqual(findings.map((f) => f.data), [{ fix: 'move', key: 'permissions.id-token', value: 'write', toJobs: ['publish', 'sign'] }]);
  });
});
