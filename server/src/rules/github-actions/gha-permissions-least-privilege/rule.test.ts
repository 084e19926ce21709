import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const inheritedWrite = `on: issue_comment
permissions:
  pull-requests: write
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - run: echo triage
`;

const twoInheritors = `on:
  workflow_run:
    workflows: [build]
    types: [completed]
permissions:
  actions: write
jobs:
  a:
    runs-on: ubuntu-latest
  b:
    runs-on: ubuntu-latest
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (top-level read, job-level writes on push and pull_request)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'a write scope on a job listed in allowed_write_jobs',
      code: fixture(__dirname, 'pass-allowed-job.yml'),
      params: { allowed_write_jobs: ['comment'] },
    },
    {
      name: 'a workflow-level write scope whose only inheriting job is allowed',
      code: inheritedWrite,
      params: { allowed_write_jobs: ['triage'] },
    },
    {
      name: 'read-all and read scopes on pull_request_target',
      code: 'on: pull_request_target\npermissions: read-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n',
    },
    { name: 'a file without on: is not (yet) a workflow', code: 'jobs:\n  a:\n    runs-on: ubuntu-latest\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: no top-level permissions, job write scope on pull_request_target, job write-all',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '2:1-2:3', severity: 'medium', message: 'declares no top-level permissions' },
        { at: '10:22-10:27', severity: 'high', message: 'Job "label" has `pull-requests: write` in a workflow triggered by pull_request_target' },
        { at: '15:18-15:27', severity: 'high', message: 'job "publish"\'s GITHUB_TOKEN' },
      ],
      output: fixture(__dirname, 'fail.yml')
        .replace('    types: [opened]\n', '    types: [opened]\npermissions: {}\n')
        .replace('    permissions: write-all', '    permissions:\n      contents: read'),
    },
    {
      name: 'fixture fail-write-all.yml: top-level write-all on push',
      code: fixture(__dirname, 'fail-write-all.yml'),
      errors: [{ at: '2:14-2:23', severity: 'high', message: "the workflow's GITHUB_TOKEN write access to every scope" }],
      output: fixture(__dirname, 'fail-write-all.yml').replace('permissions: write-all', 'permissions:\n  contents: read'),
    },
    {
      name: 'fix: a workflow that checks out gets contents: read after a multi-line on:',
      code: 'on:\n  push:\n    branches: [main]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
      errors: [{ at: '1:1-1:3', severity: 'medium' }],
      output: 'on:\n  push:\n    branches: [main]\npermissions:\n  contents: read\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
    },
    {
      name: 'a job write scope on issue_comment (list form) without allowed_write_jobs',
      code: fixture(__dirname, 'pass-allowed-job.yml'),
      errors: [{ at: '8:15-8:20', severity: 'high', message: 'issue_comment' }],
    },
    {
      name: 'a workflow-level write scope on issue_comment (string form) reaches the job',
      code: inheritedWrite,
      errors: [{ at: '3:18-3:23', severity: 'high', message: 'it reaches job "triage"' }],
    },
    {
      name: 'a workflow-level write scope on workflow_run (map form) reaches a job that is not allowed',
      code: twoInheritors,
      params: { allowed_write_jobs: ['a'] },
      errors: [{ at: '6:12-6:17', message: 'it reaches job "b")' }],
    },
    {
      name: 'a workflow-level write scope no job inherits is still reported',
      code: 'on: [push, issues]\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions: {}\n',
      errors: [{ at: '3:13-3:18', message: 'every job added without its own permissions' }],
    },
    {
      name: 'a quoted "on" key: the finding covers the key as written',
      code: '"on": push\njobs:\n  a:\n    runs-on: ubuntu-latest\n',
      errors: [{ at: '1:1-1:5', severity: 'medium' }],
    },
  ],
});

describe('gha-permissions-least-privilege quick-fix data', () => {
  const withCheckout = `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
`;
  const file = '.github/workflows/ci.yml';
  const dataOf = async (code: string, params?: Record<string, unknown>) => {
    const findings = await analyze(rule, { [file]: code }, params);
    assert.equal(findings.length, 1);
    return findings[0]!.data;
  };

  it('suggests contents: read when the workflow checks out and checkout_needs_read is on (default)', async () => {
    assert.deepEqual(await dataOf(withCheckout), { fix: 'insert', key: 'permissions', after: 'on', value: { contents: 'read' } });
  });

  it('suggests {} when checkout_needs_read is off', async () => {
    assert.deepEqual(await dataOf(withCheckout, { checkout_needs_read: false }), { fix: 'insert', key: 'permissions', after: 'on', value: {} });
  });

  it('suggests {} when nothing checks out', async () => {
    assert.deepEqual((await dataOf('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n'))?.value, {});
  });

  it('suggests contents: read in place of write-all', async () => {
    assert.deepEqual((await dataOf(fixture(__dirname, 'fail-write-all.yml')))?.value, { contents: 'read' });
  });
});
