import type { ParamsSchema } from '../../engine/rule';
import type { HclAttribute, HclBlock } from '../../model/hcl';
import { attribute, type TerraformModule } from '../module';
import { isUnknown, type Unknown, type Value } from '../value';

/**
 * One argument of a block as a rule sees it (catalog §3): not written,
 * written but not knowable, or written with a known value.
 */
export type Arg =
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly attr: HclAttribute; readonly value: Unknown }
  | { readonly kind: 'known'; readonly attr: HclAttribute; readonly value: Value };

/** Reads `name` of `block` (a resource or one of its nested blocks), evaluated in the scope of `resource`. */
export function readArg(module: TerraformModule, resource: HclBlock, block: HclBlock, name: string): Arg {
  const attr = attribute(block, name);
  if (!attr) return { kind: 'absent' };
  const value = module.evaluate(attr.expr, resource);
  return isUnknown(value) ? { kind: 'unknown', attr, value } : { kind: 'known', attr, value };
}

/** Whether a known value sets something: `null` and `""` leave an optional argument unset. */
export function isSet(value: Value): boolean {
  return value !== null && value !== '';
}

/** The `kms_key_ref` param shared by the encryption rules: what the quick fix inserts as the key. */
export function kmsKeyRefParam(example: string): ParamsSchema['properties'][string] {
  return {
    type: 'string',
    default: '',
    description: `Terraform expression the quick fix inserts as the customer-managed key (for example \`${example}\`); empty inserts the placeholder "REPLACE_ME", which keeps the finding until replaced.`,
  };
}

/** What a quick fix inserts for a key: the configured reference, else a placeholder. */
export function kmsKeyValue(ref: string): { value: string; placeholder: boolean } {
  return ref.trim() ? { value: ref.trim(), placeholder: false } : { value: '"REPLACE_ME"', placeholder: true };
}

/**
 * SageMaker ML instance types with local NVMe instance storage. SageMaker
 * encrypts those volumes with a hardware module and rejects a storage KMS key
 * on endpoint configurations that use them (CreateEndpointConfig, KmsKeyId).
 */
export const DEFAULT_INSTANCE_STORAGE_TYPES: readonly string[] = ['ml.*d.*', 'ml.g4dn.*', 'ml.g5.*', 'ml.p4d.*', 'ml.p5.*'];

/** Matches a glob where `*` stands for any run of characters (including dots). */
export function globMatch(pattern: string, text: string): boolean {
  const re = pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${re}$`).test(text);
}

/** Whether every variant of an endpoint configuration is serverless (`serverless_config`, no `instance_type`). */
export function serverlessOnly(cfg: HclBlock): boolean {
  const variants = cfg.body.blocks.filter((b) => b.type === 'production_variants');
  return variants.length > 0 && variants.every((v) => !attribute(v, 'instance_type') && v.body.blocks.some((b) => b.type === 'serverless_config'));
}
