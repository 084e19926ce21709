import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const trivy = (withBlock: string) => `on: push
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.32.0
        with:
          image-ref: ghcr.io/acme/scorer:1
${withBlock}`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (checks that fail; continue-on-error on a non-check step)', code: fixture(__dirname, 'pass.yml') },
    { name: 'trivy-config may set the exit code: Unknown, no finding without report_unknown', code: trivy('          trivy-config: trivy.yaml\n') },
    { name: 'an expression continue-on-error is Unknown', code: trivy('          exit-code: "1"\n').replace('      - uses:', '      - continue-on-error: ${{ github.event_name == \'push\' }}\n        uses:') },
    { name: 'set -e after set +e restores failing', code: 'on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          set +e\n          make lint\n          set -e\n          grype dir:.\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: job continue-on-error, --soft-fail, trivy without exit-code, set +e, || true, step continue-on-error, soft_fail',
      code: fixture(__dirname, 'fail.yml'),
      output: fixture(__dirname, 'fail.yml')
        .replace(/continue-on-error: true/g, 'continue-on-error: false')
        .replace(' --soft-fail', '')
        .replace('scan-type: config\n', 'scan-type: config\n          exit-code: "1"\n')
        .replace('          set +e\n', '')
        .replace(' || true', '')
        .replace('soft_fail: true', 'soft_fail: false'),
      errors: [
        { at: '8:24-8:28', severity: 'high', message: 'Job "policy-check" runs checkov but cannot fail the pipeline (`continue-on-error: true` on the job)' },
        { at: '13:31-13:42', severity: 'high', message: '`--soft-fail`' },
        { at: '14:9-14:81', severity: 'high', message: 'no `exit-code`' },
        { at: '21:11-21:17', severity: 'high', message: '`set +e` before it' },
        { at: '22:49-22:56', severity: 'high', message: '`|| true`' },
        { at: '24:28-24:32', severity: 'high', message: 'bridgecrewio/checkov-action in job "scan"' },
        { at: '26:22-26:26', severity: 'high', message: '`soft_fail: true`' },
      ],
    },
    { name: 'trivy exit-code 0', code: trivy('          exit-code: 0\n'), errors: [{ at: '9:22-9:23', message: '`exit-code: 0`' }] },
    {
      name: 'check_commands replace the defaults',
      code: 'on: push\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: model-audit ./model || exit 0\n',
      params: { check_commands: ['\\bmodel-audit\\b'] },
      errors: [{ at: '6:34-6:43', message: 'model-audit in job "s"' }],
    },
    {
      name: 'with report_unknown, trivy-config is one info note at the value',
      code: trivy('          trivy-config: trivy.yaml\n'),
      params: { report_unknown: true },
      errors: [{ at: '9:25-9:35', severity: 'info', message: 'could not evaluate gha-continue-on-error-checks: the exit code may be set in the trivy-config file' }],
    },
  ],
});

describe('gha-continue-on-error-checks quick-fix data', () => {
  it('inserts exit-code "1" for Trivy', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': trivy('          format: sarif\n') });
    assert.deepEqual(f?.data, { fix: 'insert', key: 'with.exit-code', value: '1', job: 'scan', step: 0 });
  });
});
