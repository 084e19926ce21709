import type { Finding } from '../engine/finding';
import { isUnknownNode, kubernetesObjects, stringMap } from '../kubernetes/workloads';
import type { YamlFile, YamlNode } from '../model/yaml';
import { workflows } from '../pipelines/githubActions';
import { GitlabPipeline } from '../pipelines/gitlabCi';
import type { TerraformModule } from '../terraform/module';
import { evaluatePolicy } from './evaluate';
import { instancesOf, terraformSubject } from './terraformSubject';
import type { Policy } from './types';
import { wildcard } from './wildcard';
import { yamlSubject } from './yamlSubject';

/** Findings of the Terraform policies over every matching block of a module (each known instance once). */
export function runTerraformPolicies(policies: readonly Policy[], module: TerraformModule): Finding[] {
  const out: Finding[] = [];
  for (const policy of policies) {
    const m = policy.match;
    if (m.kind !== 'terraform') continue;
    const blocks = module.topLevel(m.block).filter((b) => anyOf(m.types, b.labels[0]?.value ?? ''));
    for (const block of blocks) for (const instance of instancesOf(module, block)) out.push(...evaluatePolicy(policy, terraformSubject(module, block, instance)));
  }
  return unique(out);
}

/** Findings of the Kubernetes and pipeline policies over one YAML file. */
export function runYamlPolicies(policies: readonly Policy[], file: YamlFile): Finding[] {
  if (policies.length === 0) return [];
  const out: Finding[] = [];
  const byKind = (kind: string) => file.documents.filter((d) => d.kind === kind);
  const templated = (node: YamlNode) => isUnknownNode(file, node);
  const expression = (node: YamlNode) => node.kind === 'scalar' && typeof node.value === 'string' && node.value.includes('${{');

  const k8s = kubernetesObjects({ file, documents: byKind('kubernetes') });
  const actions = workflows(byKind('github-actions'));
  const gitlab = GitlabPipeline.all(file, byKind('gitlab-ci'));

  for (const policy of policies) {
    const m = policy.match;
    switch (m.kind) {
      case 'kubernetes':
        for (const o of k8s) {
          if (!anyOf(m.kinds, o.kind) || (m.apiVersions && !anyOf(m.apiVersions, o.apiVersion))) continue;
          const labels = stringMap(o.metadata, 'labels');
          if (m.labels && !Object.entries(m.labels).every(([k, v]) => labels.get(k) === v)) continue;
          const anchor = o.root.pairs.find((p) => p.key === 'kind')?.keyRange ?? o.root.range;
          out.push(...evaluatePolicy(policy, yamlSubject(o.root, { noun: `the ${o.kind}`, anchor, isUnknown: templated })));
        }
        break;
      case 'github-actions':
        for (const job of actions.flatMap((w) => w.jobs))
          if (job.map && (m.jobs === '*' || m.jobs.includes(job.id)))
            out.push(...evaluatePolicy(policy, yamlSubject(job.map, { noun: `job ${job.id}`, anchor: job.at.range, isUnknown: expression })));
        break;
      case 'github-actions-steps':
        for (const job of actions.flatMap((w) => w.jobs))
          for (const step of job.steps) {
            if (m.steps !== '*') {
              const uses = stepText(step.map, 'uses');
              const run = stepText(step.map, 'run');
              if (m.steps.uses !== undefined && (uses === undefined || !wildcard(m.steps.uses, uses))) continue;
              if (m.steps.run !== undefined && (run === undefined || !wildcard(m.steps.run, run))) continue;
            }
            out.push(...evaluatePolicy(policy, yamlSubject(step.map, { noun: `step ${step.index + 1} of job ${job.id}`, anchor: step.at.range, isUnknown: expression })));
          }
        break;
      case 'gitlab-ci':
        for (const pipeline of gitlab)
          for (const job of pipeline.jobs) {
            if (m.jobs !== '*' && !m.jobs.includes(job.name)) continue;
            // Keys may come from `extends:`, `default:` or an included file: a missing one is not a fact.
            const open = job.map.pairs.some((p) => p.key === 'extends') || pipeline.topLevel('default') !== undefined || pipeline.hasIncludes();
            const isUnknown = (node: YamlNode) => node.tag === '!reference';
            out.push(...evaluatePolicy(policy, yamlSubject(job.map, { noun: `job ${job.name}`, anchor: job.pair.keyRange, isUnknown, open })));
          }
        break;
      default:
        break;
    }
  }
  return unique(out);
}

function anyOf(names: '*' | readonly string[], name: string): boolean {
  return names === '*' || names.includes(name);
}

function stepText(map: YamlNode, key: string): string | undefined {
  const v = map.kind === 'map' ? map.pairs.find((p) => p.key === key)?.value : undefined;
  return v?.kind === 'scalar' && v.value !== null ? String(v.value) : undefined;
}

/** One finding per place and message: instances of one block often fail the same way. */
function unique(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.ruleId}|${f.uri}|${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}|${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
