import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (false and 0 values, other variables)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'a value from a project variable is unknown: nothing reported',
      code: 'variables:\n  CI_DEBUG_TRACE: $DEBUG_PIPELINE\ntest:\n  script: [make test]\n',
    },
    {
      name: 'an empty value',
      code: 'test:\n  variables:\n    CI_DEBUG_TRACE: ""\n  script: [make test]\n',
    },
    {
      name: 'a variable with a similar name',
      code: 'test:\n  variables:\n    MY_CI_DEBUG_TRACE: "true"\n  script: [make test]\n',
    },
  ],
  invalid: [
    {
      name: 'fix: the variable is removed, its siblings stay',
      code: 'test:\n  variables:\n    CI_DEBUG_TRACE: "true"\n    FOO: bar\n  script: [make test]\n',
      errors: [{ at: '3:21-3:27' }],
      output: 'test:\n  variables:\n    FOO: bar\n  script: [make test]\n',
    },
    {
      name: 'fix: a long-form variable alone in its block takes the block with it',
      code: 'test:\n  variables:\n    CI_DEBUG_SERVICES:\n      value: "true"\n  script: [make test]\n',
      errors: [{ at: '4:14-4:20' }],
      output: 'test:\n  script: [make test]\n',
    },
    {
      name: 'fixture fail.yml (global, job long form, job rule, workflow rule)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '2:19-2:25', severity: 'high', message: 'CI_DEBUG_TRACE is enabled in the top-level variables' },
        { at: '8:14-8:20', severity: 'high', message: 'CI_DEBUG_SERVICES is enabled in job "deploy-model"' },
        { at: '15:25-15:28', message: 'job "deploy-model"' },
        { at: '21:25-21:31', message: 'workflow:rules' },
      ],
    },
    {
      name: 'an unquoted YAML boolean in a hidden template',
      code: '.debug:\n  variables:\n    CI_DEBUG_TRACE: true\n',
      errors: [{ at: '3:21-3:25', message: 'job ".debug"' }],
    },
    {
      name: 'a value expanded from a variable written in the file',
      code: 'variables:\n  DEBUG: "true"\ntest:\n  variables:\n    CI_DEBUG_TRACE: $DEBUG\n  script: [make test]\n',
      errors: [{ at: '5:21-5:27', message: 'the job log then shows the value of every variable' }],
    },
    {
      name: 'a variables block shared through an anchor is reported once',
      code: '.vars: &vars\n  CI_DEBUG_TRACE: "true"\na:\n  variables: *vars\n  script: [x]\nb:\n  variables: *vars\n  script: [y]\n',
      errors: [{ at: '2:19-2:25' }],
    },
    {
      name: 'report_unknown: a value from a project variable gets an info note',
      code: 'variables:\n  CI_DEBUG_TRACE: $DEBUG_PIPELINE\ntest:\n  script: [make test]\n',
      params: { report_unknown: true },
      errors: [{ at: '2:19-2:34', severity: 'info', message: 'could not evaluate gitlab-debug-trace: CI_DEBUG_TRACE is set from $DEBUG_PIPELINE' }],
    },
  ],
});
