import { asMap, type YamlFile, type YamlNode, type YamlPair, type YamlSeq } from '../model/yaml';
import { documentAt, nodeAt, standardYamlFix, type NodePath } from './standard';
import { endOfLine, eolOf, insertAt, lineText } from './text';
import type { Fix, TextEdit, YamlFixContext } from './types';
import { PLACEHOLDER } from './types';
import { ensurePairs, isFlow, itemLines, yamlBlockLines, yamlFlow, yamlKey, yamlScalar } from './yaml';

/**
 * Kubernetes fixes that `standardYamlFix` does not cover as the rules need:
 * `standardYamlFix` treats an `insert` whose target map already exists as
 * "replace the whole map", which would drop the labels or requests already
 * there. Here an object value is merged into the map instead.
 */

type Ctx = YamlFixContext<unknown>;

/** `standardYamlFix`, except that inserting an object adds its keys to the map at `path` (created when missing). */
export function mergingYamlFix(ctx: Ctx): Fix[] {
  const { data } = ctx;
  if (data.fix !== 'insert' || data.append || !isPlainObject(data.value) || !Array.isArray(data.path)) return standardYamlFix(ctx);
  const entries = data.value;
  const edit = mergeEdit(ctx, data.path as NodePath, entries);
  if (!edit) return [];
  const placeholder = Boolean(data.placeholder) || Object.values(entries).some((v) => v === PLACEHOLDER);
  const where = (data.path as NodePath).filter((p) => typeof p === 'string').slice(-2).join('.');
  const list = Object.entries(entries).map(([k, v]) => `${k}: ${yamlFlow(v)}`).join(', ');
  return [{ title: `Add ${list} to ${where}`, edits: [edit], ...(placeholder ? { placeholder: true } : {}) }];
}

/** Adds `entries` to the map at `path` of the finding's document, creating the missing part of the path. */
export function mergeEdit(ctx: Ctx, path: NodePath, entries: Readonly<Record<string, unknown>>): TextEdit | undefined {
  const doc = documentAt(ctx.file.documents, ctx.finding.range);
  if (!doc?.root) return undefined;
  let depth = path.length;
  while (depth > 0 && asMap(nodeAt(doc.root, path.slice(0, depth)).node) === undefined) depth--;
  const base = asMap(nodeAt(doc.root, path.slice(0, depth)).node);
  const rest = path.slice(depth);
  if (!base || rest.some((p) => typeof p !== 'string')) return undefined;
  const target = rest.length === 0 ? base : undefined;
  const fresh = target ? Object.fromEntries(Object.entries(entries).filter(([k]) => !target.pairs.some((p) => p.key === k))) : entries;
  if (Object.keys(fresh).length === 0) return undefined;
  return ensurePairs(ctx.file, base, rest as string[], fresh);
}

/** The fixes with another title (the standard one names only the last two path segments). */
export function retitled(fixes: readonly Fix[], title: string): Fix[] {
  return fixes.map((f) => ({ ...f, title }));
}

/** A string scalar written in the quoting style of the scalar it replaces. */
export function scalarLike(node: YamlNode | undefined, value: string): string {
  const source = node?.kind === 'scalar' ? node.source : '';
  if (source.startsWith('"')) return JSON.stringify(value);
  if (source.startsWith("'")) return `'${value.replace(/'/g, "''")}'`;
  return yamlScalar(value);
}

/**
 * Replaces a `key: value` pair of a map with `newKey: newValue`, block style
 * under the key's column, or flow style inside a flow map. A block scalar
 * value (`|`) is replaced up to its last line, not into the next pair.
 */
export function replacePair(file: YamlFile, map: YamlNode, pair: YamlPair, newKey: string, newValue: unknown): TextEdit {
  const end = pair.value ? pair.value.range.end : pair.keyRange.end;
  const range = { start: pair.keyRange.start, end: end.character === 0 && end.line > pair.keyRange.start.line ? { line: end.line - 1, character: lineText(file.text, end.line - 1).length } : end };
  if (isFlow(file, map)) return { uri: file.uri, range, newText: `${yamlKey(newKey)}: ${yamlFlow(newValue)}` };
  const indent = ' '.repeat(pair.keyRange.start.character);
  const lines = yamlBlockLines(newKey, newValue, indent);
  return { uri: file.uri, range, newText: [lines[0]!.trimStart(), ...lines.slice(1)].join(eolOf(file.text)) };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Adds items at the end of a list: `, item` before `]` in flow style, `- item` lines under the last one in block style. */
export function appendItems(file: YamlFile, seq: YamlSeq, values: readonly unknown[]): TextEdit {
  const eol = eolOf(file.text);
  const last = seq.items[seq.items.length - 1];
  if (isFlow(file, seq) || !last) {
    const end = seq.range.end;
    const text = values.map(yamlFlow).join(', ');
    return insertAt(file.uri, { line: end.line, character: end.character - 1 }, `${last ? ', ' : ''}${text}`);
  }
  const dash = ' '.repeat(Math.max(0, last.range.start.character - 2));
  const endLine = last.range.end.character === 0 && last.range.end.line > last.range.start.line ? last.range.end.line - 1 : last.range.end.line;
  const lines = values.flatMap((v) => itemLines(v, dash));
  return insertAt(file.uri, endOfLine(file.text, endLine), lines.map((l) => eol + l).join(''));
}
