import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A one-job workflow on `on` whose single step runs `script` (the `run:` value on line 6). */
const runStep = (on: string, script: string, extra = '') => `on: ${on}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
${extra}      - run: ${script}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (untrusted values through env, trusted contexts inline)', code: fixture(__dirname, 'pass.yml') },
    { name: 'trusted contexts only', code: runStep('pull_request', 'echo ${{ github.sha }} ${{ github.event.pull_request.number }} ${{ github.event_name }}') },
    { name: 'an untrusted context outside run/script (an `if:`) is not a script', code: runStep('issues', 'echo hi', "      - if: contains(github.event.issue.title, 'x')\n        run: echo ok\n") },
    { name: 'untrusted value passed through env and read as $VAR', code: runStep('pull_request_target', 'echo "$HEAD"', '      - env:\n          HEAD: ${{ github.head_ref }}\n        run: echo "$HEAD"\n') },
    { name: 'a step output is Unknown: no finding without report_unknown', code: runStep('pull_request', 'echo ${{ steps.meta.outputs.title }}') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: issue title in run, issue body in github-script, on a fork-reachable trigger',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '12:28-12:59', severity: 'critical', message: 'anyone can set it through a `issues` event' },
        { at: '17:27-17:57', severity: 'critical', message: 'read process.env.UNTRUSTED_1 instead' },
      ],
      output: fixture(__dirname, 'fail.yml')
        .replace('"New issue: ${{ github.event.issue.title }}"', '"New issue: ${UNTRUSTED_1}"')
        .replace('        env:\n', '')
        .replace('{{ github.event.issue.number }}"\n', '{{ github.event.issue.number }}"\n        env:\n          UNTRUSTED_1: ${{ github.event.issue.title }}\n')
        .replace('`${{ github.event.issue.body }}`', '`${process.env.UNTRUSTED_1}`')
        .concat('        env:\n          UNTRUSTED_1: ${{ github.event.issue.body }}\n'),
    },
    {
      name: 'head_ref on pull_request_target is critical',
      code: runStep('pull_request_target', 'git checkout ${{ github.head_ref }}'),
      errors: [{ at: '6:27-6:49', severity: 'critical', message: 'expands github.head_ref' }],
      output: runStep('pull_request_target', 'git checkout "${UNTRUSTED_1}"\n        env:\n          UNTRUSTED_1: ${{ github.head_ref }}'),
    },
    {
      name: 'untrusted context on a trigger forks cannot reach is high',
      code: runStep('push', 'echo "${{ github.event.head_commit.message }}"'),
      errors: [{ at: '6:20-6:59', severity: 'high', message: 'its author controls it' }],
    },
    {
      name: 'workflow_dispatch inputs are medium',
      code: runStep('workflow_dispatch', 'deploy --model ${{ inputs.model }} --note ${{ github.event.inputs.note }}'),
      errors: [
        { at: '6:29-6:48', severity: 'medium', message: 'whoever starts the workflow chooses it' },
        { at: '6:56-6:87', severity: 'medium', message: 'UNTRUSTED_2' },
      ],
    },
    {
      name: 'object filters and whole objects (toJSON) carry untrusted fields',
      code: runStep('issue_comment', "echo '${{ toJSON(github.event.*.body) }}' '${{ toJSON(github.event.comment) }}'"),
      errors: [
        { at: '6:20-6:54', severity: 'critical', message: 'github.event.*.body' },
        { at: '6:57-6:92', severity: 'critical', message: 'github.event.comment' },
      ],
    },
    {
      name: 'index syntax reads the same untrusted property',
      code: runStep('issues', "echo ${{ github.event['issue']['title'] }}"),
      errors: [{ at: '6:19-6:56', severity: 'critical', message: 'expands github.event.issue.title' }],
    },
    {
      name: 'workflow_run head branch and commit author',
      code: runStep('workflow_run', 'echo ${{ github.event.workflow_run.head_branch }} ${{ github.event.commits[0].author.email }}'),
      errors: [
        { at: '6:19-6:63', severity: 'critical' },
        { at: '6:64-6:107', severity: 'critical' },
      ],
    },
    {
      name: '${{ env.X }} whose value is an untrusted expression is expanded too',
      code: runStep('pull_request', 'echo "${{ env.TITLE }}"').replace('    steps:', '    env:\n      TITLE: ${{ github.event.pull_request.title }}\n    steps:'),
      errors: [{ at: '8:20-8:36', severity: 'critical', message: '(through env.TITLE)' }],
    },
    {
      name: 'pwsh steps read $env:',
      code: runStep('pull_request', 'Write-Host "${{ github.event.pull_request.body }}"').replace('runs-on: ubuntu-latest', 'runs-on: windows-latest'),
      errors: [{ at: '6:26-6:63', message: 'read $env:UNTRUSTED_1 instead' }],
      output: runStep('pull_request', 'Write-Host "$env:UNTRUSTED_1"\n        env:\n          UNTRUSTED_1: ${{ github.event.pull_request.body }}').replace('runs-on: ubuntu-latest', 'runs-on: windows-latest'),
    },
    {
      name: 'fix: in a double-quoted YAML script the quotes of the read are escaped',
      code: runStep('pull_request_target', '"git checkout ${{ github.head_ref }}"'),
      errors: [{ at: '6:28-6:50', severity: 'critical' }],
      output: runStep('pull_request_target', '"git checkout \\"${UNTRUSTED_1}\\""\n        env:\n          UNTRUSTED_1: ${{ github.head_ref }}'),
    },
    {
      name: 'fix: inside single quotes the variable is read between reopened quotes; a flow env gets a quoted entry',
      code: runStep('pull_request_target', "echo 'ref=${{ github.head_ref }}'", '      - env: {LANG: C}\n        run: echo "${{ github.event.pull_request.title }}"\n'),
      errors: [
        { at: '7:20-7:58', severity: 'critical' },
        { at: '8:24-8:46', severity: 'critical' },
      ],
      output: runStep(
        'pull_request_target',
        `echo 'ref='"\${UNTRUSTED_1}"''\n        env:\n          UNTRUSTED_1: \${{ github.head_ref }}`,
        '      - env: {LANG: C, UNTRUSTED_1: "${{ github.event.pull_request.title }}"}\n        run: echo "${UNTRUSTED_1}"\n',
      ),
    },
    {
      name: 'extra_untrusted_contexts',
      code: runStep('release', 'echo ${{ github.event.release.name }}'),
      params: { extra_untrusted_contexts: ['\\bgithub\\.event\\.release\\.name\\b'] },
      errors: [{ at: '6:19-6:51', severity: 'high' }],
    },
    {
      name: 'with report_unknown, a step output in a script is one info note at the expression',
      code: runStep('pull_request', 'echo ${{ steps.meta.outputs.title }}'),
      params: { report_unknown: true },
      errors: [{ at: '6:19-6:50', severity: 'info', message: 'could not evaluate gha-script-injection: steps.meta.outputs.title is computed at run time' }],
    },
  ],
});

describe('gha-script-injection quick-fix data', () => {
  it('names the env variable, the expression and the replacement for the shell', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': runStep('pull_request_target', 'git checkout ${{ github.head_ref }}') });
    assert.deepEqual(f?.data, { fix: 'env-indirection', env: 'UNTRUSTED_1', expression: '${{ github.head_ref }}', replacement: '"${UNTRUSTED_1}"', job: 'build', step: 0 });
  });
});
