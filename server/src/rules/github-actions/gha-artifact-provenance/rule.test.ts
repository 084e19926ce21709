import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const pushStep = (on: string, steps: string) => `on: ${on}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
${steps}`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (attestation bound to the digest, BuildKit provenance+SBOM, cosign attest in a later job)', code: fixture(__dirname, 'pass.yml') },
    { name: 'push: expression is Unknown: no finding without report_unknown', code: pushStep('push', '      - uses: docker/build-push-action@v6\n        with:\n          push: ${{ github.event_name != \'pull_request\' }}\n') },
    { name: 'a build that does not push', code: pushStep('push', '      - uses: docker/build-push-action@v6\n        with:\n          push: false\n') },
    { name: 'cosign sign in the same job', code: pushStep('push', '      - run: docker push ghcr.io/acme/x:1\n      - run: cosign sign --yes ghcr.io/acme/x@${DIGEST}\n') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: build-push without provenance (medium), model upload in production (high), crane copy promotion (high)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '14:9-14:80', severity: 'medium', message: 'Job "image" pushes an image with docker/build-push-action without provenance' },
        { at: '23:9-23:56', severity: 'high', message: 'publishes a model artifact (`huggingface-cli upload`) (production environment "production")' },
        { at: '27:9-27:89', severity: 'high', message: '(it promotes an existing image)' },
      ],
    },
    {
      name: 'an attestation without a subject does not count; a release is high',
      code: pushStep('release', '      - run: docker push ghcr.io/acme/x:1\n      - uses: actions/attest-build-provenance@v2\n'),
      errors: [{ at: '6:9-6:42', severity: 'high', message: '(a release)' }],
    },
    {
      name: 'fix: QF-11 after the push, bound to the build digest, reusing the pin of the action in the file',
      code: pushStep('push', '      - uses: docker/build-push-action@v6\n        id: img\n        with:\n          push: true\n      - uses: actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be # v2\n'),
      errors: [{ at: '6:9-6:42', severity: 'medium' }],
      output: `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      attestations: write
    steps:
      - uses: docker/build-push-action@v6
        id: img
        with:
          push: true
      - name: Attest build provenance
        uses: actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be # v2
        with:
          subject-name: REPLACE_ME # registry/image without tag
          subject-digest: \${{ steps.img.outputs.digest }}
          push-to-registry: true
      - uses: actions/attest-build-provenance@e8998f949152b193b063cb0ec769d69d929409be # v2
`,
    },
    {
      name: 'provenance without sbom is not enough',
      code: pushStep('push', '      - uses: docker/build-push-action@v6\n        with:\n          push: true\n          provenance: mode=max\n'),
      errors: [{ at: '6:9-6:42', severity: 'medium' }],
    },
    {
      name: 'model_publish_commands replace the defaults',
      code: pushStep('push', '      - run: dvc push -r models\n'),
      params: { model_publish_commands: ['\\bdvc\\s+push\\b'] },
      errors: [{ at: '6:9-6:32', message: 'publishes a model artifact (`dvc push`)' }],
    },
    {
      name: 'with report_unknown, push: expression is one info note at the value',
      code: pushStep('push', '      - uses: docker/build-push-action@v6\n        with:\n          push: ${{ inputs.push }}\n'),
      params: { report_unknown: true },
      errors: [{ at: '8:17-8:35', severity: 'info', message: 'could not evaluate gha-artifact-provenance' }],
    },
  ],
});

describe('gha-artifact-provenance quick-fix data', () => {
  it('binds the attestation to the build step digest', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') });
    assert.deepEqual(f?.data, {
      fix: 'add-step',
      template: 'QF-11',
      subjectDigest: '${{ steps.build.outputs.digest }}',
      jobPermissions: { 'id-token': 'write', attestations: 'write' },
      placeholder: false,
      job: 'image',
      after: 0,
    });
  });
});
