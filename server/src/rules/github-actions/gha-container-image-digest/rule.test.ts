import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const containerJob = (image: string) => `on: push
jobs:
  build:
    runs-on: ubuntu-latest
    container: ${image}
    steps:
      - run: make
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (container, service and docker:// pinned by digest)', code: fixture(__dirname, 'pass.yml') },
    { name: 'exempt_images by repository', code: containerJob('python:3.12-slim'), params: { exempt_images: ['python'] } },
    { name: 'an image chosen at run time is Unknown: no finding without report_unknown', code: containerJob('${{ matrix.image }}') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: container with secrets (high), service (medium), string container and docker:// (medium)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '9:14-9:42', severity: 'high', message: 'runs with the job\'s secrets' },
        { at: '12:16-12:23', severity: 'medium', message: 'service "redis"' },
        { at: '19:16-19:32', severity: 'medium', message: 'Pin it as `python:3.12-slim@sha256:<64 hex digits>`' },
        { at: '21:24-21:54', severity: 'medium', message: 'step 1 (docker://)' },
      ],
    },
    { name: 'an upper-case digest is not a valid digest', code: containerJob(`alpine@sha256:${'A'.repeat(64)}`), errors: [{ at: '5:16-5:94' }] },
    {
      name: 'with report_unknown, an image chosen at run time is one info note at the value',
      code: containerJob('${{ matrix.image }}'),
      params: { report_unknown: true },
      errors: [{ at: '5:16-5:35', severity: 'info', message: 'could not evaluate gha-container-image-digest' }],
    },
  ],
});

describe('gha-container-image-digest quick-fix data', () => {
  it('needs the network to resolve the digest', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': containerJob('python:3.12-slim') });
    assert.deepEqual(f?.data, { fix: 'none', reason: 'resolving the digest needs registry access (net)', net: true, image: 'python:3.12-slim', job: 'build' });
  });
});
