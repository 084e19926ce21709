import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  Parser,
  type Document,
  type Node as YNode,
} from 'yaml';
import { LineIndex, shiftLines, type ParseError, type Range } from '../../model/location';
import { inputProblem, unparsedYamlFile } from '../limits';
import type { DocumentKind, YamlComment, YamlDocument, YamlFile, YamlMap, YamlNode, YamlPair } from '../../model/yaml';

export interface YamlParseOptions {
  /** Decides the kind of each document; see `documentKind`. */
  kindOf(root: YamlNode | undefined): DocumentKind;
  /** Line of the file the text starts at (when parsing one document of a file). */
  readonly lineOffset?: number;
}

/**
 * Parses a (multi-document) YAML file with `yaml`'s own parser and composer,
 * keeping comments and converting every node to the position-aware model.
 */
export function parseYaml(uri: string, text: string, options: YamlParseOptions): YamlFile {
  const refused = inputProblem(text);
  if (refused) return unparsedYamlFile(uri, text, refused, options.kindOf);
  const tokens = Array.from(new Parser().parse(text));
  const composer = new Composer({ merge: true, uniqueKeys: false, intAsBigInt: false });
  const docs = Array.from(composer.compose(tokens, true, text.length)) as Document.Parsed[];

  const lineOffset = options.lineOffset ?? 0;
  // Positions as LSP counts lines (a lone \r ends one too, which LineCounter does not know).
  const index = new LineIndex(text);
  const pos = (offset: number) => {
    const p = index.position(offset);
    return { line: p.line + lineOffset, character: p.character };
  };
  const range = (start: number, end: number): Range => ({ start: pos(start), end: pos(end) });

  const errors: ParseError[] = [];
  const documents: YamlDocument[] = docs.map((doc, index) => {
    for (const e of doc.errors) {
      // yaml may place an error at end of input one character past the text: keep ranges inside it.
      const start = Math.min(e.pos[0], text.length);
      errors.push({ message: `YAML syntax error: ${firstLine(e.message)}`, range: range(start, Math.min(Math.max(e.pos[1], start), text.length)) });
    }
    const converter = new Converter(uri, text, doc, range);
    let root: YamlNode | undefined;
    let kind: DocumentKind;
    try {
      root = converter.node(doc.contents);
      kind = options.kindOf(root);
    } catch (e) {
      if (!(e instanceof Unanalysable)) throw e;
      // No rule runs on the document (no root), but its kind is still known from its
      // top-level scalars, so the error is reported as in any file of that kind.
      errors.push({ message: e.message, range: range(e.at[0], e.at[1]) });
      kind = options.kindOf(topLevelScalars(uri, text, doc, range));
    }
    errors.push(...converter.problems);
    return { uri, index, range: range(doc.range[0], doc.range[1]), root, kind };
  });
  // Comments are read only by suppressions: collected from the tokens on first use.
  let comments: YamlComment[] | undefined;
  return {
    uri,
    text,
    documents,
    errors: errors.slice(0, 1),
    get comments() {
      return (comments ??= collectComments(tokens, range));
    },
  };
}

interface Chunk {
  readonly text: string;
  readonly startLine: number;
  /** Its documents, numbered in the whole file. */
  readonly documents: readonly YamlDocument[];
  /** Its comments, collected on first use. */
  readonly comments: () => readonly YamlComment[];
}

/** The documents a parsed file was assembled from, for re-use by the next version. */
const chunksOf = new WeakMap<YamlFile, readonly Chunk[]>();

/**
 * Parses like `parseYaml`, re-using the documents of `previous` (the last
 * version of the same file) whose text did not change: in a file of many
 * Kubernetes objects an edit re-parses one document. Documents are
 * independent in YAML (anchors do not cross `---`), so the result equals a
 * whole-file parse; when a document has a syntax error, or the file has
 * directives, the whole file is parsed to keep error recovery exact.
 */
export function parseYamlReusing(uri: string, text: string, options: YamlParseOptions, previous?: YamlFile): YamlFile {
  const refused = inputProblem(text);
  if (refused) return unparsedYamlFile(uri, text, refused, options.kindOf);
  const pieces = splitDocuments(text);
  if (!pieces || pieces.length < 2) return parseYaml(uri, text, options);
  const old = previous ? [...(chunksOf.get(previous) ?? [])] : [];
  const chunks: Chunk[] = [];
  let index = 0;
  for (const piece of pieces) {
    const i = old.findIndex((c) => c.text === piece.text);
    let chunk: Chunk;
    if (i !== -1) {
      const [reused] = old.splice(i, 1);
      const delta = piece.startLine - reused!.startLine;
      chunk = delta === 0 ? reused! : { ...piece, documents: shiftLines(reused!.documents, delta), comments: once(() => shiftLines(reused!.comments(), delta)) };
    } else {
      const parsed = parseYaml(uri, piece.text, { ...options, lineOffset: piece.startLine });
      if (parsed.errors.length > 0) return parseYaml(uri, text, options);
      chunk = { ...piece, documents: parsed.documents, comments: once(() => parsed.comments) };
    }
    const first = index;
    chunks.push(chunk.documents.every((d, k) => d.index === first + k) ? chunk : { ...chunk, documents: chunk.documents.map((d, k) => ({ ...d, index: first + k })) });
    index += chunk.documents.length;
  }
  const documents = chunks.flatMap((c) => c.documents);
  const comments = once(() => chunks.flatMap((c) => c.comments()));
  const file: YamlFile = {
    uri,
    text,
    documents,
    errors: [],
    get comments() {
      return comments();
    },
  };
  chunksOf.set(file, chunks);
  return file;
}

function once<T>(compute: () => T): () => T {
  let value: T | undefined;
  let done = false;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value as T;
  };
}

/**
 * Splits a stream at `---` document markers (at the start of a line, where
 * YAML always starts a new document). Text before a marker that holds only
 * comments or blank lines stays with the document after it, as in a stream.
 * Undefined when the file has directives (`%YAML`), which apply across documents.
 */
function splitDocuments(text: string): { text: string; startLine: number }[] | undefined {
  // Only \n starts a line for yaml (not a lone \r, nor U+2028 as JavaScript's ^ with /m would have it).
  if (/(?<![^\n])%/.test(text)) return undefined;
  const pieces: { text: string; startLine: number }[] = [];
  const marker = /(?<![^\n])---(?=[ \t]|\r?\n|$)/g;
  let start = 0;
  let startLine = 0;
  let index: LineIndex | undefined; // LSP lines, as parseYaml counts them
  const lineAt = (offset: number) => (index ??= new LineIndex(text)).position(offset).line;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (m.index === start || !hasContent(text.slice(start, m.index))) continue;
    pieces.push({ text: text.slice(start, m.index), startLine });
    start = m.index;
    startLine = lineAt(m.index);
  }
  pieces.push({ text: text.slice(start), startLine });
  return pieces;
}

/** Whether a piece holds more than a marker, comments and blank lines. */
function hasContent(piece: string): boolean {
  return /^(?!---(?:[ \t]|$))(?![ \t]*(?:#|$)).+/m.test(piece) || /^---[ \t]+[^#\s]/m.test(piece);
}

function firstLine(message: string): string {
  // yaml reports its own stack overflow on absurdly nested flow collections as a plain RangeError message.
  if (/Maximum call stack size exceeded/.test(message))
    return 'collections nested too deeply for the YAML parser, so Plumbline does not analyse this document. Flatten the nesting or exclude the generated file.';
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

/**
 * How deep collections may nest, and how many nodes aliases may expand to in
 * one document. The model shares an aliased node rather than copying it, but
 * rules walk it as a tree, so a "billion laughs" document (anchors aliasing
 * anchors nine times over) would keep them busy for hours; the yaml package's
 * own guard (maxAliasCount) applies only to toJS(), which we do not use.
 */
export const MAX_YAML_NESTING = 500;
export const MAX_YAML_ALIAS_EXPANSION = 100_000;

/** The top-level `key: scalar` pairs of a document (apiVersion, kind, on …), enough to tell its kind. */
function topLevelScalars(uri: string, text: string, doc: Document.Parsed, range: (start: number, end: number) => Range): YamlNode | undefined {
  if (!isMap(doc.contents)) return undefined;
  const pairs: YamlPair[] = [];
  for (const p of doc.contents.items) {
    if (!isScalar(p.key) || !p.key.range) continue;
    const keyRange = range(p.key.range[0], p.key.range[1]);
    const v = isScalar(p.value) && p.value.range ? p.value : undefined;
    const value: YamlNode | undefined = v
      ? { kind: 'scalar', uri, range: range(v.range![0], v.range![1]), value: typeof v.value === 'string' || typeof v.value === 'number' || typeof v.value === 'boolean' ? v.value : null, source: text.slice(v.range![0], v.range![1]) }
      : undefined;
    pairs.push({ uri, key: String(p.key.value), keyRange, value, range: { start: keyRange.start, end: value?.range.end ?? keyRange.end } });
  }
  return { kind: 'map', uri, range: range(doc.contents.range?.[0] ?? 0, doc.contents.range?.[1] ?? 0), pairs };
}

/** Thrown by the converter when a document cannot be analysed safely; `at` is the offending node's offsets. */
class Unanalysable extends Error {
  constructor(
    message: string,
    readonly at: readonly [number, number],
  ) {
    super(message);
  }
}

class Converter {
  private readonly seen = new Map<YNode, YamlNode | undefined>();
  /** Nodes whose conversion has started and not finished: an alias to one of them is a cycle. */
  private readonly open = new Set<YNode>();
  /** Node count of each converted node with its aliases expanded, as a rule walking it sees it. */
  private readonly sizes = new Map<YamlNode, number>();
  private expandedByAliases = 0;
  private depth = 0;
  /** Non-fatal problems (a cyclic alias), reported as syntax errors. */
  readonly problems: ParseError[] = [];

  constructor(
    private readonly uri: string,
    private readonly text: string,
    private readonly doc: Document.Parsed,
    private readonly range: (start: number, end: number) => Range,
  ) {}

  node(n: unknown): YamlNode | undefined {
    if (n === null || n === undefined) return undefined;
    if (isAlias(n)) {
      const target = n.resolve(this.doc);
      if (!target) return undefined;
      const at = (n.range ?? [0, 0]) as readonly [number, number];
      if (this.open.has(target as YNode)) {
        this.problems.push({
          message: `YAML alias *${n.source} points into the node that defines &${n.source}, an endless cycle; Plumbline ignores this alias. Alias a node defined before this one, outside it.`,
          range: this.range(at[0], at[1]),
        });
        return undefined;
      }
      const converted = this.node(target);
      this.expandedByAliases += converted ? (this.sizes.get(converted) ?? 1) : 0;
      if (this.expandedByAliases > MAX_YAML_ALIAS_EXPANSION)
        throw new Unanalysable(
          `YAML aliases expand to more than ${MAX_YAML_ALIAS_EXPANSION.toLocaleString('en-US')} nodes in this document (anchors aliasing anchors: a "billion laughs" pattern), so Plumbline does not analyse it. Repeat the content instead of nesting aliases.`,
          at,
        );
      return converted;
    }
    const key = n as YNode;
    if (this.seen.has(key)) return this.seen.get(key);
    const raw = (n as YNode).range;
    if (!raw) return undefined;
    if (this.depth >= MAX_YAML_NESTING)
      throw new Unanalysable(
        `YAML collections nested more than ${MAX_YAML_NESTING} levels deep here, so Plumbline does not analyse this document. Flatten the nesting or exclude the generated file.`,
        [raw[0], raw[0] + 1],
      );
    this.depth++;
    this.open.add(key);
    try {
      const converted = this.convert(n, key, raw);
      if (converted) this.sizes.set(converted, this.sizeOf(converted));
      return converted;
    } finally {
      this.depth--;
      this.open.delete(key);
    }
  }

  /** 1 + the expanded size of the node's children (each child's size is already known). */
  private sizeOf(node: YamlNode): number {
    if (node.kind === 'scalar') return 1;
    const children = node.kind === 'seq' ? node.items : node.pairs.flatMap((p) => (p.value ? [p.value] : []));
    let size = 1;
    for (const c of children) size += this.sizes.get(c) ?? 1;
    return size;
  }

  private convert(n: unknown, key: YNode, raw: readonly [number, number, number?]): YamlNode | undefined {
    const r = [raw[0], this.trimmedEnd(raw)] as const;
    // Only an explicit tag (`!reference`, `!!str`) is kept; resolved default tags are not written.
    const tag = typeof (n as YNode).tag === 'string' ? { tag: (n as YNode).tag as string } : {};
    if (isScalar(n)) {
      if (r[0] === r[1] && n.value === null) return undefined; // `key:` with nothing after it
      const value = n.value;
      const scalarValue =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null
          ? value
          : String(value);
      return { kind: 'scalar', uri: this.uri, range: this.range(r[0], r[1]), value: scalarValue, source: this.text.slice(r[0], r[1]), ...tag };
    }
    if (isSeq(n)) {
      const seq = { kind: 'seq' as const, uri: this.uri, range: this.range(r[0], r[1]), items: [] as YamlNode[], ...tag };
      this.seen.set(key, seq);
      for (const item of n.items) {
        const converted = this.node(item);
        if (converted) seq.items.push(converted);
      }
      return seq;
    }
    if (isMap(n)) {
      const map: YamlMap & { pairs: YamlPair[] } = { kind: 'map', uri: this.uri, range: this.range(r[0], r[1]), pairs: [], ...tag };
      this.seen.set(key, map);
      const merged: YamlPair[] = [];
      for (const p of n.items) {
        if (!isPair(p)) continue;
        const k = p.key as YNode | null;
        if (isScalar(k) && typeof k.value === 'symbol') {
          // `<<: *anchor` (yaml's composer marks merge keys with a symbol)
          merged.push(...this.mergeSources(p.value));
          continue;
        }
        const keyText = isScalar(k) && k.value !== null ? String(k.value) : undefined;
        if (keyText === undefined || !k?.range) continue;
        const value = this.node(p.value);
        // The pair ends where its value is written: for `key: *alias` that is the
        // alias, not the anchored node it resolves to (which may lie before the key).
        const written = (p.value as YNode | null)?.range;
        const end = value && written ? this.range(written[0], this.trimmedEnd(written)).end : this.range(k.range[0], k.range[1]).end;
        map.pairs.push({
          uri: this.uri,
          key: keyText,
          keyRange: this.range(k.range[0], k.range[1]),
          value,
          range: { start: this.range(k.range[0], k.range[1]).start, end },
        });
      }
      for (const m of merged) if (!map.pairs.some((p) => p.key === m.key)) map.pairs.push(m);
      return map;
    }
    return undefined;
  }

  /** Block collections end after their last newline; ranges stop at the last character. */
  private trimmedEnd(raw: readonly [number, number, number?]): number {
    let end = raw[1];
    while (end > raw[0] && /\s/.test(this.text[end - 1] ?? '')) end--;
    return end;
  }

  /** The pairs a `<<:` merge key brings in (one map or a list of maps). */
  private mergeSources(value: unknown): YamlPair[] {
    const converted = this.node(value);
    const maps = converted?.kind === 'seq' ? converted.items : converted ? [converted] : [];
    const out: YamlPair[] = [];
    for (const m of maps) if (m.kind === 'map') for (const p of m.pairs) if (!out.some((o) => o.key === p.key)) out.push(p);
    return out;
  }
}

/** Every `#` comment in the token stream, with its range. */
function collectComments(tokens: unknown[], range: (start: number, end: number) => Range): YamlComment[] {
  const out: YamlComment[] = [];
  const visit = (t: unknown): void => {
    if (Array.isArray(t)) {
      for (const x of t) visit(x);
      return;
    }
    if (!t || typeof t !== 'object') return;
    const tok = t as { type?: string; offset?: number; source?: string };
    if (tok.type === 'comment' && typeof tok.offset === 'number' && typeof tok.source === 'string') {
      out.push({ text: tok.source, range: range(tok.offset, tok.offset + tok.source.length) });
      return;
    }
    for (const [k, v] of Object.entries(t)) if (k !== 'source' && v && typeof v === 'object') visit(v);
  };
  visit(tokens);
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
