import type { Located, ParseError, Position, Range } from './location';

/**
 * Position-aware YAML model: maps, sequences and scalars that know their range
 * and, for map entries, the range of the key. Aliases are resolved to the
 * anchored node; `<<` merge keys are expanded (explicit keys win).
 */
export type YamlNode = YamlMap | YamlSeq | YamlScalar;

export type YamlScalarValue = string | number | boolean | null;

export interface YamlScalar {
  readonly kind: 'scalar';
  readonly uri: string;
  readonly range: Range;
  readonly value: YamlScalarValue;
  /** The scalar as written, quotes included. */
  readonly source: string;
  /** An explicit YAML tag as written (`!reference`), else undefined. */
  readonly tag?: string;
}

export interface YamlSeq {
  readonly kind: 'seq';
  readonly uri: string;
  readonly range: Range;
  readonly items: readonly YamlNode[];
  /** An explicit YAML tag as written (`!reference`), else undefined. */
  readonly tag?: string;
}

export interface YamlPair {
  readonly uri: string;
  readonly key: string;
  readonly keyRange: Range;
  /** Undefined for `key:` with nothing after it. */
  readonly value: YamlNode | undefined;
  /** From the key to the end of the value. */
  readonly range: Range;
}

export interface YamlMap {
  readonly kind: 'map';
  readonly uri: string;
  readonly range: Range;
  readonly pairs: readonly YamlPair[];
  /** An explicit YAML tag as written (`!reference`), else undefined. */
  readonly tag?: string;
}

export type DocumentKind = 'kubernetes' | 'github-actions' | 'gitlab-ci' | 'other';

export interface YamlDocument {
  readonly uri: string;
  /** Position of the document in a multi-document file, from 0. */
  readonly index: number;
  readonly range: Range;
  readonly root: YamlNode | undefined;
  readonly kind: DocumentKind;
}

export interface YamlComment {
  readonly text: string;
  readonly range: Range;
}

export interface YamlFile {
  readonly uri: string;
  readonly text: string;
  readonly documents: readonly YamlDocument[];
  readonly errors: readonly ParseError[];
  readonly comments: readonly YamlComment[];
}

export function pair(node: YamlNode | undefined, key: string): YamlPair | undefined {
  return node?.kind === 'map' ? node.pairs.find((p) => p.key === key) : undefined;
}

export function get(node: YamlNode | undefined, key: string): YamlNode | undefined {
  return pair(node, key)?.value;
}

/** Walks a path of map keys and sequence indexes. */
export function at(node: YamlNode | undefined, ...path: (string | number)[]): YamlNode | undefined {
  let cur = node;
  for (const step of path) {
    if (!cur) return undefined;
    if (typeof step === 'number') cur = cur.kind === 'seq' ? cur.items[step] : undefined;
    else cur = get(cur, step);
  }
  return cur;
}

export function asMap(node: YamlNode | undefined): YamlMap | undefined {
  return node?.kind === 'map' ? node : undefined;
}

export function asSeq(node: YamlNode | undefined): YamlSeq | undefined {
  return node?.kind === 'seq' ? node : undefined;
}

export function items(node: YamlNode | undefined): readonly YamlNode[] {
  return node?.kind === 'seq' ? node.items : [];
}

/** The scalar's value as a string (numbers and booleans stringified), else undefined. */
export function str(node: YamlNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

/**
 * A scalar as text. Non-strings are read as written: a plain all-digit
 * 40-character SHA parses as a (lossy) number, `1.10` as 1.1.
 */
export function scalarText(node: YamlNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return typeof node.value === 'string' ? node.value : node.source;
}

// ---- locations ------------------------------------------------------------------

/** `key(x)` of the catalog: the key of a map entry. */
export function keyOf(pair: YamlPair): Located {
  return { uri: pair.uri, range: pair.keyRange };
}

/** `val(x)` of the catalog: the value; the key when the value is empty (`x:`). */
export function valueOf(pair: YamlPair): Located {
  return pair.value ?? keyOf(pair);
}

// ---- ranges inside scalars ------------------------------------------------------

/**
 * The range in the file of `text.slice(start, end)`, where `text` is
 * `scalarText(node)` (the value as read, or a non-string as written), seeing
 * through quotes, escapes (`"\x40"`, `''`) and block scalars. Undefined when
 * the span cannot be placed exactly; callers then fall back to the whole value
 * (as `scalarSpanAt` does).
 */
export function scalarSpan(node: YamlScalar, start: number, end: number): Range | undefined {
  const value = scalarText(node);
  if (value === undefined || start < 0 || end < start || end > value.length) return undefined;
  const map = sourceMap(node.source, value);
  if (map) return { start: positionIn(node, map[start]!), end: positionIn(node, map[end]!) };
  // Multi-line and block scalars: the n-th occurrence of the span's text in the value is
  // the n-th in the source, after a block scalar's header line (`|-`, `>` and its comment).
  const text = value.slice(start, end);
  if (!text) return undefined;
  let nth = 0;
  for (let i = value.indexOf(text); i >= 0 && i < start; i = value.indexOf(text, i + 1)) nth++;
  const header = /^[|>]/.test(node.source) ? node.source.search(/\r|\n/) : 0;
  if (header < 0) return undefined;
  let offset = node.source.indexOf(text, header);
  for (; nth > 0 && offset >= 0; nth--) offset = node.source.indexOf(text, offset + 1);
  if (offset < 0) return undefined;
  return { start: positionIn(node, offset), end: positionIn(node, offset + text.length) };
}

/** `scalarSpan` as a location: the span when it can be placed exactly, else the whole scalar. */
export function scalarSpanAt(node: YamlScalar, start: number, end: number): Located {
  return { uri: node.uri, range: scalarSpan(node, start, end) ?? node.range };
}

/**
 * For a one-line scalar, the source offset of every value offset (plus one past
 * the end); undefined when the source is not one line or does not decode to the value.
 */
function sourceMap(source: string, value: string): number[] | undefined {
  if (/[\r\n]/.test(source)) return undefined;
  const map: number[] = [];
  let out = '';
  const q = source[0];
  if (q === "'" || q === '"') {
    if (source.length < 2 || source[source.length - 1] !== q) return undefined;
    const close = source.length - 1;
    let i = 1;
    while (i < close) {
      const c = source[i]!;
      if (q === "'" && c === "'" && source[i + 1] === "'") {
        map.push(i);
        out += "'";
        i += 2;
      } else if (q === '"' && c === '\\') {
        const decoded = decodeEscape(source, i);
        if (!decoded) return undefined;
        for (let k = 0; k < decoded.text.length; k++) map.push(i);
        out += decoded.text;
        i += decoded.length;
      } else {
        map.push(i);
        out += c;
        i++;
      }
    }
    map.push(close);
  } else {
    for (let i = 0; i <= source.length; i++) map.push(i);
    out = source;
  }
  return out === value ? map : undefined;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

function decodeEscape(source: string, i: number): { text: string; length: number } | undefined {
  const c = source[i + 1];
  if (c === undefined) return undefined;
  if (c in SIMPLE_ESCAPES) return { text: SIMPLE_ESCAPES[c]!, length: 2 };
  const digits = c === 'x' ? 2 : c === 'u' ? 4 : c === 'U' ? 8 : 0;
  if (!digits) return undefined;
  const hex = source.slice(i + 2, i + 2 + digits);
  if (!new RegExp(`^[0-9a-fA-F]{${digits}}$`).test(hex)) return undefined;
  return { text: String.fromCodePoint(parseInt(hex, 16)), length: 2 + digits };
}

function positionIn(node: YamlScalar, offset: number): Position {
  const before = node.source.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g);
  if (!breaks) return { line: node.range.start.line, character: node.range.start.character + offset };
  const lineStart = Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r')) + 1;
  return { line: node.range.start.line + breaks.length, character: offset - lineStart };
}

