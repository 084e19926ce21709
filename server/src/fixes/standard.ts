import type { HclAttribute, HclBlock, HclFile } from '../model/hcl';
import { comparePos, rangeContains, type Range } from '../model/location';
import { asMap, type YamlDocument, type YamlNode, type YamlPair } from '../model/yaml';
import { hclValue, insertAttributes, insertBlock, setValue } from './hcl';
import type { Fix, TerraformFixContext, TextEdit, YamlFixContext } from './types';
import { PLACEHOLDER } from './types';
import { deleteItem, deletePair, ensurePairs, insertPairs, isFlow, replaceNode, yamlBlockLines, yamlFlow, yamlScalar } from './yaml';
import { eolOf } from './text';

/**
 * The fixes most rules need, driven by the `data` their findings carry:
 *
 * Terraform — `{ fix: 'set', value }` on the attribute the finding points at;
 * `{ fix: 'insert', attribute, value }` or `{ fix: 'insert', attributes: {…} }`
 * into the block the finding is in, optionally under `block: 'a.b'` (nested
 * blocks created when missing); `forcesReplacement` / `replaces` mark ⚠replace.
 *
 * YAML — `{ fix: 'set' | 'insert' | 'delete', path, value }` with `path` from
 * the root of the finding's document; `append: true` adds to a list.
 */

// ---- Terraform ------------------------------------------------------------------

/** The top-level block holding `range`. */
export function topLevelBlockAt(file: HclFile, range: Range): HclBlock | undefined {
  return file.body.blocks.find((b) => rangeContains(b.range, range));
}

/** The attribute (at any depth in `block`) whose key or value is exactly `range`, or which holds it. */
export function attributeAt(block: HclBlock, range: Range): HclAttribute | undefined {
  let best: HclAttribute | undefined;
  const visit = (b: HclBlock) => {
    for (const a of b.body.attributes) if (rangeContains(a.range, range) && (!best || rangeContains(best.range, a.range))) best = a;
    b.body.blocks.forEach(visit);
  };
  visit(block);
  return best;
}

/** The nested block at `path` (`['rule', 'apply_server_side_encryption_by_default']`) under `block`. */
export function nestedBlockAt(block: HclBlock, path: readonly string[]): HclBlock | undefined {
  let current: HclBlock | undefined = block;
  for (const name of path) current = current?.body.blocks.find((b) => b.type === name);
  return current;
}

export function standardTerraformFix(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  const resource = typeof data.resource === 'string' ? ctx.module.resource(...(data.resource.split('.') as [string, string])) : undefined;
  const block = resource && resource.uri === file.uri ? resource : topLevelBlockAt(file, finding.range);
  if (!block) return [];
  const flags = {
    ...(data.forcesReplacement || data.replaces || data.replace ? { forcesReplacement: true } : {}),
    ...(data.placeholder || containsPlaceholder(data.value) || containsPlaceholder(data.attributes) ? { placeholder: true } : {}),
  };
  if (data.fix === 'set' && 'value' in data) {
    const attr = attributeAt(block, finding.range);
    if (!attr) return [];
    return [{ title: `Set ${attr.name} = ${hclValue(data.value)}`, edits: [setValue(attr, hclValue(data.value))], ...flags }];
  }
  if (data.fix !== 'insert') return [];
  const attrs: [string, string][] =
    typeof data.attribute === 'string' && 'value' in data
      ? [[data.attribute, hclValue(data.value)]]
      : isRecord(data.attributes)
        ? Object.entries(data.attributes).map(([k, v]) => [k, hclValue(v)])
        : [];
  if (attrs.length === 0) return [];
  const path = typeof data.block === 'string' ? data.block.split('.') : [];
  const edits = insertUnder(file, block, path, attrs);
  const where = path.length ? ` in ${path.join(' › ')}` : '';
  return [{ title: `Add ${attrs.map(([k, v]) => `${k} = ${v}`).join(', ')}${where}`, edits, ...flags }];
}

/** Inserts attributes into the nested block at `path`, creating the missing part of the path. */
export function insertUnder(file: HclFile, block: HclBlock, path: readonly string[], attrs: readonly (readonly [string, string])[]): TextEdit[] {
  let current = block;
  for (let i = 0; i < path.length; i++) {
    const next = current.body.blocks.find((b) => b.type === path[i]);
    if (!next) {
      const rest = path.slice(i + 1);
      const width = Math.max(...attrs.map(([k]) => k.length));
      const inner = attrs.map(([k, v]) => `${k.padEnd(width)} = ${v}`);
      const body = rest.reduceRight<string[]>((lines, name) => [`${name} {`, ...lines.map((l) => `  ${l}`), '}'], inner);
      return [insertBlock(file, current, path[i]!, body)];
    }
    current = next;
  }
  return insertAttributes(file, current, attrs);
}

// ---- YAML -----------------------------------------------------------------------

export type NodePath = readonly (string | number)[];

/** The document holding `range`. */
export function documentAt(documents: readonly YamlDocument[], range: Range): YamlDocument | undefined {
  return documents.find((d) => comparePos(d.range.start, range.start) <= 0 && comparePos(range.end, d.range.end) <= 0);
}

/** The node at `path` from `root`, with the pair holding it when its parent is a map. */
export function nodeAt(root: YamlNode | undefined, path: NodePath): { node?: YamlNode; pair?: YamlPair; parent?: YamlNode } {
  let node: YamlNode | undefined = root;
  let pair: YamlPair | undefined;
  let parent: YamlNode | undefined;
  for (const step of path) {
    parent = node;
    if (typeof step === 'number') {
      pair = undefined;
      node = node?.kind === 'seq' ? node.items[step] : undefined;
    } else {
      pair = node?.kind === 'map' ? node.pairs.find((p) => p.key === step) : undefined;
      node = pair?.value;
    }
    if (!node && !pair) return { parent };
  }
  return { ...(node ? { node } : {}), ...(pair ? { pair } : {}), ...(parent ? { parent } : {}) };
}

export function standardYamlFix(ctx: YamlFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  const path = Array.isArray(data.path) ? (data.path as NodePath) : undefined;
  const doc = documentAt(file.documents, finding.range);
  if (!path || !doc?.root) return [];
  const flags = data.placeholder || containsPlaceholder(data.value) ? { placeholder: true } : {};
  const name = path.filter((p) => typeof p === 'string').slice(-2).join('.');
  const { node, pair, parent } = nodeAt(doc.root, path);
  if (data.fix === 'delete') {
    if (parent?.kind === 'map' && pair) return [{ title: `Remove ${pair.key}`, edits: [deletePair(file, parent, pair)], ...flags }];
    if (parent?.kind === 'seq' && typeof path[path.length - 1] === 'number')
      return [{ title: `Remove ${name || 'the item'}`, edits: [deleteItem(file, parent, path[path.length - 1] as number)], ...flags }];
    return [];
  }
  if (!('value' in data)) return [];
  const value = data.value;
  if (data.fix === 'append') return standardYamlFix({ ...ctx, data: { ...data, fix: 'insert', append: true } });
  if (data.fix === 'set' && node) {
    return [{ title: `Set ${name} to ${yamlFlow(value)}`, edits: [replaceWith(file, node, value)], ...flags }];
  }
  if (data.fix === 'insert' || (data.fix === 'set' && !node)) {
    if (data.append) {
      if (node?.kind !== 'seq') return [];
      return [{ title: `Add ${yamlFlow(value)} to ${name}`, edits: [appendItem(file, node, value)], ...flags }];
    }
    const key = path[path.length - 1];
    if (typeof key !== 'string') return [];
    // Find the deepest existing map on the path, then create the rest.
    const parentPath = path.slice(0, -1);
    let depth = parentPath.length;
    while (depth > 0 && asMap(nodeAt(doc.root, parentPath.slice(0, depth)).node) === undefined) depth--;
    const base = asMap(nodeAt(doc.root, parentPath.slice(0, depth)).node);
    if (!base) return [];
    const rest = parentPath.slice(depth);
    if (rest.some((p) => typeof p !== 'string')) return [];
    if (node?.kind === 'map' && isRecord(value)) {
      // The map exists: add the missing keys, set the others; never drop what is there.
      const missing = Object.fromEntries(Object.entries(value).filter(([k]) => !node.pairs.some((p) => p.key === k)));
      const edits = Object.keys(missing).length ? [insertPairs(file, node, missing)] : [];
      for (const p of node.pairs) if (p.key in value && p.value) edits.push(replaceWith(file, p.value, value[p.key]));
      return edits.length ? [{ title: `Add ${Object.keys(value).join(', ')} to ${name}`, edits, ...flags }] : [];
    }
    if (node && pair && parent?.kind === 'map') return [{ title: `Set ${name} to ${yamlFlow(value)}`, edits: [replaceWith(file, node, value)], ...flags }];
    return [{ title: `Add ${name}: ${yamlFlow(value)}`, edits: [ensurePairs(file, base, rest as string[], { [key]: value })], ...flags }];
  }
  return [];
}

/** Replaces a node by a value: a scalar in place, a map or list in the style of its surroundings. */
function replaceWith(file: YamlFile, node: YamlNode, value: unknown): TextEdit {
  if (typeof value !== 'object' || value === null) return replaceNode(node, yamlScalar(value));
  if (isFlow(file, node) || node.range.start.line === node.range.end.line) return replaceNode(node, yamlFlow(value));
  // A block map or list: rewrite it in block style at its own indentation.
  const indent = ' '.repeat(node.range.start.character);
  const lines = Array.isArray(value)
    ? value.map((v) => `- ${yamlFlow(v)}`)
    : Object.entries(value).flatMap(([k, v]) => yamlBlockLines(k, v, ''));
  return replaceNode(node, lines.map((l, i) => (i === 0 ? l : indent + l)).join(eolOf(file.text)));
}

function appendItem(file: YamlFile, seq: YamlNode & { kind: 'seq' }, value: unknown): TextEdit {
  if (isFlow(file, seq)) {
    const end = seq.range.end;
    return { uri: file.uri, range: { start: { line: end.line, character: end.character - 1 }, end: { line: end.line, character: end.character - 1 } }, newText: `${seq.items.length ? ', ' : ''}${yamlFlow(value)}` };
  }
  const last = seq.items[seq.items.length - 1]!;
  const dashColumn = Math.max(0, last.range.start.character - 2);
  const eol = eolOf(file.text);
  const endLine = last.range.end.character === 0 && last.range.end.line > last.range.start.line ? last.range.end.line - 1 : last.range.end.line;
  const lineEnd = file.text.split(/\r?\n/)[endLine]!.length;
  return { uri: file.uri, range: { start: { line: endLine, character: lineEnd }, end: { line: endLine, character: lineEnd } }, newText: `${eol}${' '.repeat(dashColumn)}- ${typeof value === 'object' && value !== null ? yamlFlow(value) : yamlScalar(value)}` };
}

function containsPlaceholder(v: unknown): boolean {
  if (typeof v === 'string') return v.includes(PLACEHOLDER);
  if (Array.isArray(v)) return v.some(containsPlaceholder);
  if (isRecord(v)) return Object.values(v).some(containsPlaceholder);
  return false;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

type YamlFile = YamlFixContext<unknown>['file'];
