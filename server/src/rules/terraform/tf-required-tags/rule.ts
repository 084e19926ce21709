import type { RelatedInfo, ReportInput } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import { fixRequiredTags } from './fix';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { DEFAULT_DATA_ASSET_SELECTOR } from '../../../terraform/dataAsset';
import { header, valueOf, type TerraformModule } from '../../../terraform/module';
import { isTaggableType, tagAttributeName } from '../../../terraform/taggable';
import { effectiveTags, type EffectiveTags } from '../../../terraform/tags';
import { isUnknown, ResourceRef, Unknown, type Value } from '../../../terraform/value';

interface Params {
  required_tags: string[];
  ai_required_tags: string[];
  data_asset_required_tags: string[];
  ai_resource_types: string[];
  value_patterns: Record<string, string>;
  static_tag_values: Record<string, string>;
  data_asset_selector: Record<string, string[]>;
}

const PLACEHOLDER_REJECT = '^(?!(?:|TODO|REPLACE_ME|CHANGEME)$)[\\s\\S]*$';

export default defineRule<Params>({
  id: 'tf-required-tags',
  title: 'Resources carry the required governance tags',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['CM-8', 'CM-8(4)', 'PM-5'], euAiAct: ['Art.11', 'Art.12'], aiRmf: ['GOVERN 1.6'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      required_tags: stringListParam(
        ['owner', 'cost-center', 'environment', 'data-classification'],
        'Tag (AWS, azurerm) or label (google) keys every taggable resource must carry.',
      ),
      ai_required_tags: stringListParam(
        ['ai-system-id', 'model-name', 'model-version'],
        'Further keys required on AI resources (ai_resource_types and data assets).',
      ),
      data_asset_required_tags: stringListParam(['dataset-version'], 'Further keys required on data assets (data_asset_selector matches).'),
      ai_resource_types: stringListParam(
        [
          'aws_sagemaker_*',
          'aws_bedrock*',
          'azurerm_cognitive_*',
          'azurerm_ai_*',
          'azurerm_machine_learning_*',
          'google_vertex_ai_*',
          'google_workbench_*',
        ],
        'Resource type globs (`*` = any characters) of AI resources: severity high and ai_required_tags required. Data assets count as AI resources too.',
      ),
      value_patterns: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: { '*': PLACEHOLDER_REJECT },
        description:
          'Regular expression a required key\'s value must match, by key; "*" applies to keys without their own pattern. The default rejects empty values and TODO, REPLACE_ME, CHANGEME.',
      },
      static_tag_values: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: {},
        description: 'Values the quick fix inserts for missing keys (else REPLACE_ME placeholders).',
      },
      data_asset_selector: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        default: DEFAULT_DATA_ASSET_SELECTOR,
        description: 'Tag/label key → values that mark a storage resource as an AI data asset (catalog §4).',
      },
    },
  },
  fix: fixRequiredTags,
  check({ module, params, report, unknown, memo }) {
    const aiGlobs = params.ai_resource_types.map(globToRegExp);
    for (const block of module.resources()) {
      // Each resource is judged on its own tags and the provider's: kept across edits of other resources.
      const outcome = memo(block, () => judgeResource(module, block, aiGlobs, params));
      if (outcome?.unknown) unknown(outcome.unknown.at, outcome.unknown.origin);
      if (outcome?.finding) report(outcome.finding);
    }
  },
});

function judgeResource(
  module: TerraformModule,
  block: HclBlock,
  aiGlobs: RegExp[],
  params: Params,
): { finding?: ReportInput; unknown?: { at: Located; origin: string } } | undefined {
  const type = block.labels[0]?.value ?? '';
  const attrName = tagAttributeName(type);
  if (!attrName) return undefined;
  const own = block.body.attributes.some((a) => a.name === attrName);
  if (!isTaggableType(type) && !own) return undefined;

  const instances = module.instances(block);
  const views = Array.isArray(instances) ? instances.map((i) => effectiveTags(module, block, i)!) : [effectiveTags(module, block)!];
  if (views.length === 0) return undefined;
  const verdict = judge(views, type, aiGlobs, params);
  const where: Located = views[0]!.attr ? valueOf(views[0]!.attr) : header(block);
  if (verdict.missing.length === 0 && verdict.badValues.length === 0) return verdict.unknown ? { unknown: { at: where, origin: verdict.unknown.origin } } : undefined;
  const parts: string[] = [];
  if (verdict.missing.length) parts.push(`missing required ${attrName === 'labels' ? 'labels' : 'tags'} ${verdict.missing.join(', ')}`);
  if (verdict.badValues.length) parts.push(`placeholder or invalid values ${verdict.badValues.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}`);
  const what = verdict.ai ? 'an AI resource' : 'a resource';
  const fromProvider =
    type.startsWith('aws_') && type !== 'aws_autoscaling_group'
      ? ' (in the resource tags or the provider default_tags)'
      : type.startsWith('google_')
        ? ' (in the resource labels or the provider default_labels)'
        : '';
  return {
    finding: {
      at: where,
      severity: verdict.ai ? 'high' : 'medium',
      message: `${address(block)} is ${what} with ${parts.join('; ')}: ownership, cost and classification cannot be traced. Set ${[...verdict.missing, ...verdict.badValues.map(([k]) => k)].join(', ')}${fromProvider} to real values.`,
      related: related(module, views[0]!, verdict.badValues.map(([k]) => k)),
      data: {
        fix: views[0]!.attr ? 'merge' : 'insert',
        attribute: type === 'aws_autoscaling_group' ? 'tag' : attrName,
        missing: verdict.missing,
        invalid: verdict.badValues.map(([k]) => k),
        values: Object.fromEntries(verdict.missing.map((k) => [k, params.static_tag_values[k] ?? 'REPLACE_ME'])),
        alternative: type.startsWith('aws_') ? 'provider-default-tags' : type.startsWith('google_') ? 'provider-default-labels' : undefined,
      },
    },
  };
}

interface Verdict {
  readonly missing: string[];
  readonly badValues: [string, string][];
  readonly unknown?: Unknown;
  readonly ai: boolean;
}

/** Missing keys and bad values over all instances; a key is missing only if the known tags prove it. */
function judge(views: readonly EffectiveTags[], type: string, aiGlobs: RegExp[], params: Params): Verdict {
  const missing = new Set<string>();
  const bad = new Map<string, string>();
  let unknown: Unknown | undefined;
  let ai = aiGlobs.some((g) => g.test(type));
  let dataAsset = false;
  for (const v of views)
    if (Object.entries(params.data_asset_selector).some(([k, values]) => typeof v.entries[lower(type, k)] === 'string' && values.includes(v.entries[lower(type, k)] as string)))
      dataAsset = true;
  ai ||= dataAsset;
  const required = [
    ...params.required_tags,
    ...(ai ? params.ai_required_tags : []),
    ...(dataAsset ? params.data_asset_required_tags : []),
  ].map((k) => lower(type, k));
  for (const v of views) {
    for (const key of new Set(required)) {
      if (!(key in v.entries)) {
        if (v.incomplete) unknown ??= v.incomplete;
        else missing.add(key);
        continue;
      }
      const value: Value = v.entries[key]!;
      if (isUnknown(value) || value instanceof ResourceRef) {
        if (isUnknown(value)) unknown ??= value;
        continue;
      }
      const pattern = params.value_patterns[key] ?? params.value_patterns['*'];
      const text = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
      if (pattern !== undefined && !compiled(pattern).test(text)) bad.set(key, text);
    }
    if (v.undecided) unknown ??= v.undecided;
  }
  return { missing: [...missing], badValues: [...bad], ...(unknown ? { unknown } : {}), ai };
}

const patterns = new Map<string, RegExp>();

function compiled(pattern: string): RegExp {
  let re = patterns.get(pattern);
  if (!re) patterns.set(pattern, (re = new RegExp(pattern)));
  return re;
}

/** GCP label keys are lowercase: a required `Owner` is looked for as `owner`. */
function lower(type: string, key: string): string {
  return type.startsWith('google_') ? key.toLowerCase() : key;
}

function related(module: TerraformModule, t: EffectiveTags, badKeys: readonly string[]): RelatedInfo[] {
  const out: RelatedInfo[] = [];
  if (t.providerAttr) out.push({ at: valueOf(t.providerAttr), message: `${t.provider?.name ?? 'provider'} default tags of the provider configuration this resource uses` });
  if (t.attr) out.push(...module.trace(t.attr.expr));
  for (const k of badKeys) {
    const at = t.origin(k);
    if (at) out.push({ at, message: `${k} is set here` });
  }
  return out;
}

function address(block: HclBlock): string {
  return block.labels.map((l) => l.value).join('.');
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}
