// The long fuzzing run: `npm run fuzz` (builds dist/ first).
//   FUZZ_SEED   the seed (default: the time); printed, so a failing run can be repeated
//   FUZZ_EDITS  edits per input (default 200)
//   FUZZ_ONLY   only the inputs whose name contains this text
//   FUZZ_VERBOSE=1  print each input as it starts
//   FUZZ_CR=0   no \r in mutations (see docs/robustness.md, "CRLF")
//   FUZZ_STDERR=1  print the server's whole stderr when it crashes
// Prints the totals and one line per problem; exits 1 if there was any.
import { loadCorpus } from './corpus';
import { fuzz } from './driver';

async function main(): Promise<number> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Date.now() % 2 ** 31;
  const editsPerInput = Number(process.env.FUZZ_EDITS ?? 200);
  if (!Number.isInteger(seed) || !Number.isInteger(editsPerInput) || editsPerInput < 1) {
    console.error('FUZZ_SEED must be an integer and FUZZ_EDITS a positive integer.');
    return 2;
  }
  const only = process.env.FUZZ_ONLY;
  const inputs = loadCorpus().filter((i) => !only || i.name.includes(only));
  if (inputs.length === 0) {
    console.error(`No input's name contains FUZZ_ONLY=${only}.`);
    return 2;
  }
  console.log(`fuzz: seed ${seed}, ${inputs.length} inputs, ${editsPerInput} edits each${process.env.FUZZ_CR === '0' ? ', no \\r' : ''}`);
  const t0 = Date.now();
  const totals = await fuzz({
    seed,
    editsPerInput,
    inputs,
    carriageReturns: process.env.FUZZ_CR !== '0',
    log: (line) => console.log(`  ${line}`),
    onInput: (input, i) => process.env.FUZZ_VERBOSE && console.log(`[${i + 1}/${inputs.length}] ${input.name}`),
  });
  const n = totals.inputs;
  console.log(
    [
      `inputs: ${n}`,
      `edits: ${totals.edits}`,
      `requests: ${totals.requests}`,
      `crashes: ${totals.crashes}`,
      `hangs: ${totals.hangs}`,
      `exceptions: ${totals.exceptions}`,
      `invariant violations: ${totals.violations}`,
      `max latency: ${totals.maxLatencyMs.toFixed(0)} ms`,
      `time: ${((Date.now() - t0) / 1000).toFixed(1)} s`,
      `seed: ${seed}`,
    ].join('\n'),
  );
  return totals.problems.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
