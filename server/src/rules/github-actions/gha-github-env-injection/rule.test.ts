import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** One job on `on` whose step runs `script` (the `run:` value starts on line 6 at column 14). */
const runStep = (on: string, script: string) => `on: ${on}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: ${script}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (untrusted data only through $GITHUB_OUTPUT, a literal to $GITHUB_ENV)', code: fixture(__dirname, 'pass.yml') },
    { name: 'a computed trusted value on push', code: runStep('push', 'echo "VERSION=$(git describe --tags)" >> $GITHUB_ENV') },
    { name: 'a workflow input is not §7 untrusted data for this rule', code: runStep('workflow_dispatch', 'echo "MODEL=${{ inputs.model }}" >> $GITHUB_ENV') },
    { name: 'a step output of unknown origin is Unknown: no finding without report_unknown', code: runStep('push', 'echo "V=${{ steps.meta.outputs.version }}" >> $GITHUB_ENV') },
    { name: 'untrusted data written elsewhere', code: runStep('issues', 'echo "${{ github.event.issue.title }}" > title.txt') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: PR title into GITHUB_ENV, and a computed GITHUB_PATH entry, on pull_request_target',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '11:72-11:85', severity: 'critical', message: 'writes github.event.pull_request.title to $GITHUB_ENV' },
        { at: '12:43-12:55', severity: 'critical', message: 'writes a computed value to $GITHUB_PATH' },
      ],
    },
    {
      name: 'fixture fail2.yml: a step output derived from the commit message (tee -a) and an env var set from it',
      code: fixture(__dirname, 'fail2.yml'),
      errors: [
        { at: '14:70-14:83', severity: 'high', message: 'steps.parse.outputs.summary (derived from untrusted data)' },
        { at: '15:37-15:48', severity: 'high', message: '$MSG (set from github.event.head_commit.message)' },
      ],
    },
    {
      name: 'a literal write on workflow_run passes, a heredoc with an untrusted value does not',
      code: `on: workflow_run
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo "A=1" >> $GITHUB_ENV
      - run: |
          cat <<EOF >> "$GITHUB_ENV"
          BRANCH=\${{ github.event.workflow_run.head_branch }}
          EOF
`,
      errors: [{ at: '8:24-8:37', severity: 'critical', message: 'github.event.workflow_run.head_branch' }],
    },
    {
      name: 'pwsh Add-Content to $env:GITHUB_ENV',
      code: runStep('issue_comment', 'Add-Content -Path $env:GITHUB_ENV -Value "C=${{ github.event.comment.body }}"'),
      errors: [{ at: '6:32-6:47', severity: 'high', message: 'github.event.comment.body' }],
    },
    {
      name: 'with report_unknown, a step output of unknown origin is one info note at the target',
      code: runStep('push', 'echo "V=${{ steps.meta.outputs.version }}" >> $GITHUB_ENV'),
      params: { report_unknown: true },
      errors: [{ at: '6:60-6:71', severity: 'info', message: 'could not evaluate gha-github-env-injection: steps.meta.outputs.version is written to $GITHUB_ENV' }],
    },
  ],
});

describe('gha-github-env-injection related information', () => {
  it('points at where the untrusted value enters', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail2.yml') });
    const msg = findings.find((f) => f.range.start.line === 14)!;
    assert.deepEqual(msg.related?.map((r) => r.at.range.start), [{ line: 8, character: 11 }]);
    assert.equal(msg.data?.fix, 'none');
  });
});
