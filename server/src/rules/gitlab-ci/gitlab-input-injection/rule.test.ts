import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (options, regex, number input; untrusted variables used as data or single-quoted in eval)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'an input used outside scripts',
      code: 'spec:\n  inputs:\n    stage:\n---\nbuild:\n  stage: $[[ inputs.stage ]]\n  script: [make]\n',
    },
    {
      name: 'interpolation without a spec header in this file is unknown: nothing reported',
      code: 'build:\n  script:\n    - make $[[ inputs.target ]]\n',
    },
    {
      name: 'custom untrusted_variables without the commit ref name',
      code: 'checkout:\n  script:\n    - eval "git checkout $CI_COMMIT_REF_NAME"\n',
      params: { untrusted_variables: ['CI_MERGE_REQUEST_TITLE'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (free-form string inputs, expand_vars, eval and sh -c over untrusted variables, directly and through a file variable)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '15:27-15:51', severity: 'high', message: 'Input "model_name" is a free-form string' },
        { at: '15:64-15:86', severity: 'high', message: 'Input "endpoint"' },
        { at: '16:12-16:48', severity: 'high', message: 'uses expand_vars' },
        { at: '17:26-17:45', severity: 'high', message: 'eval re-parses $CI_COMMIT_REF_NAME' },
        { at: '18:26-18:37', severity: 'high', message: 'sh -c re-parses ${MR_TITLE} (set from $CI_MERGE_REQUEST_TITLE)' },
      ],
      // expand_vars and the re-parsing commands must be rewritten by hand: no fix for them.
      output: fixture(__dirname, 'fail.yml')
        .replace('      description: model to deploy\n', '      description: model to deploy\n      regex: REPLACE_ME\n')
        .replace('      default: fraud\n', '      default: fraud\n      regex: REPLACE_ME\n'),
    },
    {
      name: 'bash -c in after_script of a hidden template',
      code: '.notify:\n  after_script:\n    - bash -c "echo $CI_MERGE_REQUEST_DESCRIPTION | mail ops"\n',
      errors: [{ at: '3:21-3:50', message: 'bash -c re-parses' }],
    },
    {
      name: 'report_unknown: interpolation without a spec header gets an info note',
      code: 'build:\n  script:\n    - make $[[ inputs.target ]]\n',
      params: { report_unknown: true },
      errors: [{ at: '3:12-3:32', severity: 'info', message: 'could not evaluate gitlab-input-injection: input target is declared in a spec: header that is not in this file' }],
    },
  ],
});
