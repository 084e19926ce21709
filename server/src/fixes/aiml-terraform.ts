import type { HclBlock, HclFile } from '../model/hcl';
import { rangeContains, type Range } from '../model/location';
import type { TerraformModule } from '../terraform/module';
import { addBlockAfter, hclValue, insertAttributes, insertBlock, repetitionOf, resourceLines, setValue } from './hcl';
import { eolOf } from './text';
import { topLevelBlockAt } from './standard';
import type { Fix, TerraformFixContext, TextEdit } from './types';
import { PLACEHOLDER } from './types';

/**
 * Fix building blocks for the AI/ML Terraform rules. They differ from
 * standard.ts in three ways the rules need: values may be HCL expressions
 * (a configured `kms_key_ref` such as `aws_kms_key.ml.arn`), the nested block
 * edited is the one the finding is in (a resource may have several
 * `data_disks`), and companion resources get names that do not collide.
 */

/** An attribute to set or insert; `source` is HCL source text. */
export interface Change {
  readonly name: string;
  readonly source: string;
}

export interface FixFlags {
  readonly placeholder?: boolean;
  readonly forcesReplacement?: boolean;
}

/** The resource a fix edits: `data.resource` when it is in the finding's file, else the block holding the finding. */
export function primaryBlock(ctx: TerraformFixContext<unknown>): HclBlock | undefined {
  const ref = ctx.data.resource;
  if (typeof ref === 'string') {
    const [type, name] = ref.split('.');
    const r = type && name ? ctx.module.resource(type, name) : undefined;
    if (r) return r.uri === ctx.file.uri ? r : undefined;
  }
  return topLevelBlockAt(ctx.file, ctx.finding.range);
}

/**
 * The chain of nested blocks along `path` under `block`, preferring at each
 * step the block that holds `range` (the finding), else the first. Stops
 * where the path does not exist yet.
 */
export function blockChain(block: HclBlock, path: readonly string[], range: Range): HclBlock[] {
  const chain: HclBlock[] = [];
  let current = block;
  for (const name of path) {
    const candidates = current.body.blocks.filter((b) => b.type === name);
    const next = candidates.find((b) => rangeContains(b.range, range)) ?? candidates[0];
    if (!next) break;
    chain.push(next);
    current = next;
  }
  return chain;
}

/**
 * Sets the attributes that exist in the nested block at `path` and inserts
 * the others, creating the missing part of the path (nested blocks last in
 * their parent, as `terraform fmt` leaves them).
 */
export function changeEdits(file: HclFile, block: HclBlock, path: readonly string[], range: Range, changes: readonly Change[]): TextEdit[] {
  const chain = blockChain(block, path, range);
  const target = chain.length === path.length ? (chain[chain.length - 1] ?? block) : undefined;
  const edits: TextEdit[] = [];
  const inserts: [string, string][] = [];
  for (const c of changes) {
    const attr = target?.body.attributes.find((a) => a.name === c.name);
    if (attr) edits.push(setValue(attr, c.source));
    else inserts.push([c.name, c.source]);
  }
  if (inserts.length === 0) return edits;
  if (target) return [...edits, ...insertAttributes(file, target, inserts)];
  const parent = chain[chain.length - 1] ?? block;
  const missing = path.slice(chain.length);
  const width = Math.max(...inserts.map(([k]) => k.length));
  const inner = inserts.map(([k, v]) => `${k.padEnd(width)} = ${v}`);
  const body = missing.slice(1).reduceRight<string[]>((lines, name) => [`${name} {`, ...lines.map((l) => `  ${l}`), '}'], inner);
  return [...edits, insertNestedBlock(file, parent, missing[0]!, body)];
}

/** A fix that sets or inserts `changes` at `path`, titled by what it does. */
export function changeFix(ctx: TerraformFixContext<unknown>, path: readonly string[], changes: readonly Change[], flags: FixFlags = {}): Fix[] {
  const block = primaryBlock(ctx);
  if (!block) return [];
  const chain = blockChain(block, path, ctx.finding.range);
  const target = chain.length === path.length ? (chain[chain.length - 1] ?? block) : undefined;
  // Writing what is already there (a placeholder over itself) is no fix.
  changes = changes.filter((c) => target?.body.attributes.find((a) => a.name === c.name)?.expr.source !== c.source);
  if (changes.length === 0) return [];
  const exists = (name: string) => !!target?.body.attributes.some((a) => a.name === name);
  const where = path.length ? ` in ${path.join(' › ')}` : '';
  const set = changes.filter((c) => exists(c.name)).map((c) => `${c.name} = ${c.source}`);
  const add = changes.filter((c) => !exists(c.name)).map((c) => `${c.name} = ${c.source}`);
  const title = [set.length ? `Set ${set.join(', ')}` : '', add.length ? `${set.length ? 'add' : 'Add'} ${add.join(', ')}` : ''].filter(Boolean).join(', ') + where;
  return [{ title, edits: changeEdits(ctx.file, block, path, ctx.finding.range, changes), ...cleanFlags(flags, changes) }];
}

/** A plain value (string, number, bool, list) as a change. */
export function plain(name: string, value: unknown): Change {
  return { name, source: hclValue(value) };
}

/** Flags as the Fix wants them: absent rather than false; placeholder also when a value is REPLACE_ME. */
export function cleanFlags(flags: FixFlags, changes: readonly Change[] = []): FixFlags {
  const placeholder = flags.placeholder || changes.some((c) => c.source.includes(PLACEHOLDER));
  return { ...(placeholder ? { placeholder: true } : {}), ...(flags.forcesReplacement ? { forcesReplacement: true } : {}) };
}

/** Whether the finding's data marks a resource replacement (rules write `replaces` or `forcesReplacement`). */
export function replaces(data: Readonly<Record<string, unknown>>): boolean {
  return data.replaces === true || data.forcesReplacement === true;
}

/** A resource name of `type` not yet used in the module: `wanted`, else `wanted_2`, `wanted_3`, … */
export function freeName(module: TerraformModule, type: string, wanted: string): string {
  if (!module.resource(type, wanted)) return wanted;
  for (let n = 2; ; n++) if (!module.resource(type, `${wanted}_${n}`)) return `${wanted}_${n}`;
}

/**
 * A companion resource after `primary`: its count/for_each copied (catalog
 * Appendix A) and `body` built from how to refer to the primary's instance.
 */
export function companionFix(
  ctx: TerraformFixContext<unknown>,
  primary: HclBlock,
  type: string,
  name: string,
  body: (ref: (attr: string) => string) => string[],
  flags: FixFlags = {},
): Fix[] {
  const rep = repetitionOf(primary);
  const lines = resourceLines(type, name, [...rep.meta, ...body(rep.ref)]);
  const placeholder = flags.placeholder || lines.some((l) => l.includes(PLACEHOLDER));
  return [{ title: `Add ${type}.${name} for ${primary.labels.map((l) => l.value).join('.')}`, edits: [addBlockAfter(ctx.file, primary, lines)], ...cleanFlags({ ...flags, placeholder }) }];
}

/**
 * The fix a finding's data describes: `{ fix: 'set' | 'insert', attribute,
 * value, block?: 'a.b', placeholder?, replaces? }`. With `source`, `value` is
 * already HCL source (an expression such as a configured key reference);
 * otherwise it is a plain value. Data without a value gives no fix.
 */
export function dataChangeFix(ctx: TerraformFixContext<unknown>, options: { source?: boolean } = {}): Fix[] {
  const { data } = ctx;
  if ((data.fix !== 'set' && data.fix !== 'insert') || typeof data.attribute !== 'string' || !('value' in data)) return [];
  if (options.source && typeof data.value !== 'string') return [];
  const change: Change = options.source ? { name: data.attribute, source: data.value as string } : plain(data.attribute, data.value);
  const path = typeof data.block === 'string' ? data.block.split('.') : [];
  return changeFix(ctx, path, [change], { placeholder: data.placeholder === true, forcesReplacement: replaces(data) });
}

/**
 * Several nested blocks appended to `block` in one edit (insertBlock makes
 * one; two inserts at the same point would have no defined order).
 */
export function insertBlocks(file: HclFile, block: HclBlock, blocks: readonly { header: string; body: readonly string[] }[]): TextEdit {
  const edits = blocks.map((b) => insertBlock(file, block, b.header, b.body));
  const first = edits[0]!;
  const samePoint = edits.every((e) => rangeEquals(e.range, first.range) && rangeEquals(e.range, { start: e.range.start, end: e.range.start }));
  if (!samePoint || block.range.start.line === block.range.end.line) throw new Error('blocks cannot be appended in one edit here');
  return { ...first, newText: edits.map((e) => e.newText).join('') };
}

function rangeEquals(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}

/**
 * insertBlock, set off by a blank line from what precedes it in a block that
 * has content (as the blocks around it usually are), with blank lines in
 * `body` left empty rather than indented.
 */
export function insertNestedBlock(file: HclFile, block: HclBlock, header: string, body: readonly string[]): TextEdit {
  const edit = insertBlock(file, block, header, body);
  const eol = eolOf(file.text);
  const hasContent = block.body.attributes.length + block.body.blocks.length > 0;
  const separated = hasContent && edit.newText.startsWith(eol) ? eol + edit.newText : edit.newText;
  return { ...edit, newText: separated.replace(/[ \t]+(?=\r?\n)/g, '') };
}

/**
 * Whether an evaluated value still holds the REPLACE_ME a placeholder fix
 * inserted (alone, in a list or inside an expression string). Rules keep
 * reporting such values: the placeholder is not a fix until replaced.
 */
export function isPlaceholder(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(PLACEHOLDER);
  if (Array.isArray(value)) return value.some(isPlaceholder);
  return false;
}
