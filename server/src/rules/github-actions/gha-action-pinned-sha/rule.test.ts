import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const oneStep = (uses: string) => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: ${uses}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'fixture pass.yml (40- and 64-hex SHAs, quoted, local action, docker://, pinned and local reusable workflows)',
      code: fixture(__dirname, 'pass.yml'),
    },
    {
      name: 'allow_unpinned globs match owner/repo case-insensitively',
      code: fixture(__dirname, 'pass-allowlisted.yml'),
      params: { allow_unpinned: ['acme-internal/*'] },
    },
    {
      name: 'verify_reachable needs the network and adds nothing offline',
      code: fixture(__dirname, 'pass.yml'),
      params: { verify_reachable: true },
    },
    { name: 'an expression in uses is unknown', code: oneStep("${{ matrix.action }}") },
    { name: 'a parent-relative local action is exempt', code: oneStep('../shared/action') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: tag, quoted tags and branch, short SHA, missing ref, job-level reusable workflow',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '9:32-9:34', severity: 'high', message: 'actions/checkout@<commit SHA> # v4' },
        { at: '11:41-11:48', message: '"v6.18.0", a tag or branch' },
        { at: '12:54-12:58', message: 'aws-actions/configure-aws-credentials' },
        { at: '13:29-13:36', message: 'abbreviated commit SHA' },
        { at: '14:15-14:37', message: 'has no @ref' },
        { at: '16:56-16:58', message: /^reusable workflow acme\/workflows\/\.github\/workflows\/promote\.yml / },
      ],
    },
    {
      name: 'an escape before @ in a double-quoted scalar shifts the ref',
      code: oneStep('"actions/check\\x6Fut@v4"'),
      errors: [{ at: '6:36-6:38', message: 'actions/checkout' }],
    },
    {
      name: "a doubled quote in a single-quoted scalar shifts the ref",
      code: oneStep("'acme/it''s-action@v1'"),
      errors: [{ at: '6:34-6:36', message: "acme/it's-action" }],
    },
    {
      name: 'a folded block scalar: the ref is on the next line',
      code: oneStep('>-\n          actions/checkout@v4'),
      errors: [{ at: '7:28-7:30' }],
    },
    {
      name: 'an empty ref fails on the whole value',
      code: oneStep('actions/checkout@'),
      errors: [{ at: '6:15-6:32', message: 'has no @ref' }],
    },
    {
      name: 'without allow_unpinned the allowlisted fixture fails',
      code: fixture(__dirname, 'pass-allowlisted.yml'),
      errors: [{ at: '7:41-7:43' }, { at: '8:44-8:48' }],
    },
    {
      name: 'an allow_unpinned glob covers only the repositories it names',
      code: fixture(__dirname, 'pass-allowlisted.yml'),
      params: { allow_unpinned: ['acme-internal/lint-*'] },
      errors: [{ at: '8:44-8:48', message: 'acme-internal/tools/sub/path' }],
    },
  ],
});
