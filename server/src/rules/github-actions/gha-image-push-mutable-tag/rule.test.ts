import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const build = (on: string, tags: string) => `on: ${on}
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          push: true
          tags: ${tags}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (latest plus github.sha)', code: fixture(__dirname, 'pass.yml') },
    { name: 'semver and ref_name on tag-only triggers', code: build('\n  push:\n    tags: ["v*"]', 'ghcr.io/acme/x:${{ github.ref_name }},ghcr.io/acme/x:1.2.3') },
    { name: 'tags from docker/metadata-action are Unknown: no finding without report_unknown', code: build('push', '${{ steps.meta.outputs.tags }}') },
    { name: 'immutable_tag_patterns', code: build('push', 'ghcr.io/acme/x:build-${{ github.run_id }}'), params: { immutable_tag_patterns: ['^build-\\$\\{\\{\\s*github\\.run_id\\s*\\}\\}$'] } },
    { name: 'no push', code: build('push', 'ghcr.io/acme/x:latest').replace('push: true', 'push: false') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: latest + ref_name on a branch trigger, untagged + fixed version',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '15:17-17:55', severity: 'medium', message: 'Add an immutable tag such as `ghcr.io/acme/scorer:${{ github.sha }}`' },
        { at: '24:17-24:65', severity: 'medium', message: '`ghcr.io/acme/batch`, `ghcr.io/acme/batch:1.4.0`' },
      ],
    },
    {
      name: 'ref_name on a workflow that also runs on branches; fix: a one-line string gets a comma entry',
      code: build('[push, release]', 'ghcr.io/acme/x:${{ github.ref_name }}'),
      errors: [{ at: '9:17-9:54' }],
      output: build('[push, release]', 'ghcr.io/acme/x:${{ github.ref_name }},ghcr.io/acme/x:${{ github.sha }}'),
    },
    {
      name: 'fix: a | block gets a line at its indentation',
      code: build('push', '|\n            ghcr.io/acme/x:latest'),
      errors: [{ at: '9:17-10:34' }],
      output: build('push', '|\n            ghcr.io/acme/x:latest\n            ghcr.io/acme/x:${{ github.sha }}'),
    },
    {
      name: 'fix: a quoted string keeps its quotes',
      code: build('push', '"ghcr.io/acme/x:latest"'),
      errors: [{ at: '9:17-9:40' }],
      output: build('push', '"ghcr.io/acme/x:latest,ghcr.io/acme/x:${{ github.sha }}"'),
    },
    {
      name: 'fix: a block list gets an item, a flow list an entry',
      code: build('push', '\n            - ghcr.io/acme/x:latest').replace('      - uses: docker/build-push-action@v6', '      - uses: docker/build-push-action@v6\n        with: {push: true, tags: [ghcr.io/acme/y:main]}\n      - uses: docker/build-push-action@v6'),
      errors: [{ at: '7:34-7:55' }, { at: '12:13-12:36' }],
      output: build('push', '\n            - ghcr.io/acme/x:latest\n            - ghcr.io/acme/x:${{ github.sha }}').replace('      - uses: docker/build-push-action@v6', '      - uses: docker/build-push-action@v6\n        with: {push: true, tags: [ghcr.io/acme/y:main, "ghcr.io/acme/y:${{ github.sha }}"]}\n      - uses: docker/build-push-action@v6'),
    },
    {
      name: 'with report_unknown, computed tags are one info note at the value',
      code: build('push', '${{ steps.meta.outputs.tags }}'),
      params: { report_unknown: true },
      errors: [{ at: '9:17-9:47', severity: 'info', message: 'could not evaluate gha-image-push-mutable-tag' }],
    },
  ],
});

describe('gha-image-push-mutable-tag quick-fix data', () => {
  it('appends <image>:${{ github.sha }}', async () => {
    const [f] = await analyze(rule, { '.github/workflows/ci.yml': build('push', 'ghcr.io/acme/x:latest') });
    assert.deepEqual(f?.data, { fix: 'append', key: 'with.tags', value: 'ghcr.io/acme/x:${{ github.sha }}', job: 'image', step: 0 });
  });
});
