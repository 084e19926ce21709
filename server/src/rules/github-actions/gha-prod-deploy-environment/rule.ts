import { useProtectedEnvironment } from './fix';
import type { RelatedInfo } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { get, str } from '../../../model/yaml';
import {
  deploySignals,
  environmentOf,
  isExpression,
  matrixValues,
  triggerInputs,
  triggerMayRunOnRefs,
  workflows,
  type Job,
  type Workflow,
} from '../../../pipelines/githubActions';
import { DEFAULT_DEPLOY_SIGNALS, DEFAULT_PROD_PATTERN, matchesAny } from '../../../pipelines/signals';

interface Params {
  protected_environments: string[];
  protected_refs: string[];
  prod_patterns: string[];
  deploy_signals: string[];
}

/** Why a job counts as a production deploy, and where that shows. */
interface ProdTarget {
  readonly why: string;
  readonly at: Located;
}

export default defineRule<Params>({
  id: 'gha-prod-deploy-environment',
  title: 'Production deploy jobs run in a protected environment',
  severity: 'high',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['CM-3', 'CM-5', 'AC-5'], euAiAct: ['Art.14', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      protected_environments: stringListParam(['production'], 'Environments that have required reviewers in the repository settings (which Plumbline cannot read): the declared source of truth. Compared case-insensitively, as GitHub does; the first one is used by the quick fix.'),
      protected_refs: stringListParam(['main', 'refs/tags/*'], 'Refs whose pushes deploy to production: a branch name (`main`) or a full ref glob (`refs/tags/*`), in GitHub filter syntax.'),
      prod_patterns: stringListParam([DEFAULT_PROD_PATTERN], 'Regular expressions (a leading `(?i)` makes them case-insensitive) for job ids and names, environment names, matrix values and workflow_dispatch input defaults that mean production.'),
      deploy_signals: stringListParam([...DEFAULT_DEPLOY_SIGNALS], 'Regular expressions over `run` text and action names (`owner/repo[/path]`) that mark a deploy; `docker/build-push-action` with `push: true` always counts as an image push.'),
    },
  },
  fix: useProtectedEnvironment,
  check({ documents, params, report }) {
    const isProd = (text: string | undefined) => text !== undefined && matchesAny(text, params.prod_patterns);
    const protectedNames = new Set(params.protected_environments.map((e) => e.toLowerCase()));
    const target = params.protected_environments[0];
    const goodEnv = target ? `\`environment: ${target}\`` : 'an environment with required reviewers, listed in protected_environments';

    for (const wf of workflows(documents)) {
      const workflowTarget = workflowProdTarget(wf, params, isProd);
      for (const job of wf.jobs) {
        // A reusable-workflow call cannot set environment: the called workflow decides (Unknown here).
        if (job.uses) continue;
        const signal = deploySignals(job.steps, params.deploy_signals).find((s) => s.known);
        if (!signal) continue;
        const env = environmentOf(job);
        if (env?.expression) continue;
        const prod = jobProdTarget(job, env?.name !== undefined ? { name: env.name, at: env.at } : undefined, isProd) ?? workflowTarget;
        if (!prod) continue;
        if (env?.name !== undefined && protectedNames.has(env.name.toLowerCase())) continue;

        const related: RelatedInfo[] = [
          { at: signal.at, message: `deploys: ${signal.what}` },
          { at: prod.at, message: `targets production: ${prod.why}` },
        ];
        const deploys = `Job "${job.id}" deploys (${signal.what}) to production (${prod.why})`;
        if (env?.name === undefined) {
          report({
            at: job.at,
            message: `${deploys} without a named environment, so no reviewer has to approve it before it runs. Declare ${goodEnv}.`,
            related,
            data: { fix: 'insert', key: 'environment', value: target ?? null, job: job.id },
          });
        } else {
          report({
            at: env.at,
            message: `${deploys} in environment "${env.name}", which is not a protected environment (${params.protected_environments.join(', ') || 'none configured'}). Use ${goodEnv}, or add "${env.name}" to protected_environments once it requires reviewers.`,
            related,
            data: { fix: 'set', key: 'environment', value: target ?? null, job: job.id },
          });
        }
      }
    }
  },
});

function jobProdTarget(job: Job, env: { name: string; at: Located } | undefined, isProd: (s: string | undefined) => boolean): ProdTarget | undefined {
  if (isProd(job.id)) return { why: `job id "${job.id}"`, at: job.at };
  const name = get(job.map, 'name');
  if (name && !isExpression(name) && isProd(str(name))) return { why: `job name "${str(name)}"`, at: name };
  if (env && isProd(env.name)) return { why: `environment "${env.name}"`, at: env.at };
  const matrixValue = matrixValues(job).values.find((v) => isProd(str(v)));
  if (matrixValue) return { why: `matrix value "${str(matrixValue)}"`, at: matrixValue };
  return undefined;
}

function workflowProdTarget(wf: Workflow, params: Params, isProd: (s: string | undefined) => boolean): ProdTarget | undefined {
  const input = triggerInputs(wf).find((i) => i.default && isProd(str(i.default)));
  if (input?.default) return { why: `workflow_dispatch input "${input.name}" defaults to "${str(input.default)}"`, at: input.default };
  const release = wf.triggers.find((t) => t.event === 'release');
  if (release) return { why: 'triggered by release', at: release.at };
  for (const t of wf.triggers) {
    if (t.event !== 'push') continue;
    const refs = params.protected_refs.filter((r) => triggerMayRunOnRefs(t, [r]));
    if (refs.length) return { why: `triggered by push to ${refs.join(' or ')}`, at: t.at };
  }
  return undefined;
}
