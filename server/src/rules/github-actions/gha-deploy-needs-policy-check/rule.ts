import { requireGate } from './fix';
import type { RelatedInfo } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import { get, keyOf, pair, scalarText, valueOf, type YamlPair } from '../../../model/yaml';
import {
  deploySignals,
  isLiteralTrue,
  needsClosure,
  needsOf,
  runsDespiteFailedNeeds,
  usesAction,
  workflows,
  type Job,
  type Step,
} from '../../../pipelines/githubActions';
import { compilePattern, DEFAULT_DEPLOY_SIGNALS, DEFAULT_POLICY_ACTIONS, DEFAULT_POLICY_COMMANDS, DEFAULT_POLICY_GATE_JOB_PATTERN } from '../../../pipelines/signals';

interface Params {
  same_job_gate_ok: boolean;
  policy_gate_jobs: string[];
  policy_actions: string[];
  policy_commands: string[];
  deploy_signals: string[];
}

export default defineRule<Params>({
  id: 'gha-deploy-needs-policy-check',
  title: 'Deploy jobs run only after a policy check passed',
  severity: 'high',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['CM-3', 'CM-4', 'SA-10'], euAiAct: ['Art.9', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      same_job_gate_ok: { type: 'boolean', default: true, description: 'Accept a policy check in an earlier step of the deploying job itself.' },
      policy_gate_jobs: stringListParam([DEFAULT_POLICY_GATE_JOB_PATTERN], 'Regular expressions (a leading `(?i)` makes one case-insensitive) for the ids of policy gate jobs (catalog §4 policy_gate).'),
      policy_actions: stringListParam(DEFAULT_POLICY_ACTIONS, 'Actions (`owner/repo[/path]`, case-insensitive) that run a policy check; a job using one is a policy gate.'),
      policy_commands: stringListParam(DEFAULT_POLICY_COMMANDS, 'Regular expressions over `run` text that run a policy check; a job running one is a policy gate.'),
      deploy_signals: stringListParam(DEFAULT_DEPLOY_SIGNALS, 'Regular expressions over `run` text and action names that mark a guarded job (apply, deploy, image push, promotion, environment creation); `docker/build-push-action` with `push: true` always counts.'),
    },
  },
  fix: requireGate,
  check({ documents, params, report, unknown }) {
    const gateIds = params.policy_gate_jobs.map(compilePattern);
    const commands = params.policy_commands.map(compilePattern);
    const gateStep = (s: Step) =>
      params.policy_actions.some((a) => usesAction(s.uses, a)) || (!!s.run && commands.some((re) => re.test(scalarText(s.run) ?? '')));
    /** Why a job is not a working gate (continue-on-error), or undefined when it is one; null when it is no gate at all. */
    const gateState = (j: Job): { ok: true } | { ok: false; coe: YamlPair } | null => {
      const byId = gateIds.some((re) => re.test(j.id));
      const steps = j.steps.filter(gateStep);
      if (!byId && steps.length === 0) return null;
      const jobCoe = pair(j.map, 'continue-on-error');
      if (jobCoe && isLiteralTrue(jobCoe.value)) return { ok: false, coe: jobCoe };
      const stepCoe = steps.map((s) => pair(s.map, 'continue-on-error')).find((p) => p && isLiteralTrue(p.value));
      if (stepCoe && steps.length > 0 && steps.every((s) => isLiteralTrue(get(s.map, 'continue-on-error')))) return { ok: false, coe: stepCoe };
      return { ok: true };
    };

    for (const wf of workflows(documents)) {
      const gates = wf.jobs.filter((j) => gateState(j)?.ok);
      for (const job of wf.jobs) {
        if (job.uses) continue;
        const signals = deploySignals(job.steps, params.deploy_signals);
        const signal = signals.find((s) => s.known);
        if (!signal) {
          const open = signals[0];
          if (open) unknown(open.at, `whether job "${job.id}" deploys depends on ${open.what}`);
          continue;
        }
        const signalIndex = job.steps.indexOf(signal.step);
        if (params.same_job_gate_ok && job.steps.slice(0, signalIndex).some((s) => gateStep(s) && !isLiteralTrue(get(s.map, 'continue-on-error')))) continue;

        const closure = needsClosure(wf, job);
        const states = closure.map((j) => ({ j, state: gateState(j) }));
        const working = states.find((s) => s.state?.ok);
        const needs = needsOf(job);
        const others = gates.filter((g) => g !== job);
        const related: RelatedInfo[] = [{ at: signal.at, message: `deploys: ${signal.what}` }];
        const fixData =
          others.length === 1
            ? { fix: needs ? 'append' : 'insert', key: 'needs', value: others[0]!.id, job: job.id }
            : { fix: 'none', reason: others.length ? 'several gate jobs: which one guards this deploy is intent' : 'no policy gate job in the workflow (template QF-10)', job: job.id };
        const goodNeeds = others.length === 1 ? `\`needs: [${others[0]!.id}]\`` : 'a `needs:` on a policy gate job (e.g. `policy-check` running `plumbline check`, `checkov` or `conftest test`)';

        if (working) {
          // The gate is there; make sure a failed gate actually stops the deploy.
          const bypass = [job, ...closure.filter((j) => !gateState(j))].map((j) => ({ j, p: runsDespiteFailedNeeds(j) })).find((x) => x.p);
          if (!bypass?.p) continue;
          report({
            at: valueOf(bypass.p),
            message: `Job "${job.id}" deploys (${signal.what}) after policy gate "${working.j.id}", but \`if: ${scalarText(bypass.p.value)}\`${bypass.j === job ? '' : ` on job "${bypass.j.id}"`} runs it even when the gate failed. Use \`if: success()\` (or no \`if\`) so a failed check stops the deploy.`,
            related: [...related, { at: working.j.at, message: 'policy gate' }],
            data: { fix: 'set', key: 'if', value: 'success()', job: bypass.j.id },
          });
          continue;
        }
        const neutered = states.find((s) => s.state && !s.state.ok);
        if (neutered?.state && !neutered.state.ok) related.push({ at: valueOf(neutered.state.coe), message: `gate "${neutered.j.id}" cannot fail (continue-on-error: true)` });
        const opaque = closure.find((j) => j.uses);
        if (opaque) {
          unknown(needs ? valueOf(needs.pair) : job.at, `job "${job.id}" needs "${opaque.id}", a reusable workflow that may run the policy check`);
          continue;
        }
        report({
          at: needs ? valueOf(needs.pair) : keyOf(job.pair),
          message:
            `Job "${job.id}" deploys (${signal.what}) without a policy check that must pass first` +
            (neutered ? ` (gate "${neutered.j.id}" has continue-on-error: true, so it never blocks)` : needs ? ` (none of the jobs it needs is a policy gate)` : '') +
            `. Add ${goodNeeds}${params.same_job_gate_ok ? ', or run the check in an earlier step of this job' : ''}.`,
          related,
          data: fixData,
        });
      }
    }
  },
});
