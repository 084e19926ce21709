import { gateApply } from './fix';
import type { RelatedInfo } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import { keyOf, scalarText, type YamlScalar } from '../../../model/yaml';
import {
  artifactPaths,
  artifactSources,
  GitlabPipeline,
  isTrue,
  manualGate,
  signalLines,
  type Expanded,
  type GitlabJob,
} from '../../../pipelines/gitlabCi';
import { compilePattern, DEFAULT_PROD_PATTERN, matchesAny } from '../../../pipelines/signals';

interface Params {
  plan_commands: string[];
  always_manual: boolean;
  prod_patterns: string[];
}

/** `terraform|tofu [-chdir=…] apply` and `gitlab-terraform apply`. */
const APPLY = /\b(?:(terraform|tofu)(?:\s+-chdir(?:=|\s+)\S+)?|(gitlab-terraform))\s+apply\b/;

/** `apply` flags that take a value as the next word when written without `=`. */
const VALUE_FLAGS = new Set(['-var', '-var-file', '-target', '-replace', '-state', '-state-out', '-backup', '-lock-timeout', '-parallelism']);

/** The plan file `gitlab-terraform plan` writes and `gitlab-terraform apply` applies. */
const GITLAB_TERRAFORM_PLAN = 'plan.cache';

export default defineRule<Params>({
  id: 'gitlab-terraform-apply-plan-gate',
  title: 'GitLab Terraform applies a reviewed saved plan behind an approval',
  severity: 'high',
  domain: 'gitlab-ci',
  ai: true,
  mappings: { nist: ['CM-3', 'CM-4', 'CM-5'], euAiAct: ['Art.14', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      plan_commands: stringListParam(
        ['\\b(terraform|tofu)\\s+(-chdir(=|\\s+)\\S+\\s+)?plan\\b', '\\bgitlab-terraform\\s+plan\\b'],
        'Regular expressions over script lines that make a plan; a job running one is a plan job (used for the quick fix).',
      ),
      always_manual: { type: 'boolean', default: false, description: 'Require a blocking manual gate on every apply job, not only on those that deploy to production.' },
      prod_patterns: stringListParam(
        [DEFAULT_PROD_PATTERN],
        'Regular expressions (a leading (?i) makes one case-insensitive) for environment names that mean production; environment:deployment_tier: production counts whatever the name.',
      ),
    },
  },
  fix: gateApply,
  check({ file, documents, params, report, unknown }) {
    const planCommands = params.plan_commands.map(compilePattern);
    for (const pipeline of GitlabPipeline.all(file, documents)) {
      const planJobs = pipeline.jobs.filter((j) => signalLines(j, planCommands).length > 0);
      const quickFix =
        planJobs.length === 1 ? { fix: 'insert', key: 'needs', value: [{ job: planJobs[0]!.name, artifacts: true }] } : { fix: 'none', reason: planJobs.length ? 'several plan jobs' : 'no plan job' };
      for (const job of pipeline.jobs) {
        for (const key of ['before_script', 'script'] as const) {
          for (const line of job.scriptLines(key).lines) {
            const text = scalarText(line);
            const m = text === undefined ? null : APPLY.exec(text);
            if (!m || text === undefined) continue;
            const tool = m[1] ?? m[2]!;
            const args = parseApply(text.slice(m.index + m[0].length));
            const rawPlan = m[2] ? GITLAB_TERRAFORM_PLAN : args.planFile;
            const planFile = rawPlan === undefined ? undefined : job.expand(rawPlan);
            const at = line;

            // (a) a saved plan, produced by a job this one downloads artifacts from.
            if (planFile === undefined) {
              report({
                at,
                message: `"${tool} apply" in job "${job.name}" ${args.autoApprove ? 'runs with -auto-approve and no saved plan' : 'has no saved plan'}: it plans and applies in one step, so what changes was never reviewed. Apply the plan file made by a plan job: ${tool} apply <planfile>, with needs: [{ job: <plan job>, artifacts: true }].`,
                // needs alone cannot help: the command must apply a plan file first.
                data: { ...quickFix, problem: 'no-plan' },
              });
            } else {
              checkProducer(job, line, tool, planFile, planCommands, quickFix, report, unknown);
            }

            // (b) a person approves applies to production (or every apply with always_manual).
            const prod = production(job, params.prod_patterns);
            if (prod === 'unknown') unknown(keyOf(job.pair), `whether job "${job.name}" deploys to production: its environment name depends on a variable not in this file`);
            if (prod === true || params.always_manual) {
              const gate = manualGate(job);
              if (typeof gate === 'object') unknown(gate.at ?? keyOf(job.pair), `whether job "${job.name}" waits for approval: ${gate.reason}`);
              else if (gate !== 'blocking')
                report({
                  at,
                  message: `"${tool} apply" in job "${job.name}" ${prod === true ? 'changes production' : 'changes infrastructure (always_manual)'} ${gate === 'automatic' ? 'without anyone approving it' : 'behind a manual action that does not block the pipeline (allow_failure is not false)'}. Add when: manual with allow_failure: false (or a rules: entry with when: manual), and deploy to a protected environment.`,
                  data: { fix: 'insert', values: { when: 'manual', allow_failure: false } },
                });
            }
          }
        }
      }
    }
  },
});

type Report = Parameters<Parameters<typeof defineRule<Params>>[0]['check']>[0]['report'];
type UnknownFn = (at: YamlScalar | { uri: string; range: YamlScalar['range'] }, origin: string) => void;

function checkProducer(
  job: GitlabJob,
  line: YamlScalar,
  tool: string,
  planFile: Expanded,
  planCommands: readonly RegExp[],
  quickFix: Record<string, unknown>,
  report: Report,
  unknown: UnknownFn,
): void {
  const file = planFile.known;
  if (file === undefined) return unknown(line, `the plan file of "${tool} apply" depends on ${planFile.unknown.map((v) => `$${v}`).join(', ')}, not defined in this file`);
  const samePlan = signalLines(job, planCommands).some((l) => {
    const text = scalarText(l) ?? '';
    return l !== line && (text.includes(basename(file)) || (tool === 'gitlab-terraform' && /\bgitlab-terraform\s+plan\b/.test(text)));
  });
  if (samePlan) {
    report({
      at: line,
      message: `Job "${job.name}" makes the plan ${file} and applies it in the same job, so nobody can review it between plan and apply. Make the plan in a separate job that keeps ${file} in artifacts:paths, and apply it here through needs.`,
      data: { ...quickFix, problem: 'same-job' },
    });
    return;
  }
  const sources = artifactSources(job);
  const producers = sources.jobs.filter((src) => artifactPaths(src).some((p) => covers(p.expanded, file)));
  if (producers.length === 0) {
    if (sources.unknown.length > 0 || job.pipeline.hasIncludes()) {
      const u = sources.unknown[0];
      return unknown(u?.at ?? line, u ? `where ${file} comes from: ${u.reason}` : `${file} may come from a job in an included file`);
    }
    report({
      at: line,
      message: `"${tool} apply ${file}" in job "${job.name}" applies a plan that no job it downloads artifacts from (needs/dependencies/earlier stages) lists in artifacts:paths, so the file cannot be the reviewed plan. Add needs: [{ job: <plan job>, artifacts: true }] to the plan job that keeps ${file} in artifacts:paths.`,
      data: { ...quickFix, problem: 'no-producer' },
    });
    return;
  }
  // (c) the plan job must be able to fail: a failed plan must not leave a stale or partial file to apply.
  const soft = producers.filter((p) => isTrue(p.own('allow_failure')));
  if (soft.length === producers.length) {
    const related: RelatedInfo[] = soft.flatMap((p) => {
      const a = p.own('allow_failure');
      return a.state === 'found' ? [{ at: a.node, message: `plan job "${p.name}" may fail without stopping the pipeline` }] : [];
    });
    report({
      at: line,
      message: `The plan job ${soft.map((p) => `"${p.name}"`).join(', ')} that produces ${file} for job "${job.name}" has allow_failure: true: a failed plan does not stop the apply. Set allow_failure: false on the plan job.`,
      related,
      data: { fix: 'set', job: soft[0]!.name, key: 'allow_failure', value: false },
    });
  }
}

/** The arguments after `apply`, up to the end of the shell command. */
function parseApply(rest: string): { planFile: string | undefined; autoApprove: boolean } {
  const command = rest.split(/&&|\|\||[;|#\n]/)[0] ?? '';
  const words = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  let autoApprove = false;
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (w.startsWith('-')) {
      const name = w.replace(/^--?/, '-').split('=')[0]!;
      if (name === '-auto-approve') autoApprove = true;
      if (!w.includes('=') && VALUE_FLAGS.has(name)) i++;
      continue;
    }
    const text = w.replace(/^["']|["']$/g, '');
    return { planFile: text, autoApprove };
  }
  return { planFile: undefined, autoApprove };
}

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Whether an `artifacts:paths` entry keeps the plan file (same path, a directory above it, a glob, or the same file name under a variable directory). */
function covers(entry: Expanded, file: string): boolean {
  const norm = (p: string) => p.replace(/^\.\//, '').replace(/\/+$/, '');
  const target = norm(file);
  if (entry.known === undefined) {
    const last = entry.parts[entry.parts.length - 1];
    return typeof last === 'string' && (last === `/${basename(target)}` || last.endsWith(`/${basename(target)}`));
  }
  const path = norm(entry.known);
  if (path === target || path === '.' || path === '' || target.startsWith(`${path}/`) || path.endsWith(`/${target}`) || target.endsWith(`/${path}`)) return true;
  if (/[*?]/.test(path)) {
    const re = new RegExp(`^${path.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')}$`);
    return re.test(target) || re.test(basename(target));
  }
  return false;
}

/** Whether the job deploys to production: true, false, or unknown (an environment name with variables not in the file). */
function production(job: GitlabJob, patterns: readonly string[]): boolean | 'unknown' {
  const env = job.environment();
  if (env.state !== 'found') return false;
  const tier = env.tier.state === 'found' ? scalarText(env.tier.node) : undefined;
  if (tier === 'production') return true;
  const raw = env.name.state === 'found' ? scalarText(env.name.node) : undefined;
  if (raw === undefined) return false;
  const name = job.expand(raw).known;
  if (name === undefined) return 'unknown';
  return matchesAny(name, patterns);
}
