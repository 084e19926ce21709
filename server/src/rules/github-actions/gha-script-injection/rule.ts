import { envIndirection } from './fix';
import { defineRule, stringListParam } from '../../../engine/rule';
import { get, str, type YamlScalar } from '../../../model/yaml';
import {
  envVisibleTo,
  expressions,
  FORK_REACHABLE_TRIGGERS,
  opaqueContext,
  untrustedUse,
  usesAction,
  workflows,
  type Expression,
  type Job,
  type Step,
  type UntrustedUse,
  type Workflow,
} from '../../../pipelines/githubActions';

interface Params {
  extra_untrusted_contexts: string[];
}

type Shell = 'posix' | 'pwsh' | 'github-script';

export default defineRule<Params>({
  id: 'gha-script-injection',
  title: 'No untrusted `${{ … }}` expressions inside scripts',
  severity: 'critical',
  domain: 'github-actions',
  mappings: { nist: ['SI-10'], euAiAct: ['Art.15'], scorecard: ['Dangerous-Workflow'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      extra_untrusted_contexts: stringListParam(
        [],
        'More regular expressions over an expression body that name attacker-controlled contexts (e.g. `\\bgithub\\.event\\.release\\.name\\b`); case-insensitive, like GitHub context names.',
      ),
    },
  },
  fix: envIndirection,
  check({ documents, params, report, unknown }) {
    for (const wf of workflows(documents)) {
      const forkReachable = wf.triggers.find((t) => FORK_REACHABLE_TRIGGERS.includes(t.event));
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          const sinks: { node: YamlScalar; shell: Shell; where: string }[] = [];
          if (step.run) sinks.push({ node: step.run, shell: shellOf(wf, job, step), where: '`run:` script' });
          const script = get(step.with, 'script');
          if (usesAction(step.uses, 'actions/github-script') && script?.kind === 'scalar')
            sinks.push({ node: script, shell: 'github-script', where: '`actions/github-script` script' });
          let n = 0;
          for (const sink of sinks) {
            for (const expr of expressions(sink.node)) {
              const found = classify(wf, job, step, expr, params.extra_untrusted_contexts);
              if (!found) {
                const opaque = opaqueContext(expr.body);
                if (opaque) unknown(expr.at, `${opaque} is computed at run time and may carry untrusted data`);
                continue;
              }
              n++;
              const envName = `UNTRUSTED_${n}`;
              const replacement = sink.shell === 'pwsh' ? `$env:${envName}` : sink.shell === 'github-script' ? `process.env.${envName}` : `"\${${envName}}"`;
              const severity = found.use.trust === 'input' ? 'medium' : forkReachable ? 'critical' : 'high';
              const who =
                found.use.trust === 'input'
                  ? 'whoever starts the workflow chooses it'
                  : forkReachable
                    ? `anyone can set it through a \`${forkReachable.event}\` event`
                    : 'its author controls it';
              report({
                at: expr.at,
                severity,
                message:
                  `${expr.text} expands ${found.use.context}${found.via ? ` (through env.${found.via})` : ''} into the ${sink.where} before it runs, and ${who}: ` +
                  `its text becomes code. Pass it through the step's env (\`${envName}: ${found.via ? `\${{ env.${found.via} }}` : expr.text}\`) and read ${replacement} instead.`,
                related: found.source ? [{ at: found.source, message: `env.${found.via} is set from ${found.use.context} here` }] : undefined,
                data: { fix: 'env-indirection', env: envName, expression: expr.text, replacement, job: job.id, step: step.index },
              });
            }
          }
        }
      }
    }
  },
});

interface Classified {
  readonly use: UntrustedUse;
  /** The env variable the expression reads, when the untrusted value reaches it through `env.X`. */
  readonly via?: string;
  readonly source?: YamlScalar;
}

function classify(wf: Workflow, job: Job, step: Step, expr: Expression, extra: readonly string[]): Classified | undefined {
  const use = untrustedUse(expr.body, extra);
  if (use) return { use };
  // `${{ env.X }}` is expanded into the script like any other expression; X may hold untrusted data.
  for (const m of expr.body.matchAll(/\benv\.([\w-]+)/gi)) {
    const entry = envVisibleTo(wf, job, step, m[1]!);
    if (!entry?.value) continue;
    const inner = expressions(entry.value)
      .map((e) => untrustedUse(e.body, extra))
      .find((u) => u !== undefined);
    if (inner) return { use: inner, via: entry.name, source: entry.value };
  }
  return undefined;
}

/** The shell a `run:` step uses: step `shell`, job then workflow `defaults.run.shell`, else the runner's default. */
function shellOf(wf: Workflow, job: Job, step: Step): Shell {
  const shell =
    str(get(step.map, 'shell')) ??
    str(get(get(get(job.map, 'defaults'), 'run'), 'shell')) ??
    str(get(get(get(wf.root, 'defaults'), 'run'), 'shell'));
  if (shell !== undefined) return /^(pwsh|powershell)\b/i.test(shell.trim()) ? 'pwsh' : 'posix';
  const runsOn = str(get(job.map, 'runs-on'));
  return runsOn && /windows/i.test(runsOn) ? 'pwsh' : 'posix';
}
