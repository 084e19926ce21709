import { defineRule } from '../../../engine/rule';
import type { HclAttribute, HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { DEFAULT_DATA_ASSET_SELECTOR } from '../../../terraform/dataAsset';
import { attribute, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { effectiveTags } from '../../../terraform/tags';
import { isUnknown, PartialList, ResourceRef, Unknown, type Value } from '../../../terraform/value';

type Cloud = 'aws' | 'azure' | 'gcp';
type RegionLists = Partial<Record<Cloud, string[]>>;

interface Params {
  allowed_regions: RegionLists;
  classification_overrides: Record<string, RegionLists>;
  apply_to: 'all' | 'data_asset_selector';
  data_asset_selector: Record<string, string[]>;
}

const regionList = { type: 'array', items: { type: 'string' } };
const listsSchema = { type: 'object', additionalProperties: false, properties: { aws: regionList, azure: regionList, gcp: regionList } };

export default defineRule<Params>({
  id: 'tf-allowed-regions',
  title: 'Resources stay in the allowed regions',
  severity: 'high',
  domain: 'terraform',
  mappings: { nist: ['SA-9(5)', 'SC-7'], gdpr: ['Art.44', 'Art.45', 'Art.46'], euAiAct: ['Art.10'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_regions: {
        ...listsSchema,
        default: {},
        description:
          'Allowed regions per cloud: { aws: [...], azure: [...], gcp: [...] }. A cloud without a list is not restricted; the default restricts nothing.',
      },
      classification_overrides: {
        type: 'object',
        additionalProperties: listsSchema,
        default: {},
        description:
          'Stricter lists by data-classification tag/label value, e.g. { restricted: { aws: ["eu-central-1"] } }: a resource with that classification must use them.',
      },
      apply_to: {
        type: 'string',
        enum: ['all', 'data_asset_selector'],
        default: 'all',
        description: '"all" checks every provider configuration and resource; "data_asset_selector" only data assets (and the provider configurations they use).',
      },
      data_asset_selector: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        default: DEFAULT_DATA_ASSET_SELECTOR,
        description: 'Tag/label key → values that mark a resource as a data asset (catalog §4).',
      },
    },
  },
  check({ module, params, report, unknown, memo }) {
    const seen = new Set<string>();
    /** Checks one region value against a list; Unknown is reported as unknown, never as a violation. */
    const checkValue = (cloud: Cloud, attr: HclAttribute, value: Value, list: readonly string[] | undefined, what: string, within: string) => {
      if (!list) return;
      // A partly known list fails on its known part alone (catalog §3 rule 2).
      const values = value instanceof PartialList ? value.items : Array.isArray(value) ? (value as Value[]) : [value];
      const bad = values.filter((v): v is string => typeof v === 'string' && !allowed(cloud, v, list));
      if (bad.length === 0) {
        const u = isUnknown(value) ? value : values.find(isUnknown);
        if (u) unknown(valueOf(attr), u.origin);
        return;
      }
      const key = `${attr.uri}#${attr.expr.range.start.line}:${attr.expr.range.start.character}`;
      if (seen.has(key)) return;
      seen.add(key);
      report({
        at: valueOf(attr),
        message: `${within} places data in ${bad.map((b) => JSON.stringify(b)).join(', ')}, outside the allowed ${what}: ${list.join(', ')}. Use one of the allowed regions (moving an existing resource replaces it).`,
        data: { fix: 'none', reason: 'changing the region replaces the resource and moves data', allowed: [...list] },
      });
    };

    // Provider configurations (apply_to all): every `provider` block, aliases included.
    const providerCloud: Record<string, Cloud> = { aws: 'aws', google: 'gcp', 'google-beta': 'gcp' };
    const checkProvider = (block: HclBlock, list: readonly string[] | undefined, why: string) => {
      const cloud = providerCloud[block.labels[0]?.value ?? ''];
      if (!cloud) return;
      const attrs = cloud === 'aws' ? ['region'] : ['region', 'zone'];
      if (list && !attrs.some((n) => attribute(block, n)))
        unknown(header(block), `the region of provider "${block.labels[0]!.value}" comes from the environment (${cloud === 'aws' ? 'AWS_REGION' : 'GOOGLE_REGION'})`);
      for (const name of attrs) {
        const a = attribute(block, name);
        if (a) checkValue(cloud, a, module.evaluate(a.expr, block), list, `${cloud} regions${why}`, `provider "${block.labels[0]!.value}"`);
      }
    };
    if (params.apply_to === 'all')
      for (const p of module.topLevel('provider')) checkProvider(p, params.allowed_regions[providerCloud[p.labels[0]?.value ?? ''] ?? 'aws'], '');

    // What each resource asks to check, kept across edits of other resources. A replication
    // configuration reads its destination bucket, another resource, so it is planned afresh.
    type Step = { value: Parameters<typeof checkValue> } | { provider: [HclBlock, readonly string[], string] } | { unknown: [Located, string] };
    const plan = (block: HclBlock): Step[] => {
      const steps: Step[] = [];
      const type = block.labels[0]?.value ?? '';
      const cloud: Cloud | undefined = type.startsWith('aws_') ? 'aws' : type.startsWith('azurerm_') ? 'azure' : type.startsWith('google_') ? 'gcp' : undefined;
      if (!cloud) return steps;
      const tags = effectiveTags(module, block);
      const entries = tags?.entries ?? {};
      const isAsset = Object.entries(params.data_asset_selector).some(([k, vs]) => typeof entries[k] === 'string' && vs.includes(entries[k] as string));
      if (params.apply_to === 'data_asset_selector' && !isAsset) return steps;
      const classification = entries['data-classification'];
      const override = typeof classification === 'string' ? params.classification_overrides[classification]?.[cloud] : undefined;
      const list = override ?? params.allowed_regions[cloud];
      const why = override ? ` for data-classification "${String(classification)}"` : '';
      const name = `${type}.${block.labels[1]?.value ?? ''}`;
      if (!list) return steps;

      const own = (cloud === 'aws' ? ['region'] : cloud === 'azure' ? ['location'] : ['location', 'region', 'zone'])
        .map((n) => attribute(block, n))
        .filter((a): a is HclAttribute => !!a);
      for (const a of own) steps.push({ value: [cloud, a, module.evaluate(a.expr, block), list, `${cloud} regions${why}`, name] });

      // The provider's region applies when the resource sets none: stricter lists, or data assets only.
      if (own.length === 0 && cloud !== 'azure' && (override || params.apply_to === 'data_asset_selector')) {
        const p = module.providerOf(block);
        if (p instanceof Unknown) steps.push({ unknown: [header(block), p.origin] });
        else if (p.block) steps.push({ provider: [p.block, list, why] });
        else steps.push({ unknown: [header(block), `the ${p.name} region of ${name} comes from the environment`] });
      }

      // Replication targets.
      if (type === 'google_storage_bucket')
        for (const cp of nestedBlocks(block, 'custom_placement_config')) {
          const a = attribute(cp, 'data_locations');
          if (a) {
            steps.push({ value: ['gcp', a, module.evaluate(a.expr, block), list, `gcp regions${why}`, `${name} replica`] });
          }
        }
      if (type === 'aws_s3_bucket_replication_configuration')
        for (const rule of nestedBlocks(block, 'rule'))
          for (const dest of nestedBlocks(rule, 'destination')) {
            const a = attribute(dest, 'bucket');
            if (!a) continue;
            const v = module.evaluate(a.expr, block);
            const region = destinationRegion(module, v);
            steps.push({ value: ['aws', a, region, list, `aws regions${why}`, `${name} replica destination`] });
          }
      return steps;
    };
    for (const block of module.resources()) {
      const steps = block.labels[0]?.value === 'aws_s3_bucket_replication_configuration' ? plan(block) : memo(block, () => plan(block));
      for (const step of steps) {
        if ('value' in step) checkValue(...step.value);
        else if ('provider' in step) checkProvider(...step.provider);
        else unknown(...step.unknown);
      }
    }
  },
});

/** The region of a replication destination bucket: its own `region` (v6) or its provider's, when in scope. */
function destinationRegion(module: TerraformModule, v: Value): Value {
  if (!(v instanceof ResourceRef)) return isUnknown(v) ? v : new Unknown('the destination bucket is outside this module');
  const own = attribute(v.block, 'region');
  if (own) return module.evaluate(own.expr, v.block);
  const p = module.providerOf(v.block);
  if (p instanceof Unknown) return p;
  const region = p.block ? attribute(p.block, 'region') : undefined;
  if (!region) return new Unknown(`the region of ${v.type}.${v.name} comes from the environment`);
  return p.module.evaluate(region.expr, p.block);
}

/**
 * Whether `region` is allowed: Azure locations are normalised ("West Europe" →
 * "westeurope"); GCP compares case-insensitively (multi-regions `EU`, `US`,
 * dual-regions `EUR4` literally), and a zone passes when its region is listed.
 */
function allowed(cloud: Cloud, region: string, list: readonly string[]): boolean {
  const norm = (s: string) => (cloud === 'azure' ? s.replace(/\s+/g, '').toLowerCase() : cloud === 'gcp' ? s.toLowerCase() : s);
  const r = norm(region);
  const ok = list.map(norm);
  if (ok.includes(r)) return true;
  if (cloud === 'gcp') {
    const zone = /^(.+-[a-z]+\d+)-[a-z]$/.exec(r);
    if (zone && ok.includes(zone[1]!)) return true;
  }
  return false;
}
