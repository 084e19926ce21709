import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A job `ci` on `on` whose first step checks out with `with` (keys at 8 spaces), then `after` steps. */
const checkout = (on: string, withBlock: string, after = '') => `on: ${on}
jobs:
  ci:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
        with:
${withBlock}${after}`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (pull_request_target checking out the base commit)', code: fixture(__dirname, 'pass.yml') },
    { name: 'fixture pass2.yml (head checkout on pull_request, which has no secrets)', code: fixture(__dirname, 'pass2.yml') },
    { name: 'a base-ref checkout on workflow_run', code: checkout('workflow_run', '          ref: ${{ github.event.workflow_run.head_repository.default_branch }}\n') },
    {
      name: 'allowed_jobs',
      code: checkout('pull_request_target', '          ref: ${{ github.head_ref }}\n'),
      params: { allowed_jobs: ['ci'] },
    },
    { name: 'a ref from a step output is Unknown: no finding without report_unknown', code: checkout('pull_request_target', '          ref: ${{ steps.pick.outputs.sha }}\n') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: head checkout followed by pip/python, and gh pr checkout',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '14:16-14:57', severity: 'critical', message: 'then executes that code (pip)' },
        { at: '22:9-22:68', severity: 'high', message: 'fetches the pull request\'s code (`gh pr checkout`)' },
      ],
    },
    {
      name: 'workflow_run head_sha without a later execution is high',
      code: checkout('workflow_run', '          ref: ${{ github.event.workflow_run.head_sha }}\n'),
      errors: [{ at: '8:16-8:57', severity: 'high', message: 'checks out the pull request head' }],
    },
    {
      name: 'repository set to the fork, then a local action',
      code: checkout(
        'pull_request_target',
        '          repository: ${{ github.event.pull_request.head.repo.full_name }}\n',
        '      - uses: ./.github/actions/setup\n',
      ),
      errors: [{ at: '8:23-8:75', severity: 'critical', message: 'uses: ./.github/actions/setup' }],
    },
    {
      name: 'refs/pull/<n>/merge, then make',
      code: checkout('pull_request_target', '          ref: refs/pull/${{ github.event.number }}/merge\n', '      - run: make test\n'),
      errors: [{ at: '8:16-8:58', severity: 'critical', message: '(make)' }],
    },
    {
      name: 'git fetch of pull/<n>/head',
      code: checkout('pull_request_target', '          fetch-depth: 0\n', '      - run: git fetch origin pull/${{ github.event.number }}/head:pr\n'),
      errors: [{ at: '9:9-9:70', severity: 'high', message: 'git fetch origin pull/${{ github.event.number }}/head' }],
    },
    {
      name: 'with report_unknown, a ref from a step output is one info note at the value',
      code: checkout('pull_request_target', '          ref: ${{ steps.pick.outputs.sha }}\n'),
      params: { report_unknown: true },
      errors: [{ at: '8:16-8:45', severity: 'info', message: 'could not evaluate gha-pull-request-target-checkout: `ref` comes from steps.pick.outputs.sha' }],
    },
  ],
});

describe('gha-pull-request-target-checkout related information', () => {
  it('points at the trigger and the executing command', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') });
    assert.deepEqual(
      f?.related?.map((r) => [r.message, r.at.range.start.line + 1, r.at.range.start.character + 1]),
      [
        ['runs on `pull_request_target` with a write token and secrets', 3, 3],
        ['executes the checked-out code: pip', 17, 11],
      ],
    );
    assert.equal(f?.data?.fix, 'none');
  });
});
