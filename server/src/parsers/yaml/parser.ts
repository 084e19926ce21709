import {
  Composer,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  Parser,
  type Document,
  type Node as YNode,
} from 'yaml';
import { shiftLines, type ParseError, type Range } from '../../model/location';
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
  const lines = new LineCounter();
  const tokens = Array.from(new Parser(lines.addNewLine).parse(text));
  const composer = new Composer({ merge: true, uniqueKeys: false, intAsBigInt: false });
  const docs = Array.from(composer.compose(tokens, true, text.length)) as Document.Parsed[];

  const lineOffset = options.lineOffset ?? 0;
  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line - 1 + lineOffset, character: p.col - 1 };
  };
  const range = (start: number, end: number): Range => ({ start: pos(start), end: pos(end) });

  const errors: ParseError[] = [];
  const documents: YamlDocument[] = docs.map((doc, index) => {
    for (const e of doc.errors) errors.push({ message: `YAML syntax error: ${firstLine(e.message)}`, range: range(e.pos[0], Math.max(e.pos[1], e.pos[0])) });
    const root = new Converter(uri, text, doc, range).node(doc.contents);
    return { uri, index, range: range(doc.range[0], doc.range[1]), root, kind: options.kindOf(root) };
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
  if (/^%/m.test(text)) return undefined;
  const pieces: { text: string; startLine: number }[] = [];
  const marker = /^---(?=[ \t]|\r?\n|$)/gm;
  let start = 0;
  let startLine = 0;
  let line = 0;
  let counted = 0;
  const lineAt = (offset: number) => {
    for (let i = text.indexOf('\n', counted); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
    counted = offset;
    return line;
  };
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
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

class Converter {
  private readonly seen = new Map<YNode, YamlNode | undefined>();

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
      return target ? this.node(target) : undefined;
    }
    const key = n as YNode;
    if (this.seen.has(key)) return this.seen.get(key);
    const raw = (n as YNode).range;
    if (!raw) return undefined;
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
