import type { HclBlock } from '../model/hcl';
import { attribute, type TerraformModule } from './module';
import { Unknown, type Value } from './value';

// The argument reader and key params are provider-neutral; they live with the first rules that needed them.
export { isSet, kmsKeyRefParam, kmsKeyValue, readArg, type Arg } from './aws/sagemaker';

/**
 * The region a Google resource lives in: its `region`, else the region part of
 * its `location` (`us-central1-a` → `us-central1`), else the provider's
 * `region`. Unknown when not knowable (for example set by the environment).
 */
export function googleRegion(module: TerraformModule, block: HclBlock): Value {
  for (const name of ['region', 'location']) {
    const a = attribute(block, name);
    if (!a) continue;
    const v = module.evaluate(a.expr, block);
    if (typeof v === 'string') return zoneToRegion(v.toLowerCase());
    return v;
  }
  const p = module.providerOf(block);
  if (p instanceof Unknown) return p;
  const r = p.block && attribute(p.block, 'region');
  if (!r) return new Unknown(`the region of ${block.labels.join('.')} comes from the provider environment`);
  const v = p.module.evaluate(r.expr, p.block);
  return typeof v === 'string' ? zoneToRegion(v.toLowerCase()) : v;
}

/** `europe-west4-a` → `europe-west4`; regions and multi-regions (`eu`, `global`) are kept. */
export function zoneToRegion(location: string): string {
  return /^[a-z]+-[a-z]+\d+-[a-z]$/.test(location) ? location.slice(0, -2) : location;
}

/** `projects/p/locations/l/keyRings/r/cryptoKeys/k` → `l`. */
export function kmsKeyLocation(keyName: string): string | undefined {
  return /\/locations\/([^/]+)\//.exec(keyName)?.[1]?.toLowerCase();
}
