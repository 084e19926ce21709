import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const sameJob = `on: push
jobs:
  rollout:
    runs-on: ubuntu-latest
    steps:
      - run: conftest test k8s/
      - run: kubectl apply -f k8s/
`;

const viaReusable = `on: push
jobs:
  checks:
    uses: acme/governance/.github/workflows/checks.yml@0123456789abcdef0123456789abcdef01234567
  deploy:
    needs: checks
    runs-on: ubuntu-latest
    steps:
      - run: kubectl apply -f k8s/
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (transitive gate, success() condition, same-job gate)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'push: expression is Unknown: no finding without report_unknown',
      code: 'on: push\njobs:\n  img:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          push: ${{ github.event_name == \'push\' }}\n',
    },
    { name: 'a gate in a reusable workflow is Unknown', code: viaReusable },
    { name: 'policy_gate_jobs names the gate', code: viaReusable.replace(/  checks:\n.*\n/, '  opa:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo\n').replace('needs: checks', 'needs: opa'), params: { policy_gate_jobs: ['^opa$'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: push job without gate in its needs (append), apply bypassing the gate with always()',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '17:12-17:17', severity: 'high', message: 'none of the jobs it needs is a policy gate). Add `needs: [policy-check]`' },
        { at: '23:9-23:17', severity: 'high', message: 'runs it even when the gate failed' },
      ],
      output: fixture(__dirname, 'fail.yml').replace('needs: build', 'needs: [build, policy-check]').replace('if: always()', 'if: success()'),
    },
    {
      name: 'fixture fail2.yml: gate with continue-on-error, no needs at all, no usable gate job',
      code: fixture(__dirname, 'fail2.yml'),
      errors: [
        { at: '12:12-12:16', severity: 'high', message: 'gate "scan" has continue-on-error: true' },
        { at: '16:3-16:7', severity: 'high', message: 'Job "sync" deploys (argocd app sync)' },
      ],
      // Both findings add the same gate job: the second fix collides with the first and is left out.
      output: fixture(__dirname, 'fail2.yml').replace('needs: scan', 'needs: [scan, policy-check]').concat(
        '  policy-check:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n' +
          '      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\n        with:\n          persist-credentials: false\n' +
          '      - run: REPLACE_ME # policy command, must exit non-zero on violations\n',
      ),
    },
    {
      name: 'fix: a job without needs gets needs: [<gate>] above its first key',
      code: 'on: push\njobs:\n  opa:\n    runs-on: ubuntu-latest\n    steps:\n      - run: conftest test deploy/\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f deploy/\n',
      errors: [{ at: '7:3-7:9', message: 'Add `needs: [opa]`' }],
      output: 'on: push\njobs:\n  opa:\n    runs-on: ubuntu-latest\n    steps:\n      - run: conftest test deploy/\n  deploy:\n    needs: [opa]\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -f deploy/\n',
    },
    {
      name: 'same_job_gate_ok: false requires a gate job',
      code: sameJob,
      params: { same_job_gate_ok: false },
      errors: [{ at: '3:3-3:10', message: 'Add a `needs:` on a policy gate job' }],
    },
    {
      name: 'with report_unknown, a gate in a reusable workflow is one info note at needs',
      code: viaReusable,
      params: { report_unknown: true },
      errors: [{ at: '6:12-6:18', severity: 'info', message: 'could not evaluate gha-deploy-needs-policy-check: job "deploy" needs "checks", a reusable workflow' }],
    },
  ],
});

describe('gha-deploy-needs-policy-check quick-fix data', () => {
  it('appends the only gate job to needs, and sets if: success() on a bypass', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') });
    assert.deepEqual(
      findings.map((f) => f.data),
      [
        { fix: 'append', key: 'needs', value: 'policy-check', job: 'push-image' },
        { fix: 'set', key: 'if', value: 'success()', job: 'apply' },
      ],
    );
  });
});
