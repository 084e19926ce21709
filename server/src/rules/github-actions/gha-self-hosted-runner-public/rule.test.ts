import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const job = (on: string, runsOn: string) => `on: ${on}
jobs:
  train:
    runs-on: ${runsOn}
    steps:
      - run: python train.py
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (GitHub-hosted runner)', code: fixture(__dirname, 'pass.yml'), params: { repository_visibility: 'public' } },
    { name: 'self-hosted on a trigger forks cannot reach', code: job('push', 'self-hosted'), params: { repository_visibility: 'public' } },
    { name: 'a private repository', code: fixture(__dirname, 'fail.yml'), params: { repository_visibility: 'private' } },
    { name: 'a runner chosen at run time is Unknown: no finding without report_unknown', code: job('pull_request', '${{ matrix.runner }}'), params: { repository_visibility: 'public' } },
    { name: 'a group without labels is Unknown (larger GitHub-hosted runners use groups too)', code: job('pull_request', '{ group: big-runners }'), params: { repository_visibility: 'public' } },
  ],
  invalid: [
    {
      name: 'fixture fail.yml, public: self-hosted list and group+labels',
      code: fixture(__dirname, 'fail.yml'),
      params: { repository_visibility: 'public', self_hosted_labels: ['self-hosted', 'gpu'] },
      errors: [
        { at: '9:14-9:40', severity: 'critical', message: 'label "self-hosted") in a workflow triggered by `pull_request`: in a public repository' },
        { at: '14:7-15:20', severity: 'critical', message: 'label "gpu"' },
      ],
    },
    {
      name: 'fixture fail.yml, visibility auto: info notes, only the default self-hosted label',
      code: fixture(__dirname, 'fail.yml'),
      errors: [{ at: '9:14-9:40', severity: 'info', message: 'set repository_visibility' }],
    },
    { name: 'Self-Hosted string on workflow_run', code: job('workflow_run', 'Self-Hosted'), params: { repository_visibility: 'public' }, errors: [{ at: '4:14-4:25', severity: 'critical' }] },
    {
      name: 'with report_unknown, a runner chosen at run time is one info note at the value',
      code: job('pull_request', '${{ matrix.runner }}'),
      params: { repository_visibility: 'public', report_unknown: true },
      errors: [{ at: '4:14-4:34', severity: 'info', message: 'could not evaluate gha-self-hosted-runner-public' }],
    },
  ],
});

describe('gha-self-hosted-runner-public related information', () => {
  it('points at the fork-reachable trigger', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') }, { repository_visibility: 'public' });
    assert.deepEqual(f?.related?.map((r) => [r.message, r.at.range.start.line]), [['fork-reachable trigger `pull_request`', 2]]);
  });
});
