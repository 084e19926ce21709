import type { HclAttribute, HclBlock, HclFile } from '../model/hcl';
import { endOfLine, eolOf, indentOf, insertAt, lineText } from './text';
import type { TextEdit } from './types';

/**
 * Text edits on HCL computed from the model, laid out the way `terraform fmt`
 * would: two-space indentation under the block's own, and the `=` of
 * consecutive single-line attributes aligned.
 */

const INDENT = '  ';

/** HCL source for a plain value: strings quoted and escaped, lists and objects in HCL syntax. */
export function hclValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v).replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v === null || v === undefined) return 'null';
  if (Array.isArray(v)) return `[${v.map(hclValue).join(', ')}]`;
  const entries = Object.entries(v as Record<string, unknown>);
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, x]) => `${hclKey(k)} = ${hclValue(x)}`).join(', ')} }`;
}

/** An object key: bare when it is an identifier, else quoted. */
export function hclKey(k: string): string {
  return /^[A-Za-z_][\w-]*$/.test(k) ? k : JSON.stringify(k);
}

/** Replaces an attribute's value with `valueSource` (HCL source text). */
export function setValue(attr: HclAttribute, valueSource: string): TextEdit {
  return { uri: attr.uri, range: attr.expr.range, newText: valueSource };
}

/** The indentation of the lines inside `block`'s body. */
export function bodyIndent(file: HclFile, block: HclBlock): string {
  const first = [...block.body.attributes, ...block.body.blocks].find((x) => x.range.start.line > block.range.start.line);
  if (first) {
    const indent = indentOf(file.text, first.range.start.line);
    if (indent.length === first.range.start.character) return indent;
  }
  return indentOf(file.text, block.range.start.line) + INDENT;
}

/**
 * Inserts attributes (name → HCL source) after the block's last attribute,
 * or at the top of its body when it has none; re-aligns the `=` of the
 * attribute group they join, as `terraform fmt` does.
 */
export function insertAttributes(file: HclFile, block: HclBlock, attrs: readonly (readonly [string, string])[]): TextEdit[] {
  if (attrs.length === 0) return [];
  const eol = eolOf(file.text);
  const indent = bodyIndent(file, block);
  const last = lastAttribute(block);
  const oneLine = block.range.start.line === block.range.end.line;
  if (oneLine) return [expandOneLineBlock(file, block, attrs.map(([n, v]) => `${n} = ${v}`))];

  const group = last ? alignmentGroup(block, last) : [];
  const width = Math.max(0, ...group.map((a) => a.name.length), ...attrs.map(([n]) => n.length));
  const edits: TextEdit[] = [];
  // Re-align the group the new attributes join (only where the spacing changes).
  for (const a of group) {
    const line = lineText(file.text, a.keyRange.start.line);
    const eq = line.indexOf('=', a.keyRange.end.character);
    const wanted = ' '.repeat(width - a.name.length + 1);
    if (eq !== -1 && line.slice(a.keyRange.end.character, eq) !== wanted)
      edits.push({ uri: file.uri, range: { start: a.keyRange.end, end: { line: a.keyRange.end.line, character: eq } }, newText: wanted });
  }
  const lines = attrs.map(([n, v]) => `${indent}${n.padEnd(group.length || attrs.length > 1 ? width : 0)} = ${v}`);
  const anchorLine = last ? last.range.end.line : openingLine(file, block);
  edits.push(insertAt(file.uri, endOfLine(file.text, anchorLine), lines.map((l) => eol + l).join('')));
  return edits;
}

/**
 * Inserts a nested block at the end of `block`'s body. `body` holds the
 * nested block's lines, indented by two spaces per level relative to it.
 */
export function insertBlock(file: HclFile, block: HclBlock, header: string, body: readonly string[]): TextEdit {
  const eol = eolOf(file.text);
  const indent = bodyIndent(file, block);
  const lines = [`${header} {`, ...body.map((l) => INDENT + l), '}'];
  if (block.range.start.line === block.range.end.line) return expandOneLineBlock(file, block, lines);
  const text = lines.map((l) => eol + (l.trim() ? indent + l : '')).join('');
  // After the last line of the body, before the closing brace's line.
  const closing = block.range.end.line;
  const closingLine = lineText(file.text, closing);
  if (/^\s*\}/.test(closingLine)) return insertAt(file.uri, endOfLine(file.text, closing - 1), text);
  // `… }` closing on a line with content: put the block before the brace.
  return insertAt(file.uri, { line: closing, character: block.range.end.character - 1 }, `${text}${eol}${indentOf(file.text, block.range.start.line)}`);
}

/** Adds a top-level block (its full source, unindented lines) after `block`, separated by a blank line. */
export function addBlockAfter(file: HclFile, block: HclBlock, lines: readonly string[]): TextEdit {
  const eol = eolOf(file.text);
  return insertAt(file.uri, endOfLine(file.text, block.range.end.line), eol + eol + lines.join(eol));
}

/** Deletes an attribute with its line when nothing else shares the line, else just its text. */
export function deleteAttribute(file: HclFile, attr: HclAttribute): TextEdit {
  const first = lineText(file.text, attr.range.start.line);
  const last = lineText(file.text, attr.range.end.line);
  const alone = first.slice(0, attr.range.start.character).trim() === '' && /^\s*(#.*|\/\/.*)?$/.test(last.slice(attr.range.end.character));
  if (!alone) return { uri: file.uri, range: attr.range, newText: '' };
  return { uri: file.uri, range: { start: { line: attr.range.start.line, character: 0 }, end: { line: attr.range.end.line + 1, character: 0 } }, newText: '' };
}

/**
 * `count` / `for_each` of a primary resource, carried over to a companion
 * (catalog Appendix A): the meta-argument line and how to refer to the
 * primary's instance from the companion.
 */
export function repetitionOf(primary: HclBlock): { meta: string[]; ref: (attr: string) => string } {
  const type = primary.labels[0]?.value ?? '';
  const name = primary.labels[1]?.value ?? '';
  const address = `${type}.${name}`;
  if (primary.body.attributes.some((a) => a.name === 'for_each'))
    return { meta: [`for_each = ${address}`], ref: (attr) => `each.value.${attr}` };
  if (primary.body.attributes.some((a) => a.name === 'count'))
    return { meta: [`count = length(${address})`], ref: (attr) => `${address}[count.index].${attr}` };
  return { meta: [], ref: (attr) => `${address}.${attr}` };
}

/** Source lines of a resource block, `=` aligned per group of consecutive attributes. */
export function resourceLines(type: string, name: string, body: readonly string[]): string[] {
  return [`resource "${type}" "${name}" {`, ...alignLines(body).map((l) => (l ? INDENT + l : l)), '}'];
}

/** Aligns `=` in each run of consecutive `name = value` lines at the same depth (nested lines keep theirs). */
export function alignLines(lines: readonly string[]): string[] {
  const out = [...lines];
  let i = 0;
  while (i < out.length) {
    const m = ATTR_LINE.exec(out[i]!);
    if (!m) {
      i++;
      continue;
    }
    let j = i;
    const run: number[] = [];
    while (j < out.length) {
      const x = ATTR_LINE.exec(out[j]!);
      if (!x || x[1] !== m[1]) break;
      run.push(j);
      j++;
    }
    const width = Math.max(...run.map((k) => ATTR_LINE.exec(out[k]!)![2]!.length));
    for (const k of run) {
      const x = ATTR_LINE.exec(out[k]!)!;
      out[k] = `${x[1]}${x[2]!.padEnd(width)} = ${x[3]}`;
    }
    i = j;
  }
  return out;
}

const ATTR_LINE = /^(\s*)([A-Za-z_][\w-]*)\s*=\s*(.*)$/;

function lastAttribute(block: HclBlock): HclAttribute | undefined {
  let last: HclAttribute | undefined;
  for (const a of block.body.attributes) if (!last || a.range.end.line > last.range.end.line) last = a;
  return last;
}

/** The line holding the block's `{`. */
function openingLine(file: HclFile, block: HclBlock): number {
  for (let l = block.headerRange.end.line; l <= block.range.end.line; l++) if (lineText(file.text, l).includes('{')) return l;
  return block.headerRange.end.line;
}

/**
 * The attributes `terraform fmt` aligns together with `last`: the run of
 * single-line attributes on consecutive lines ending at `last`.
 */
function alignmentGroup(block: HclBlock, last: HclAttribute): HclAttribute[] {
  if (last.range.start.line !== last.range.end.line) return [];
  const byLine = new Map(block.body.attributes.filter((a) => a.range.start.line === a.range.end.line).map((a) => [a.range.start.line, a]));
  const group: HclAttribute[] = [];
  for (let l = last.range.start.line; byLine.has(l); l--) group.unshift(byLine.get(l)!);
  return group;
}

/** Rewrites `resource "a" "b" { x = 1 }` / `{}` as a multi-line block holding `extra` lines at the end. */
function expandOneLineBlock(file: HclFile, block: HclBlock, extra: readonly string[]): TextEdit {
  // Nested blocks on one line are rare enough not to re-lay out: no fix then.
  if (block.body.blocks.length > 0) throw new Error('a one-line block with nested blocks');
  const eol = eolOf(file.text);
  const outer = indentOf(file.text, block.range.start.line);
  const inner = outer + INDENT;
  const existing = block.body.attributes.map((a) => `${a.name} = ${a.expr.source}`);
  const lines = alignLines([...existing, ...extra]);
  const startOfBody = block.range.start.line === block.headerRange.end.line ? lineText(file.text, block.range.start.line).indexOf('{', block.headerRange.end.character) : -1;
  const from = { line: block.range.start.line, character: startOfBody + 1 };
  return { uri: file.uri, range: { start: from, end: block.range.end }, newText: `${lines.map((l) => eol + inner + l).join('')}${eol}${outer}}` };
}
