import type { ParseError, Range } from './location';

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
}

export interface YamlSeq {
  readonly kind: 'seq';
  readonly uri: string;
  readonly range: Range;
  readonly items: readonly YamlNode[];
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
