import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const withEnv = (value: string) => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo hi
        env:
          ACTIONS_ALLOW_UNSECURE_COMMANDS: ${value}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (explicitly false, $GITHUB_ENV used instead)', code: fixture(__dirname, 'pass.yml') },
    { name: 'an expression value is Unknown: no finding without report_unknown', code: withEnv('${{ vars.LEGACY }}') },
    { name: 'another variable', code: withEnv('true').replace('ACTIONS_ALLOW_UNSECURE_COMMANDS', 'ACTIONS_STEP_DEBUG') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: workflow, job and step env, any case and quoting',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '6:36-6:40', severity: 'high', message: '(workflow env)' },
        { at: '11:40-11:46', severity: 'high', message: 'ACTIONS_ALLOW_UNSECURE_COMMANDS: TRUE (job env)' },
        { at: '15:44-15:47', severity: 'high', message: '(step env)' },
      ],
    },
    { name: '$true', code: withEnv("'$true'"), errors: [{ at: '8:44-8:51' }], output: withEnv("'$true'").replace(/\n        env:\n.*\n/, '\n') },
    {
      name: 'fix: only the offending entry goes when env has others',
      code: withEnv('true\n          TZ: UTC'),
      errors: [{ at: '8:44-8:48' }],
      output: withEnv('true\n          TZ: UTC').replace('          ACTIONS_ALLOW_UNSECURE_COMMANDS: true\n', ''),
    },
    {
      name: 'with report_unknown, an expression value is one info note at the value',
      code: withEnv('${{ vars.LEGACY }}'),
      params: { report_unknown: true },
      errors: [{ at: '8:44-8:62', severity: 'info', message: 'could not evaluate gha-insecure-commands' }],
    },
  ],
});

describe('gha-insecure-commands quick-fix data', () => {
  it('deletes the env entry', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': withEnv('true') });
    assert.deepEqual(f?.data, { fix: 'delete', key: 'ACTIONS_ALLOW_UNSECURE_COMMANDS', level: 'step' });
  });
});
