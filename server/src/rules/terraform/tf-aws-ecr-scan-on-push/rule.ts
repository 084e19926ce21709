import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  accept_registry_scanning: boolean;
}

const REGISTRY = 'aws_ecr_registry_scanning_configuration';
/** Frequencies that scan without a manual trigger. */
const AUTOMATIC = ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'];

type Verdict = { kind: 'pass' } | { kind: 'no' } | { kind: 'unknown'; at: Located; origin: string };

export default defineRule<Params>({
  id: 'tf-aws-ecr-scan-on-push',
  title: 'ECR images are scanned for vulnerabilities when pushed',
  severity: 'medium',
  domain: 'terraform',
  mappings: { nist: ['RA-5', 'SI-3'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      accept_registry_scanning: {
        type: 'boolean',
        default: true,
        description:
          'A workspace aws_ecr_registry_scanning_configuration with scan_type = "ENHANCED", or with a SCAN_ON_PUSH/CONTINUOUS_SCAN rule whose filter matches the repository name, satisfies the rule.',
      },
    },
  },
  fix: standardTerraformFix,
  check({ module, params, report, unknown }) {
    for (const repo of module.resources('aws_ecr_repository')) {
      if (params.accept_registry_scanning) {
        const registry = registryVerdict(module, repo);
        if (registry.kind === 'pass') continue;
        if (registry.kind === 'unknown') {
          unknown(registry.at, registry.origin);
          continue;
        }
      }
      if (hasDynamic(repo, 'image_scanning_configuration')) {
        unknown(header(repo), 'dynamic "image_scanning_configuration" block');
        continue;
      }
      const blocks = nestedBlocks(repo, 'image_scanning_configuration');
      if (blocks.length === 0) {
        report({
          at: header(repo),
          message: `${address(repo)} does not scan images on push (no image_scanning_configuration; scan_on_push defaults to false): a model-serving image with known CVEs can be deployed unnoticed. Add image_scanning_configuration { scan_on_push = true }${params.accept_registry_scanning ? ', or enable registry-level scanning' : ''}.`,
          data: { fix: 'insert', block: 'image_scanning_configuration', attribute: 'scan_on_push', value: true },
        });
        continue;
      }
      for (const block of blocks) {
        const attr = attribute(block, 'scan_on_push');
        if (!attr) {
          report({
            at: header(block),
            message: `image_scanning_configuration of ${address(repo)} does not set scan_on_push (default false). Set scan_on_push = true.`,
            data: { fix: 'insert', block: 'image_scanning_configuration', attribute: 'scan_on_push', value: true },
          });
          continue;
        }
        const v = module.evaluate(attr.expr, repo);
        if (isUnknown(v)) unknown(valueOf(attr), v.origin);
        else if (v !== true && v !== 'true')
          report({
            at: valueOf(attr),
            message: `scan_on_push is ${JSON.stringify(v)} on ${address(repo)}: pushed images are not scanned for vulnerabilities. Set scan_on_push = true.`,
            data: { fix: 'set', block: 'image_scanning_configuration', attribute: 'scan_on_push', value: true },
          });
      }
    }
  },
});

/** Whether registry-level scanning covers the repository. */
function registryVerdict(module: TerraformModule, repo: HclBlock): Verdict {
  let result: Verdict = { kind: 'no' };
  const soft = (v: Verdict) => {
    if (result.kind === 'no' && v.kind === 'unknown') result = v;
  };
  for (const config of module.resources(REGISTRY)) {
    const type = attribute(config, 'scan_type');
    const t = type ? module.evaluate(type.expr, config) : undefined;
    if (t === 'ENHANCED') return { kind: 'pass' };
    if (isUnknown(t)) soft({ kind: 'unknown', at: valueOf(type!), origin: t.origin });
    if (hasDynamic(config, 'rule')) soft({ kind: 'unknown', at: header(config), origin: 'dynamic "rule" block' });
    for (const rule of nestedBlocks(config, 'rule')) {
      const freq = attribute(rule, 'scan_frequency');
      const f = freq ? module.evaluate(freq.expr, config) : undefined;
      if (isUnknown(f)) {
        soft({ kind: 'unknown', at: valueOf(freq!), origin: f.origin });
        continue;
      }
      if (typeof f !== 'string' || !AUTOMATIC.includes(f)) continue;
      for (const rf of nestedBlocks(rule, 'repository_filter')) {
        const filter = attribute(rf, 'filter');
        const fv = filter ? module.evaluate(filter.expr, config) : undefined;
        if (isUnknown(fv)) {
          soft({ kind: 'unknown', at: valueOf(filter!), origin: fv.origin });
          continue;
        }
        if (typeof fv !== 'string') continue;
        const nameAttr = attribute(repo, 'name');
        const name = nameAttr ? module.evaluate(nameAttr.expr, repo) : undefined;
        if (isUnknown(name)) {
          if (fv !== '*') soft({ kind: 'unknown', at: valueOf(nameAttr!), origin: name.origin });
          else return { kind: 'pass' };
          continue;
        }
        if (typeof name === 'string' && wildcard(fv).test(name)) return { kind: 'pass' };
      }
    }
  }
  return result;
}

/** ECR's WILDCARD filter: `*` matches any characters. */
function wildcard(filter: string): RegExp {
  return new RegExp(`^${filter.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
