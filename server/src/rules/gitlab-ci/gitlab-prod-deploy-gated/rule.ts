import { gateDeploy } from './fix';
import type { ReportInput } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { get, keyOf, pair, scalarText, type YamlMap } from '../../../model/yaml';
import { child, GitlabJob, GitlabPipeline, type Found, type Lookup } from '../../../pipelines/gitlabCi';
import { DEFAULT_PROD_PATTERN, matchesAny } from '../../../pipelines/signals';

interface Params {
  protected_environments: string[];
  prod_patterns: string[];
}

/** Environment actions that do not deploy anything (GitLab `environment:action`). */
const NON_DEPLOY_ACTIONS = new Set(['prepare', 'verify', 'access']);

/** Why a production job is not blocking-manual, and where to say so. */
type Gate =
  | { kind: 'blocking' }
  | { kind: 'unknown' }
  | { kind: 'automatic'; rule?: YamlMap; rules: boolean }
  | { kind: 'non-blocking'; at: Located; written: boolean; rules: boolean };

export default defineRule<Params>({
  id: 'gitlab-prod-deploy-gated',
  title: 'GitLab production deployments wait for a human approval',
  severity: 'high',
  domain: 'gitlab-ci',
  ai: true,
  mappings: { nist: ['CM-3', 'CM-5', 'AC-5'], euAiAct: ['Art.14', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      protected_environments: stringListParam(['production'], 'Environment names that are protected in the project settings (deployment approvals, allowed deployers). Protection cannot be read from YAML, so production environments must be listed here.'),
      prod_patterns: stringListParam([DEFAULT_PROD_PATTERN], 'Regular expressions (a leading (?i) makes one case-insensitive) for environment names that mean production. An environment with deployment_tier: production is production whatever its name.'),
    },
  },
  fix: gateDeploy,
  check({ file, documents, params, report }) {
    // A template shared by several jobs gets one finding per problem, naming every job.
    const findings = new Map<string, { input: ReportInput; jobs: string[]; describe: (jobs: string) => string }>();
    const add = (kind: string, at: Located, job: string, describe: (jobs: string) => string, data: Record<string, unknown>, related?: ReportInput['related']) => {
      const key = `${kind} ${at.uri} ${JSON.stringify(at.range)}`;
      const existing = findings.get(key);
      if (existing) existing.jobs.push(job);
      else findings.set(key, { input: { at, message: '', data, ...(related ? { related } : {}) }, jobs: [job], describe });
    };

    for (const pipeline of GitlabPipeline.all(file, documents)) {
      for (const job of pipeline.jobs) {
        const env = job.environment();
        if (env.state !== 'found') continue;
        const action = child(env.env, 'action');
        if (action.state === 'found' && NON_DEPLOY_ACTIONS.has(scalarText(action.node) ?? '')) continue;

        const nameNode = env.name.state === 'found' ? env.name.node : undefined;
        const rawName = scalarText(nameNode);
        const name = rawName === undefined ? undefined : job.expand(rawName).known; // undefined: a variable not in the file
        const tier = env.tier.state === 'found' ? scalarText(env.tier.node) : undefined;
        const byTier = tier === 'production';
        const byName = name !== undefined && matchesAny(name, params.prod_patterns);
        if (!byTier && !byName) continue; // not production, or unknown

        const what = `production environment "${name ?? rawName ?? '?'}"`;
        const gate = gateOf(job);
        if (gate.kind === 'automatic') {
          const at = keyOf(env.env.pair);
          add(
            'automatic',
            at,
            job.name,
            (jobs) =>
              gate.rules
                ? `${jobs} deploys to ${what}, and a rules: entry lets it run without anyone starting it (when: ${gate.rule ? (scalarText(get(gate.rule, 'when')) ?? 'on_success') : 'on_success'}). Make every rule that runs the job when: manual (rules: manual jobs block the pipeline by default), or when: never.`
                : `${jobs} deploys to ${what} automatically: nothing makes a person approve it. Add when: manual with allow_failure: false, so the pipeline waits for someone to start the deployment.`,
            gate.rules ? { fix: 'insert-into-rule', when: 'manual' } : { fix: 'insert', after: 'environment', values: { when: 'manual', allow_failure: false } },
            gate.rule ? [{ at: gate.rule, message: 'this rule runs the job without approval' }] : undefined,
          );
        } else if (gate.kind === 'non-blocking') {
          add(
            gate.written ? 'allow-failure' : 'manual-default',
            gate.at,
            job.name,
            (jobs) =>
              gate.written
                ? `allow_failure is not false for the manual ${jobs} that deploys to ${what}: the pipeline succeeds without anyone approving the deployment. Set allow_failure: false.`
                : `when: manual on ${jobs} (deploying to ${what}) defaults to allow_failure: true at job level, so the pipeline does not wait for the approval. Add allow_failure: false next to when: manual.`,
            gate.written ? { fix: 'set', key: 'allow_failure', value: false } : { fix: 'insert', after: 'when', key: 'allow_failure', value: false },
          );
        }

        if (name !== undefined && nameNode && !params.protected_environments.includes(name))
          add(
            'unprotected',
            nameNode,
            job.name,
            (jobs) =>
              `Environment "${name}" (deployed by ${jobs}) is production but not in protected_environments (${params.protected_environments.join(', ') || 'none'}): nothing shows that deployments to it need an approval or are limited to maintainers. Protect it in Settings → CI/CD → Protected environments and add it to the rule's protected_environments, or deploy to a protected environment.`,
            { fix: 'none', reason: 'environment protection is a project setting', environment: name },
          );
      }
    }

    for (const { input, jobs, describe } of findings.values()) {
      const names = jobs.map((j) => `"${j}"`);
      report({ ...input, message: describe(`job${names.length > 1 ? 's' : ''} ${names.join(', ')}`) });
    }
  },
});

/**
 * Blocking-manual: job-level `when: manual` with `allow_failure: false` (job-level
 * manual defaults to `true`), or `rules:` whose every entry that can run the job
 * is `when: manual` (defaults to blocking unless `allow_failure: true`).
 */
function gateOf(job: GitlabJob): Gate {
  const rules = job.own('rules');
  if (rules.state === 'unknown') return { kind: 'unknown' };
  const jobAllow = job.own('allow_failure');
  if (rules.state === 'found') {
    const { items, unknown } = job.pipeline.flatten(rules.node);
    if (unknown.length) return { kind: 'unknown' };
    let manual: Gate | undefined;
    for (const rule of items) {
      if (rule.kind !== 'map') return { kind: 'unknown' };
      const when = scalarText(get(rule, 'when')) ?? 'on_success';
      if (when === 'never') continue;
      if (when !== 'manual') return { kind: 'automatic', rule, rules: true };
      const allowPair = pair(rule, 'allow_failure');
      const allow: Lookup = allowPair ? job.pipeline.valueOf('allow_failure', allowPair, { kind: 'job', name: job.name }) : jobAllow;
      if (allow.state === 'unknown') return { kind: 'unknown' };
      if (allow.state === 'found' && !isFalse(allow)) manual ??= { kind: 'non-blocking', at: allow.node, written: true, rules: true };
    }
    return manual ?? { kind: 'blocking' }; // rules that all say never: the job never runs
  }
  const when = job.own('when');
  if (when.state === 'unknown') return { kind: 'unknown' };
  if (when.state === 'absent' || scalarText(when.node) !== 'manual') return { kind: 'automatic', rules: false };
  if (jobAllow.state === 'unknown') return { kind: 'unknown' };
  if (jobAllow.state === 'absent') return { kind: 'non-blocking', at: keyOf(when.pair), written: false, rules: false };
  return isFalse(jobAllow) ? { kind: 'blocking' } : { kind: 'non-blocking', at: jobAllow.node, written: true, rules: false };
}

function isFalse(found: Found): boolean {
  return found.node.kind === 'scalar' && found.node.value === false;
}
