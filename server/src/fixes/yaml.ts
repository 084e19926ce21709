import { stringify } from 'yaml';
import type { Position } from '../model/location';
import type { YamlFile, YamlMap, YamlNode, YamlPair, YamlSeq } from '../model/yaml';
import { endOfLine, eolOf, insertAt, lineText } from './text';
import type { TextEdit } from './types';

/**
 * Text edits on YAML computed from the model: block maps get new keys at the
 * indentation of their existing keys, flow maps (`{a: 1}`) stay flow.
 */

const INDENT = '  ';

/** A scalar as YAML source, quoted only when it must be. */
export function yamlScalar(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return stringify(v, { lineWidth: 0 }).trimEnd();
}

export function yamlKey(k: string): string {
  return /^[A-Za-z0-9_][\w./-]*$/.test(k) ? k : JSON.stringify(k);
}

/** A value in flow style: `{a: 1, b: [x]}`. */
export function yamlFlow(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(yamlFlow).join(', ')}]`;
  if (typeof v === 'object' && v !== null)
    return `{${Object.entries(v).map(([k, x]) => `${yamlKey(k)}: ${yamlFlow(x)}`).join(', ')}}`;
  // Inside [ ] or { } a plain scalar may not hold flow indicators: quote it.
  if (typeof v === 'string' && /[{}[\],#]/.test(v)) return JSON.stringify(v);
  return yamlScalar(v);
}

/** `key: value` as block-style lines at `indent` (objects nested, lists as `- ` items). */
export function yamlBlockLines(key: string, value: unknown, indent: string): string[] {
  const head = `${indent}${yamlKey(key)}:`;
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${head} []`];
    return [head, ...value.flatMap((item) => itemLines(item, indent + INDENT))];
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return [`${head} {}`];
    return [head, ...entries.flatMap(([k, v]) => yamlBlockLines(k, v, indent + INDENT))];
  }
  return [`${head} ${yamlScalar(value)}`];
}

/** One sequence item (`- x`, or `- a: 1` with the rest of the map under it). */
export function itemLines(item: unknown, indent: string): string[] {
  if (typeof item === 'object' && item !== null && !Array.isArray(item) && Object.keys(item).length > 0) {
    const lines = Object.entries(item).flatMap(([k, v]) => yamlBlockLines(k, v, indent + INDENT));
    return [`${indent}- ${lines[0]!.trimStart()}`, ...lines.slice(1)];
  }
  return [`${indent}- ${Array.isArray(item) || typeof item === 'object' ? yamlFlow(item) : yamlScalar(item)}`];
}

export function isFlow(file: YamlFile, node: YamlNode): boolean {
  const c = lineText(file.text, node.range.start.line)[node.range.start.character];
  return c === '{' || c === '[';
}

/** Replaces a scalar (or any node) with `source`. */
export function replaceNode(node: YamlNode, source: string): TextEdit {
  return { uri: node.uri, range: node.range, newText: source };
}

/** Adds `entries` to a map: after its last key in block style, before `}` in flow style. */
export function insertPairs(file: YamlFile, map: YamlMap, entries: Readonly<Record<string, unknown>>): TextEdit {
  const list = Object.entries(entries);
  if (isFlow(file, map)) {
    const text = list.map(([k, v]) => `${yamlKey(k)}: ${yamlFlow(v)}`).join(', ');
    if (map.pairs.length === 0) return replaceNode(map, `{${text}}`);
    const end = map.range.end;
    return insertAt(file.uri, { line: end.line, character: end.character - 1 }, `, ${text}`);
  }
  const eol = eolOf(file.text);
  const indent = ' '.repeat(map.pairs[0]!.keyRange.start.character);
  const lines = list.flatMap(([k, v]) => yamlBlockLines(k, v, indent));
  return insertAt(file.uri, endOfLine(file.text, lastLine(map.pairs[map.pairs.length - 1]!)), lines.map((l) => eol + l).join(''));
}

/**
 * Makes `path` exist under `map` and adds `entries` to the map at its end:
 * keys that exist are descended into, the first missing one is inserted with
 * everything below it. A key present with an empty value gets the map.
 */
export function ensurePairs(file: YamlFile, map: YamlMap, path: readonly string[], entries: Readonly<Record<string, unknown>>): TextEdit {
  let current = map;
  for (let i = 0; i < path.length; i++) {
    const p = current.pairs.find((x) => x.key === path[i]);
    const nested = nest(path.slice(i + 1), entries);
    if (!p) return insertPairs(file, current, { [path[i]!]: nested });
    if (p.value?.kind === 'map') {
      current = p.value;
      continue;
    }
    if (!p.value || (p.value.kind === 'scalar' && p.value.value === null)) return setPairValue(file, p, nested);
    throw new Error(`${path.slice(0, i + 1).join('.')} is not a map`);
  }
  return insertPairs(file, current, entries);
}

/** Gives `key:` (empty or null) a map or list value, in block style under the key. */
export function setPairValue(file: YamlFile, pair: YamlPair, value: unknown): TextEdit {
  const eol = eolOf(file.text);
  const indent = ' '.repeat(pair.keyRange.start.character);
  const lines = yamlBlockLines(pair.key, value, indent);
  const start: Position = pair.keyRange.start;
  const end = pair.value ? pair.value.range.end : pair.keyRange.end;
  const afterColon = lineText(file.text, end.line).indexOf(':', end.character) === end.character ? { line: end.line, character: end.character + 1 } : end;
  return { uri: file.uri, range: { start, end: pair.value ? end : afterColon }, newText: [lines[0]!.trimStart(), ...lines.slice(1)].join(eol) };
}

/** Removes a pair from a block map (the lines it occupies), keeping a `- ` that starts its line. */
export function deletePair(file: YamlFile, map: YamlMap, pair: YamlPair): TextEdit {
  if (isFlow(file, map)) {
    const i = map.pairs.indexOf(pair);
    const next = map.pairs[i + 1];
    const prev = map.pairs[i - 1];
    if (next) return { uri: file.uri, range: { start: pair.keyRange.start, end: next.keyRange.start }, newText: '' };
    if (prev) return { uri: file.uri, range: { start: prev.range.end, end: pair.range.end }, newText: '' };
    return replaceNode(map, '{}');
  }
  const prefix = lineText(file.text, pair.keyRange.start.line).slice(0, pair.keyRange.start.character);
  const i = map.pairs.indexOf(pair);
  const next = map.pairs[i + 1];
  if (prefix.trim() !== '') {
    // `- key: value`: the next key moves up onto the dash line.
    if (next) return { uri: file.uri, range: { start: pair.keyRange.start, end: next.keyRange.start }, newText: '' };
    return { uri: file.uri, range: { start: pair.keyRange.start, end: pair.range.end }, newText: '{}' };
  }
  return { uri: file.uri, range: { start: { line: pair.keyRange.start.line, character: 0 }, end: { line: lastLine(pair) + 1, character: 0 } }, newText: '' };
}

/** Removes one item of a sequence (its lines in block style). */
export function deleteItem(file: YamlFile, seq: YamlSeq, index: number): TextEdit {
  const item = seq.items[index]!;
  if (isFlow(file, seq)) {
    const next = seq.items[index + 1];
    const prev = seq.items[index - 1];
    if (next) return { uri: file.uri, range: { start: item.range.start, end: next.range.start }, newText: '' };
    if (prev) return { uri: file.uri, range: { start: prev.range.end, end: item.range.end }, newText: '' };
    return replaceNode(seq, '[]');
  }
  if (seq.items.length === 1) return { uri: file.uri, range: { start: dashOf(file, item), end: endOfLine(file.text, lastLine(item)) }, newText: '[]' };
  return { uri: file.uri, range: { start: { line: dashOf(file, item).line, character: 0 }, end: { line: lastLine(item) + 1, character: 0 } }, newText: '' };
}

function dashOf(file: YamlFile, item: YamlNode): Position {
  for (let l = item.range.start.line; l >= 0; l--) {
    const text = lineText(file.text, l);
    const col = l === item.range.start.line ? text.lastIndexOf('-', item.range.start.character) : text.lastIndexOf('-');
    if (col !== -1 && /^\s*$/.test(text.slice(0, col))) return { line: l, character: col };
  }
  return item.range.start;
}

/** The last line holding text of a pair or node (block scalars' ranges end at the start of the next line). */
function lastLine(x: { readonly range: { readonly start: Position; readonly end: Position } }): number {
  const { start, end } = x.range;
  return end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
}

function nest(path: readonly string[], entries: Readonly<Record<string, unknown>>): unknown {
  return path.reduceRight<unknown>((inner, key) => ({ [key]: inner }), entries);
}
