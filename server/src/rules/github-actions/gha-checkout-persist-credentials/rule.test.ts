import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const checkout = (on: string, uses: string, withBlock = '') => `on: ${on}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: ${uses}
${withBlock}`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (false, and an explicit true in a persist_ok_jobs job)', code: fixture(__dirname, 'pass.yml'), params: { persist_ok_jobs: ['tag'] } },
    { name: 'an expression is Unknown: no finding without report_unknown', code: checkout('push', 'actions/checkout@v4', '        with:\n          persist-credentials: ${{ inputs.push }}\n') },
    { name: 'another action', code: checkout('push', 'actions/setup-node@v4') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: default with a workspace upload (high), explicit true (medium)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '9:9-9:72', severity: 'high', message: 'uploads the workspace as an artifact' },
        { at: '20:32-20:36', severity: 'medium', message: 'sets persist-credentials: true' },
      ],
    },
    {
      name: 'persist_ok_jobs exempts only an explicit true',
      code: fixture(__dirname, 'pass.yml').replace('          persist-credentials: true\n', ''),
      params: { persist_ok_jobs: ['tag'] },
      errors: [{ at: '16:9-16:72', severity: 'medium', message: 'leaves persist-credentials at its default (true)' }],
    },
    {
      name: 'pull_request_target is high',
      code: checkout('pull_request_target', 'actions/checkout@v4'),
      errors: [{ at: '6:9-6:34', severity: 'high', message: '`pull_request_target` workflow gets a write token' }],
      output: checkout('pull_request_target', 'actions/checkout@v4', '        with:\n          persist-credentials: false\n'),
    },
    {
      name: 'fix: a flow `with:` stays flow',
      code: checkout('push', 'actions/checkout@v4', '        with: {fetch-depth: 0}\n'),
      errors: [{ at: '6:9-6:34', severity: 'medium' }],
      output: checkout('push', 'actions/checkout@v4', '        with: {fetch-depth: 0, persist-credentials: false}\n'),
    },
    {
      name: 'fix: CRLF line breaks are kept',
      code: checkout('push', 'actions/checkout@v4', '        with:\n          fetch-depth: 0\n').replace(/\n/g, '\r\n'),
      errors: [{ at: '6:9-6:34', severity: 'medium' }],
      output: checkout('push', 'actions/checkout@v4', '        with:\n          fetch-depth: 0\n          persist-credentials: false\n').replace(/\n/g, '\r\n'),
    },
    {
      name: 'checkout v6 by tag is low',
      code: checkout('workflow_run', 'actions/checkout@v6.0.0'),
      errors: [{ at: '6:9-6:38', severity: 'low', message: 'checkout v6 keeps it under $RUNNER_TEMP' }],
    },
    {
      name: 'checkout v6 by SHA with a version comment is low',
      code: checkout('push', 'actions/checkout@1af3b93b6815bc44a9784bd300feb67ff0d1eeb3 # v6.0.0'),
      errors: [{ at: '6:9-6:72', severity: 'low' }],
    },
    {
      name: 'with report_unknown, an expression is one info note at the value',
      code: checkout('push', 'actions/checkout@v4', '        with:\n          persist-credentials: ${{ inputs.push }}\n'),
      params: { report_unknown: true },
      errors: [{ at: '8:32-8:50', severity: 'info', message: 'could not evaluate gha-checkout-persist-credentials' }],
    },
  ],
});

describe('gha-checkout-persist-credentials quick-fix data', () => {
  it('inserts or sets with.persist-credentials: false', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') });
    assert.deepEqual(
      findings.map((f) => f.data?.fix),
      ['insert', 'set'],
    );
    assert.deepEqual(findings[0]?.related?.map((r) => r.at.range.start.line), [13]);
  });
});
