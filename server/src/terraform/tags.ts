import type { HclAttribute, HclBlock } from '../model/hcl';
import type { Located } from '../model/location';
import type { Instance } from './evaluate';
import { attribute, hasDynamic, nestedBlocks, type TerraformModule } from './module';
import type { ProviderConfig } from './providers';
import { tagAttributeName } from './taggable';
import { isUnknown, keyOrigin, knownEntries, knownItems, PartialMap, Unknown, type Value } from './value';

/**
 * The tags (AWS, azurerm) or labels (google) a resource ends up with, as far
 * as the workspace shows: AWS provider `default_tags` merged with the
 * resource's `tags` (resource wins), minus provider `ignore_tags`;
 * `aws_autoscaling_group` `tag` blocks (it gets no `default_tags`); google
 * provider `default_labels` merged with `labels`; azurerm `tags` only.
 */
export interface EffectiveTags {
  /** Keys proved present, with their values (a value may be Unknown). */
  readonly entries: Readonly<Record<string, Value>>;
  /** Undefined when no other key can exist; else why other keys may exist. */
  readonly incomplete?: Unknown;
  /** Keys whose presence cannot be decided because `ignore_tags` is unknown. */
  readonly undecided?: Unknown;
  /** The resource's own `tags` / `labels` attribute. */
  readonly attr?: HclAttribute;
  /** The provider configuration used, when resolved. */
  readonly provider?: ProviderConfig;
  /** The provider's `default_tags { tags }` / `default_labels` attribute that contributed. */
  readonly providerAttr?: HclAttribute;
  /** Where a key was written (resource tags, locals, tfvars, default_tags …). */
  origin(key: string): Located | undefined;
}

export function effectiveTags(module: TerraformModule, block: HclBlock, instance?: Instance): EffectiveTags | undefined {
  // Several rules ask for the same block's tags; instances are stable objects within a module version.
  return module.cachedFor(instance ?? block, 'effectiveTags', () => computeEffectiveTags(module, block, instance));
}

function computeEffectiveTags(module: TerraformModule, block: HclBlock, instance?: Instance): EffectiveTags | undefined {
  const type = block.labels[0]?.value ?? '';
  const attrName = tagAttributeName(type);
  if (!attrName) return undefined;
  const origins = new Map<string, Located>();
  const entries: Record<string, Value> = {};
  let incomplete: Unknown | undefined;
  const addAll = (v: Value, fallback?: Located) => {
    const known = knownEntries(v);
    if (isUnknown(v)) incomplete ??= v;
    else if (!known && v !== null) incomplete ??= new Unknown('tags are not a map');
    for (const [k, x] of Object.entries(known ?? {})) {
      entries[k] = x;
      const at = keyOrigin(v, k) ?? fallback;
      if (at) origins.set(k, at);
    }
  };

  let provider: ProviderConfig | undefined;
  let providerAttr: HclAttribute | undefined;
  let undecided: Unknown | undefined;
  let ignoreKeys: readonly Value[] = [];
  let ignorePrefixes: readonly Value[] = [];

  if (type.startsWith('aws_') || type.startsWith('google_')) {
    const p = module.providerOf(block);
    if (p instanceof Unknown) incomplete ??= p;
    else {
      provider = p;
      const cfg = p.block;
      // A module with no provider block may be a child module whose caller passes default tags.
      if (!cfg && type.startsWith('aws_') && type !== 'aws_autoscaling_group')
        incomplete ??= new Unknown(`no provider "${p.name}" block in this module: default_tags may come from a calling module`);
      if (!cfg && type.startsWith('google_')) incomplete ??= new Unknown(`no provider "${p.name}" block in this module: default_labels may come from a calling module`);
      if (cfg && type.startsWith('aws_')) {
        if (type !== 'aws_autoscaling_group')
          for (const dt of nestedBlocks(cfg, 'default_tags')) {
            const t = attribute(dt, 'tags');
            if (!t) continue;
            providerAttr = t;
            addAll(p.module.evaluate(t.expr, cfg), { uri: t.uri, range: t.keyRange });
          }
        if (hasDynamic(cfg, 'default_tags') || hasDynamic(cfg, 'ignore_tags')) incomplete ??= new Unknown('the provider has dynamic tag blocks');
        for (const it of nestedBlocks(cfg, 'ignore_tags')) {
          for (const [name, set] of [
            ['keys', (v: readonly Value[]) => (ignoreKeys = [...ignoreKeys, ...v])],
            ['key_prefixes', (v: readonly Value[]) => (ignorePrefixes = [...ignorePrefixes, ...v])],
          ] as const) {
            const a = attribute(it, name);
            if (!a) continue;
            const v = p.module.evaluate(a.expr, cfg);
            const items = knownItems(v);
            if (items) set(items);
            if (isUnknown(v)) undecided ??= v;
          }
        }
      } else if (cfg && type.startsWith('google_')) {
        const t = attribute(cfg, 'default_labels');
        if (t) {
          providerAttr = t;
          addAll(p.module.evaluate(t.expr, cfg), { uri: t.uri, range: t.keyRange });
        }
      }
    }
  }

  const attr = attribute(block, attrName);
  if (type === 'aws_autoscaling_group') {
    for (const tb of nestedBlocks(block, 'tag')) {
      const k = attribute(tb, 'key');
      const v = attribute(tb, 'value');
      const key = k ? module.evaluate(k.expr, block, instance) : undefined;
      if (typeof key !== 'string') {
        incomplete ??= isUnknown(key) ? key : new Unknown('a tag block has no literal key');
        continue;
      }
      entries[key] = v ? module.evaluate(v.expr, block, instance) : new Unknown(`tag ${key} has no value`);
      origins.set(key, { uri: k!.uri, range: k!.expr.range });
    }
    if (hasDynamic(block, 'tag')) incomplete ??= new Unknown('tags come from a dynamic "tag" block');
  }
  if (attr) addAll(module.evaluate(attr.expr, block, instance), { uri: attr.uri, range: attr.expr.range });

  // ignore_tags: a listed key is dropped from what the provider manages, so it cannot satisfy a requirement.
  for (const k of Object.keys(entries)) {
    const ignored =
      ignoreKeys.some((x) => x === k) || ignorePrefixes.some((x) => typeof x === 'string' && k.startsWith(x));
    if (ignored) delete entries[k];
  }
  if (undecided)
    for (const k of Object.keys(entries))
      entries[k] = new Unknown(`provider ignore_tags may drop ${k}: ${undecided.origin}`);

  return {
    entries,
    ...(incomplete ? { incomplete } : {}),
    ...(undecided ? { undecided } : {}),
    ...(attr ? { attr } : {}),
    ...(provider ? { provider } : {}),
    ...(providerAttr ? { providerAttr } : {}),
    origin: (k) => origins.get(k),
  };
}

/** The effective tags as a value: a map, or a `PartialMap` when other keys may exist. */
export function effectiveTagsValue(t: EffectiveTags): Value {
  return t.incomplete ? new PartialMap(t.entries, t.incomplete.origin, t.incomplete.range, t.incomplete.uri) : t.entries;
}

