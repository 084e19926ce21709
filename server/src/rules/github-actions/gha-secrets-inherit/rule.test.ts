import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const call = (uses: string, secrets = 'inherit') => `on: push
jobs:
  call:
    uses: ${uses}
    secrets: ${secrets}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (explicit secrets maps, none, and a named secret)', code: fixture(__dirname, 'pass.yml') },
    { name: 'a called workflow chosen at run time is Unknown: no finding without report_unknown', code: call('${{ inputs.workflow }}') },
    { name: 'secrets.X inside toJSON of something else', code: call('./.github/workflows/a.yml', '{ A: "${{ toJSON(secrets.A) }}" }') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: remote inherit (high), local inherit (medium), toJSON(secrets) (high)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '10:14-10:21', severity: 'high', message: 'the remote workflow acme/ml-workflows' },
        { at: '13:14-13:21', severity: 'medium', message: 'the local workflow ./.github/workflows/evaluate.yml' },
        { at: '19:24-19:46', severity: 'high', message: '${{ toJSON(secrets) }} serialises every secret' },
      ],
    },
    {
      name: 'fix: a local callee gets an explicit map to fill in',
      code: call('./.github/workflows/eval.yml', 'inherit'),
      errors: [{ at: '5:14-5:21', severity: 'medium' }],
      output: call('./.github/workflows/eval.yml', '\n      REPLACE_ME: ${{ secrets.REPLACE_ME }}').replace('secrets: \n', 'secrets:\n'),
    },
    { name: 'inherit in another case', code: call('acme/w/.github/workflows/x.yml@v1', 'Inherit'), errors: [{ at: '5:14-5:21', severity: 'high' }] },
    {
      name: 'with report_unknown, a called workflow chosen at run time is one info note at secrets',
      code: call('${{ inputs.workflow }}'),
      params: { report_unknown: true },
      errors: [{ at: '5:14-5:21', severity: 'info', message: 'could not evaluate gha-secrets-inherit' }],
    },
  ],
});

describe('gha-secrets-inherit quick-fix data', () => {
  it('offers an explicit map only for local workflows', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') });
    assert.deepEqual(
      findings.map((f) => f.data?.fix),
      ['none', 'set', 'none'],
    );
  });
});
