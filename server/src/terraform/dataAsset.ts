import type { HclBlock } from '../model/hcl';
import { attribute, type TerraformModule } from './module';
import { isRecord, knownEntries, type Value } from './value';

/**
 * The catalog's default `data_asset_selector` (§4): storage resources whose
 * tags (AWS, Azure) or labels (GCP) mark them as AI data assets.
 */
export const DEFAULT_DATA_ASSET_SELECTOR: Readonly<Record<string, readonly string[]>> = {
  'ai-asset-type': ['dataset', 'model', 'feature-store', 'eval', 'audit-log'],
  'data-classification': ['confidential', 'restricted'],
};

/** The resource's own `tags` or `labels` map, when it can be evaluated. */
export function ownTags(module: TerraformModule, block: HclBlock): { readonly [key: string]: Value } | undefined {
  const attr = attribute(block, 'tags') ?? attribute(block, 'labels');
  if (!attr) return undefined;
  const v = module.evaluate(attr.expr, block);
  return isRecord(v) ? v : undefined;
}

/**
 * Whether the resource's own tags prove it a data asset. Tags that cannot be
 * evaluated prove nothing (the caller keeps its default), so this never
 * raises a severity on what Plumbline cannot see; a partly known map
 * (`merge(var.common, { ai-asset-type = "dataset" })`) proves it by its known entries.
 */
export function isDataAsset(
  module: TerraformModule,
  block: HclBlock,
  selector: Readonly<Record<string, readonly string[]>> = DEFAULT_DATA_ASSET_SELECTOR,
): boolean {
  // A partly known map proves a data asset when a known entry selects it (catalog §3 rule 2).
  const attr = attribute(block, 'tags') ?? attribute(block, 'labels');
  const tags = attr ? knownEntries(module.evaluate(attr.expr, block)) : undefined;
  if (!tags) return false;
  return Object.entries(selector).some(([key, selected]) => {
    const v = tags[key];
    return typeof v === 'string' && selected.includes(v);
  });
}
