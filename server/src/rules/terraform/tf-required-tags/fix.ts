import { bodyIndent, hclKey, hclValue, insertBlock } from '../../../fixes/hcl';
import { topLevelBlockAt } from '../../../fixes/standard';
import { eolOf, endOfLine, insertAt, lineText } from '../../../fixes/text';
import { addObjectItems } from '../../../fixes/tfrules-object';
import { PLACEHOLDER, type Fix, type TerraformFixContext, type TextEdit } from '../../../fixes/types';
import type { HclAttribute, HclBlock, HclExpr, HclFile } from '../../../model/hcl';
import { Unknown } from '../../../terraform/value';

/**
 * Adds the missing keys to the resource's own tags (labels), with the
 * static_tag_values or REPLACE_ME placeholders; as an alternative, to the
 * provider's default_tags / default_labels when that provider block is in
 * the same file. Values that are present but invalid are left to the author.
 */
export function fixRequiredTags(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  const resource = topLevelBlockAt(file, finding.range);
  const values = isStringRecord(data.values) ? Object.entries(data.values) : [];
  if (!resource || values.length === 0 || typeof data.attribute !== 'string') return [];
  const items = values.map(([k, v]) => [k, hclValue(v)] as const);
  const placeholder = values.some(([, v]) => v.includes(PLACEHOLDER)) ? { placeholder: true } : {};
  const keys = values.map(([k]) => k).join(', ');
  const fixes: Fix[] = [];
  const own = data.attribute === 'tag' ? asgTagBlocks(file, resource, items) : intoAttribute(file, resource, data.attribute, items);
  if (own.length) fixes.push({ title: `Add ${keys} to ${data.attribute === 'tag' ? 'tag blocks' : data.attribute}`, edits: own, preferred: true, ...placeholder });
  const provider = data.alternative ? providerBlock(ctx, resource) : undefined;
  const alt = provider && (data.alternative === 'provider-default-tags' ? intoDefaultTags(file, provider, items) : intoAttribute(file, provider, 'default_labels', items));
  if (alt?.length) {
    const where = data.alternative === 'provider-default-tags' ? 'default_tags' : 'default_labels';
    fixes.push({ title: `Add ${keys} to the provider ${where} (every resource of the provider gets them)`, edits: alt, ...placeholder });
  }
  return fixes;
}

/** Adds items to `name = { … }` of `block`, wraps a computed value in merge(), or inserts the attribute. */
function intoAttribute(file: HclFile, block: HclBlock, name: string, items: readonly (readonly [string, string])[]): TextEdit[] {
  const attr = block.body.attributes.find((a) => a.name === name);
  if (!attr) return insertMapAttribute(file, block, name, items);
  const target = literalObject(attr.expr);
  if (target) return addObjectItems(file, target, items);
  // A reference or call: merge the missing keys over it (later arguments win).
  return [{ uri: file.uri, range: attr.expr.range, newText: `merge(${attr.expr.source}, { ${items.map(([k, v]) => `${hclKey(k)} = ${v}`).join(', ')} })` }];
}

/** The object literal to extend: the value itself, or the last argument of merge(…, { … }). */
function literalObject(expr: HclExpr) {
  if (expr.type === 'object') return expr;
  if (expr.type === 'call' && expr.name === 'merge') {
    const last = expr.children[expr.children.length - 1];
    if (last?.type === 'object') return last;
  }
  return undefined;
}

/** `name = { … }` on its own lines after the block's last attribute (a map is not aligned with its neighbours). */
function insertMapAttribute(file: HclFile, block: HclBlock, name: string, items: readonly (readonly [string, string])[]): TextEdit[] {
  // `resource "x" "y" {}` on one line: rare enough to leave to the author.
  if (block.range.start.line === block.range.end.line) return [];
  const eol = eolOf(file.text);
  const indent = bodyIndent(file, block);
  const width = Math.max(...items.map(([k]) => hclKey(k).length));
  const lines = [`${indent}${name} = {`, ...items.map(([k, v]) => `${indent}  ${hclKey(k).padEnd(width)} = ${v}`), `${indent}}`];
  const last = lastAttribute(block);
  const anchor = last ? last.range.end.line : openingLine(file, block);
  return [insertAt(file.uri, endOfLine(file.text, anchor), lines.map((l) => eol + l).join(''))];
}

/** aws_autoscaling_group: one `tag { key, value, propagate_at_launch }` block per missing key. */
function asgTagBlocks(file: HclFile, asg: HclBlock, items: readonly (readonly [string, string])[]): TextEdit[] {
  const edits = items.map(([k, v]) => insertBlock(file, asg, 'tag', [`key                 = ${hclValue(k)}`, `value               = ${v}`, 'propagate_at_launch = true']));
  // All insert at the same place: one edit keeps their order.
  return [{ ...edits[0]!, newText: edits.map((e) => e.newText).join('') }];
}

function intoDefaultTags(file: HclFile, provider: HclBlock, items: readonly (readonly [string, string])[]): TextEdit[] {
  const dt = provider.body.blocks.find((b) => b.type === 'default_tags');
  if (dt) return intoAttribute(file, dt, 'tags', items);
  const width = Math.max(...items.map(([k]) => hclKey(k).length));
  return [insertBlock(file, provider, 'default_tags', ['tags = {', ...items.map(([k, v]) => `  ${hclKey(k).padEnd(width)} = ${v}`), '}'])];
}

/** The provider configuration the resource uses, when its block is in the finding's file. */
function providerBlock(ctx: TerraformFixContext<unknown>, resource: HclBlock): HclBlock | undefined {
  const p = ctx.module.providerOf(resource);
  if (p instanceof Unknown || !p.block || p.block.uri !== ctx.file.uri) return undefined;
  return p.block;
}

function lastAttribute(block: HclBlock): HclAttribute | undefined {
  let last: HclAttribute | undefined;
  for (const a of block.body.attributes) if (!last || a.range.end.line > last.range.end.line) last = a;
  return last;
}

function openingLine(file: HclFile, block: HclBlock): number {
  for (let l = block.headerRange.end.line; l <= block.range.end.line; l++) if (lineText(file.text, l).includes('{')) return l;
  return block.headerRange.end.line;
}

function isStringRecord(v: unknown): v is Record<string, string> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string');
}
