import { defineRule } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { scalarSpanAt, scalarText, type YamlScalar } from '../../../model/yaml';
import {
  envVisibleTo,
  expressions,
  opaqueContext,
  PRIVILEGED_FORK_TRIGGERS,
  untrustedUse,
  workflows,
  type Job,
  type Step,
  type Workflow,
} from '../../../pipelines/githubActions';

/** The file a command appends to: `>> $GITHUB_ENV`, `>> "${GITHUB_PATH}"`, `tee -a $GITHUB_ENV`, pwsh `$env:GITHUB_ENV`. */
const TARGET = /(?:>>?|\btee\s+(?:-a\s+|--append\s+)?|\b(?:Out-File|Add-Content|Set-Content)\b[^\n]*?)\s*("?\$\{?(?:env:)?GITHUB_(ENV|PATH)\}?"?)/g;

export default defineRule({
  id: 'gha-github-env-injection',
  title: 'No untrusted data written to $GITHUB_ENV or $GITHUB_PATH',
  severity: 'high',
  domain: 'github-actions',
  mappings: { nist: ['SI-10'], euAiAct: ['Art.15'], scorecard: ['Dangerous-Workflow'] },
  check({ documents, report, unknown }) {
    for (const wf of workflows(documents)) {
      const privileged = wf.triggers.find((t) => PRIVILEGED_FORK_TRIGGERS.includes(t.event));
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          if (!step.run) continue;
          const run = scalarText(step.run) ?? '';
          for (const w of writes(run)) {
            const file = `$GITHUB_${w.file}`;
            const at = scalarSpanAt(step.run, w.start, w.end);
            const taint = tainted(wf, job, step, w.data);
            const base = {
              at,
              severity: privileged ? ('critical' as const) : ('high' as const),
              data: { fix: 'none', reason: 'use $GITHUB_OUTPUT and validated values', job: job.id, step: step.index },
            };
            const consequence =
              w.file === 'ENV'
                ? 'every later step of the job gets it as an environment variable, so a value like `LD_PRELOAD` or `NODE_OPTIONS` turns into code execution'
                : 'every later step looks up commands in it first, so a planted directory replaces `git`, `npm` or `python`';
            const good = 'Pass data between steps through `$GITHUB_OUTPUT` (`steps.<id>.outputs.<name>`), validated against an allow-list, never through the job environment.';
            if (taint.kind === 'untrusted') {
              report({
                ...base,
                message: `This step writes ${taint.what} to ${file}; ${consequence}. ${good}`,
                related: taint.source ? [{ at: taint.source, message: `${taint.what} comes from here` }] : undefined,
              });
            } else if (privileged && !w.literal) {
              report({
                ...base,
                message: `This \`${privileged.event}\` workflow writes a computed value to ${file}; in a workflow that runs with secrets on a fork's data, ${consequence}. Write only literal values, or use \`$GITHUB_OUTPUT\`. ${good}`,
              });
            } else if (taint.kind === 'unknown') {
              unknown(taint.at ?? at, `${taint.what} is written to ${file} and may carry untrusted data`);
            }
          }
        }
      }
    }
  },
});

interface Write {
  readonly file: 'ENV' | 'PATH';
  /** The redirect target's span in the run text. */
  readonly start: number;
  readonly end: number;
  /** The text of the command that writes (and a heredoc body it feeds). */
  readonly data: { readonly text: string; readonly offset: number };
  /** No `$`, backtick or expression in the written data. */
  readonly literal: boolean;
}

/** Each write to GITHUB_ENV/GITHUB_PATH in a script. */
function writes(run: string): Write[] {
  const out: Write[] = [];
  const lines = run.split('\n');
  let offset = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    for (const m of line.matchAll(TARGET)) {
      const target = m[1]!;
      const start = offset + m.index! + m[0].length - target.length;
      let text = line.replace(target, '');
      // A heredoc feeding the write: its body is the data.
      const heredoc = /<<-?\s*['"]?(\w+)['"]?/.exec(line);
      if (heredoc) {
        for (let j = i + 1; j < lines.length && lines[j]!.trim() !== heredoc[1]; j++) text += `\n${lines[j]}`;
      }
      out.push({ file: m[2] as 'ENV' | 'PATH', start, end: start + target.length, data: { text, offset }, literal: !/[$`]/.test(text) });
    }
    offset += line.length + 1;
  }
  return out;
}

type Taint =
  | { kind: 'untrusted'; what: string; source?: YamlScalar }
  | { kind: 'unknown'; what: string; at?: Located }
  | { kind: 'none' };

/** Whether written data carries an untrusted context: directly, through a step's env, or through a step output derived from one. */
function tainted(wf: Workflow, job: Job, step: Step, data: Write['data']): Taint {
  const exprs = [...data.text.matchAll(/\$\{\{([\s\S]*?)(\}\}|$)/g)].map((m) => m[1]!.trim());
  for (const body of exprs) {
    const use = untrustedUse(body);
    if (use?.trust === 'untrusted') return { kind: 'untrusted', what: use.context };
  }
  for (const m of data.text.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)) {
    const entry = envVisibleTo(wf, job, step, m[1]!);
    if (!entry?.value) continue;
    const use = expressions(entry.value)
      .map((e) => untrustedUse(e.body))
      .find((u) => u?.trust === 'untrusted');
    if (use) return { kind: 'untrusted', what: `$${entry.name} (set from ${use.context})`, source: entry.value };
  }
  for (const body of exprs) {
    const out = /\bsteps\.([\w-]+)\.outputs\.[\w-]+/i.exec(body);
    const producer = out && job.steps.find((s) => s.id === out[1]);
    if (producer && derivesFromUntrusted(wf, job, producer)) return { kind: 'untrusted', what: `${out[0]} (derived from untrusted data)`, source: producer.run };
    const opaque = opaqueContext(body);
    if (opaque) return { kind: 'unknown', what: opaque };
  }
  return { kind: 'none' };
}

/** A step whose script writes an output from an untrusted context (directly or through its env). */
function derivesFromUntrusted(wf: Workflow, job: Job, step: Step): boolean {
  const run = step.run && scalarText(step.run);
  if (!run || !/GITHUB_OUTPUT/.test(run) || !step.run) return false;
  if (expressions(step.run).some((e) => untrustedUse(e.body)?.trust === 'untrusted')) return true;
  return [...run.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].some((m) => {
    const entry = envVisibleTo(wf, job, step, m[1]!);
    return !!entry?.value && expressions(entry.value).some((e) => untrustedUse(e.body)?.trust === 'untrusted');
  });
}
