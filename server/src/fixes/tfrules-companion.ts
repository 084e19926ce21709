import type { HclBlock } from '../model/hcl';
import { addBlockAfter, repetitionOf, resourceLines } from './hcl';
import type { Fix, TerraformFixContext } from './types';

/**
 * Adds a companion resource (catalog Appendix A, `add-res QF-n`) after the
 * primary block the finding's data names (`bucket: "aws_s3_bucket.x"`,
 * `name`): `body` gets a function that refers to the primary instance the
 * way its count / for_each requires and returns the body lines.
 */
export function addCompanionFix(
  ctx: TerraformFixContext<unknown>,
  type: string,
  body: (ref: (attr: string) => string) => string[],
  extra: Pick<Fix, 'placeholder' | 'forcesReplacement' | 'preferred'> = {},
): Fix[] {
  const primary = primaryOf(ctx);
  const name = typeof ctx.data.name === 'string' && ctx.data.name ? ctx.data.name : primary?.labels[1]?.value;
  if (!primary || !name) return [];
  // A resource of that address already exists (linked elsewhere): the author must choose a name.
  if (ctx.module.resource(type, name)) return [];
  const { meta, ref } = repetitionOf(primary);
  const lines = resourceLines(type, name, [...meta, ...(meta.length ? [''] : []), ...body(ref)]);
  return [{ title: `Add ${type}.${name} for ${addressOf(primary)}`, edits: [addBlockAfter(ctx.file, primary, lines)], ...extra }];
}

/** The primary resource named by the finding's data, when it is declared in the finding's file. */
export function primaryOf(ctx: TerraformFixContext<unknown>): HclBlock | undefined {
  const ref = typeof ctx.data.bucket === 'string' ? ctx.data.bucket : typeof ctx.data.resource === 'string' ? ctx.data.resource : undefined;
  const [type, name] = ref?.split('.') ?? [];
  if (!type || !name) return undefined;
  const block = ctx.module.resource(type, name);
  return block && block.uri === ctx.file.uri ? block : undefined;
}

function addressOf(block: HclBlock): string {
  return `${block.labels[0]?.value ?? ''}.${block.labels[1]?.value ?? ''}`;
}

/**
 * HCL source for a rule parameter that may be an expression
 * (`aws_kms_key.data.arn`, `var.log_bucket`) or a literal name or ARN.
 */
export function expressionOrString(v: string): string {
  const reference = /^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*|\[[^\]]+\])+$/;
  return reference.test(v) && !v.includes(':') ? v : JSON.stringify(v);
}
