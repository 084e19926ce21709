import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const withContainerPassword = (password: string) => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    container:
      image: ghcr.io/acme/ci:1
      credentials:
        username: bot
        password: ${password}
    steps:
      - run: make
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (secrets references everywhere)', code: fixture(__dirname, 'pass.yml') },
    { name: 'a password from env is Unknown: no finding without report_unknown', code: withContainerPassword('${{ env.REGISTRY_PASSWORD }}') },
    { name: 'an empty password', code: withContainerPassword('""') },
    { name: 'a value that does not look like a credential', code: withContainerPassword('${{ secrets.X }}').replace('run: make', 'run: make\n        env:\n          OPENAI_MODEL: gpt-4o') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: AWS key in workflow env, container and service passwords, GitHub token in with',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '6:22-6:42', severity: 'critical', message: 'workflow env AWS_ACCESS_KEY_ID holds a literal credential (AKIA… (20 characters)' },
        { at: '14:19-14:35', severity: 'critical', message: 'The container of job "evaluate" has a literal registry password (hunt… (16 characters))' },
        { at: '20:21-20:39', severity: 'critical', message: 'service "db"' },
        { at: '24:18-24:58', severity: 'critical', message: 'input "token" of step 1 in job "evaluate"' },
      ],
    },
    {
      name: 'credential_regexes replace the defaults',
      code: withContainerPassword('${{ secrets.X }}').replace('run: make', 'run: make\n        env:\n          INTERNAL: acme-key-1234'),
      params: { credential_regexes: ['\\bacme-key-\\d+'] },
      errors: [{ at: '13:21-13:34', message: 'matching `\\bacme-key-\\d+`' }],
      output: withContainerPassword('${{ secrets.X }}').replace('run: make', 'run: make\n        env:\n          INTERNAL: ${{ secrets.REPLACE_ME }}'),
    },
    {
      name: 'a private key in a reusable-workflow call',
      code: 'on: push\njobs:\n  call:\n    uses: ./.github/workflows/sign.yml\n    with:\n      key: "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn"\n',
      errors: [{ at: '6:12-6:57', message: 'input "key" of job "call"' }],
      // secrets.* is not available in a reusable workflow call's with: no fix, the key moves to secrets: by hand.
      output: 'on: push\njobs:\n  call:\n    uses: ./.github/workflows/sign.yml\n    with:\n      key: "-----BEGIN OPENSSH PRIVATE KEY-----\\nb3Blbn"\n',
    },
    {
      name: 'with report_unknown, a password from env is one info note at the value',
      code: withContainerPassword('${{ env.REGISTRY_PASSWORD }}'),
      params: { report_unknown: true },
      errors: [{ at: '9:19-9:47', severity: 'info', message: 'could not evaluate gha-hardcoded-credentials' }],
    },
  ],
});

describe('gha-hardcoded-credentials', () => {
  it('never puts the secret in the message, and proposes a secrets reference', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') });
    for (const f of findings) assert.ok(!/hunter2-registry|AKIAIOSFODNN7EXAMPLE|pg-registry-pass|abcdefghijklmnop/.test(f.message), f.message);
    const pw = findings.find((f) => f.range.start.line === 13)!;
    assert.deepEqual(pw.data, { fix: 'set', value: '${{ secrets.EVALUATE_CONTAINER_REGISTRY_PASSWORD }}', placeholder: true, secret: 'EVALUATE_CONTAINER_REGISTRY_PASSWORD' });
  });
});
