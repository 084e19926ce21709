import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadCorpus } from './corpus';
import { fuzz } from './driver';
import { diff, mutate, MUTATORS } from './mutators';
import { deriveSeed, Rng } from './prng';

/** The short run of `npm test`; `npm run fuzz` is the long one (docs/robustness.md). Change the seed only on purpose. */
const SEED = 20261122;
const EDITS_PER_INPUT = 30;

describe('fuzzing building blocks', () => {
  it('the generator repeats itself for a seed and differs between seeds', () => {
    const draw = (seed: number) => Array.from({ length: 5 }, ((r) => () => r.int(1000))(new Rng(seed)));
    assert.deepEqual(draw(42), draw(42));
    assert.notDeepEqual(draw(42), draw(43));
    assert.notEqual(deriveSeed(1, 'a.tf'), deriveSeed(1, 'b.tf'));
  });

  it('every mutator returns an edit inside the text, also of an empty text', () => {
    const rng = new Rng(SEED);
    for (const [name, mutator] of Object.entries(MUTATORS)) {
      for (const text of ['', 'a', 'resource "x" "y" {\r\n  a = 1\n}\n', 'k: v\n- x\n']) {
        for (let i = 0; i < 20; i++) {
          const m = mutator(text, rng);
          assert.ok(m.start >= 0 && m.start <= m.end && m.end <= text.length, `${name} on ${JSON.stringify(text)}: ${m.start}-${m.end}`);
        }
      }
    }
  });

  it('diff gives the one edit that turns a mutated text back into the original', () => {
    const rng = new Rng(SEED);
    const original = 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n';
    let text = original;
    for (let i = 0; i < 50; i++) {
      const m = mutate(text, rng);
      text = text.slice(0, m.start) + m.text + text.slice(m.end);
    }
    const back = diff(text, original);
    assert.equal(text.slice(0, back.start) + back.text + text.slice(back.end), original);
  });
});

describe('fuzzing the standalone server (short run)', () => {
  it(`survives ${EDITS_PER_INPUT} seeded mutations of each input: no crash, no hang, no exception, invariants hold`, { timeout: 240_000 }, async (t) => {
    const corpus = loadCorpus();
    const rng = new Rng(SEED);
    const byPlacement = (p: string) => corpus.filter((i) => i.placement === p && i.name.includes('/fixtures/'));
    // The examples of each kind, the generated inputs, and one seeded fixture of each kind.
    const names = new Set([
      'examples/terraform/storage.tf',
      'examples/kubernetes/model-serving.yaml',
      'examples/.github/workflows/deploy.yml',
      'examples/.gitlab-ci.yml',
      'generated:terraform-400-lines',
      'generated:kubernetes-8-documents',
      ...['terraform', 'kubernetes', 'github-actions', 'gitlab-ci'].map((p) => rng.pick(byPlacement(p)).name),
    ]);
    const inputs = corpus.filter((i) => names.has(i.name));
    assert.equal(inputs.length, names.size, 'every chosen input is in the corpus');
    const started = Date.now();
    const totals = await fuzz({ seed: SEED, editsPerInput: EDITS_PER_INPUT, inputs, timeoutMs: 5_000 });
    t.diagnostic(
      `seed ${SEED}: inputs ${totals.inputs}, edits ${totals.edits}, requests ${totals.requests}, crashes ${totals.crashes}, hangs ${totals.hangs}, ` +
        `exceptions ${totals.exceptions}, violations ${totals.violations}, max latency ${totals.maxLatencyMs.toFixed(0)} ms, ${((Date.now() - started) / 1000).toFixed(1)} s`,
    );
    assert.deepEqual(totals.problems, []);
    assert.equal(totals.inputs, inputs.length);
    assert.equal(totals.edits, inputs.length * EDITS_PER_INPUT);
    assert.ok(totals.requests >= inputs.length * 3 * Math.ceil(EDITS_PER_INPUT / 5), `requests: ${totals.requests}`);
  });
});
