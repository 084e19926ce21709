import { requireGate } from './fix';
import type { RelatedInfo } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import { keyOf, scalarText } from '../../../model/yaml';
import {
  GitlabPipeline,
  isDeployJob,
  isPolicyGate,
  isTrue,
  needsOf,
  signalLines,
  stageOf,
  upstreamClosure,
  type GitlabJob,
} from '../../../pipelines/gitlabCi';
import { compilePattern, DEFAULT_DEPLOY_SIGNALS, DEFAULT_POLICY_COMMANDS, DEFAULT_POLICY_GATE_JOB_PATTERN } from '../../../pipelines/signals';

interface Params {
  policy_gate_jobs: string[];
  policy_commands: string[];
  deploy_signals: string[];
}

export default defineRule<Params>({
  id: 'gitlab-deploy-needs-policy-check',
  title: 'GitLab deploy jobs run only after a policy check passed',
  severity: 'high',
  domain: 'gitlab-ci',
  ai: true,
  mappings: { nist: ['CM-3', 'CM-4', 'SA-10'], euAiAct: ['Art.9', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      policy_gate_jobs: stringListParam(
        [DEFAULT_POLICY_GATE_JOB_PATTERN],
        'Regular expressions (a leading (?i) makes one case-insensitive) for the ids of policy gate jobs (catalog §4 policy_gate).',
      ),
      policy_commands: stringListParam(DEFAULT_POLICY_COMMANDS, 'Regular expressions over script lines; a job running one is a policy gate (catalog §4 policy_gate).'),
      deploy_signals: stringListParam(
        DEFAULT_DEPLOY_SIGNALS,
        'Regular expressions over script lines that mark a guarded job (apply, deploy, image push, promotion, environment creation); a job with an environment it deploys to is guarded too.',
      ),
    },
  },
  fix: requireGate,
  check({ file, documents, params, report, unknown }) {
    const gatePatterns = params.policy_gate_jobs.map(compilePattern);
    const commands = params.policy_commands.map(compilePattern);
    const signals = params.deploy_signals.map(compilePattern);
    for (const pipeline of GitlabPipeline.all(file, documents)) {
      // A job that deploys is guarded even when it also runs a policy command: the gate must be a job of its own.
      const guarded = pipeline.jobs.filter((j) => isDeployJob(j, signals));
      const gates = pipeline.jobs.filter((j) => !guarded.includes(j) && isPolicyGate(j, gatePatterns, commands));
      const counting = gates.filter((g) => !isTrue(g.own('allow_failure')));
      for (const job of guarded) {
        const needs = needsOf(job);
        const at = !('state' in needs) && needs.kind === 'needs' ? needs.found.node : keyOf(job.pair);
        const what = describeDeploy(job, signals);
        const fix =
          counting.length === 1
            ? { fix: !('state' in needs) && needs.kind === 'needs' ? 'append' : 'insert', key: 'needs', value: counting[0]!.name }
            : { fix: 'add-job', template: 'QF-12' };

        const when = job.own('when');
        if (when.state === 'found' && scalarText(when.node) === 'always') {
          report({
            at,
            message: `Job "${job.name}" ${what} with when: always, so it runs even when the policy check failed. Remove when: always (or use when: on_success) so a failed policy gate stops the deployment.`,
            related: [{ at: when.node, message: 'when: always ignores the result of earlier jobs' }],
            data: { fix: 'delete', key: 'when' },
          });
          continue;
        }

        const closure = upstreamClosure(job);
        if (counting.some((g) => closure.jobs.has(g))) continue;
        if (closure.unknown.length > 0 || pipeline.hasIncludes()) {
          const u = closure.unknown[0];
          unknown(u?.at ?? at, u ? `the jobs "${job.name}" waits for: ${u.reason}` : `a policy gate for "${job.name}" may be defined in an included file`);
          continue;
        }
        const related: RelatedInfo[] = [];
        let reason: string;
        const softGate = gates.find((g) => closure.jobs.has(g));
        if (softGate) {
          const allow = softGate.own('allow_failure');
          if (allow.state === 'found') related.push({ at: allow.node, message: `allow_failure: true: a failure of "${softGate.name}" does not stop later jobs` });
          reason = `it waits for "${softGate.name}", but that gate has allow_failure: true, so its failure does not stop the deployment`;
        } else if (!('state' in needs) && needs.kind === 'needs') {
          reason = needs.entries.length === 0 ? 'needs: [] starts it immediately, without waiting for any policy check' : 'none of the jobs in its needs (directly or through their own dependencies) is a policy check';
          for (const g of counting) related.push({ at: keyOf(g.pair), message: `policy gate "${g.name}" is not in the needs of "${job.name}"` });
        } else {
          const stage = stageOf(job);
          reason = counting.length
            ? `it has no needs, and no policy gate runs in a stage before "${typeof stage === 'string' ? stage : '?'}"`
            : 'no job in this pipeline is a policy gate';
          for (const g of counting) related.push({ at: keyOf(g.pair), message: `policy gate "${g.name}" runs in stage "${stageOf(g) as string}", not before the deploy` });
        }
        const good =
          counting.length === 1
            ? `Add needs: [${counting[0]!.name}] (or run it in an earlier stage) and keep the gate at allow_failure: false.`
            : counting.length > 1
              ? `Add the policy gate to its needs (or run one in an earlier stage), with allow_failure: false.`
              : 'Add a policy-check job (Plumbline, checkov, conftest …) that fails on violations, in an earlier stage or in the job\'s needs.';
        report({
          at,
          message: `Job "${job.name}" ${what} without a passing policy check: ${reason}. ${good}`,
          ...(related.length ? { related } : {}),
          data: fix,
        });
      }
    }
  },
});

function describeDeploy(job: GitlabJob, signals: readonly RegExp[]): string {
  const line = signalLines(job, signals)[0];
  if (line) return `runs "${(scalarText(line) ?? '').trim().slice(0, 60)}"`;
  const env = job.environment();
  const name = env.state === 'found' && env.name.state === 'found' ? scalarText(env.name.node) : undefined;
  return name ? `deploys to environment "${name}"` : 'deploys to an environment';
}
