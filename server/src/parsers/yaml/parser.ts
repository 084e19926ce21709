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
import type { ParseError, Range } from '../../model/location';
import type { DocumentKind, YamlComment, YamlDocument, YamlFile, YamlMap, YamlNode, YamlPair } from '../../model/yaml';

export interface YamlParseOptions {
  /** Decides the kind of each document; see `detectKind`. */
  kindOf(root: YamlNode | undefined, index: number): DocumentKind;
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

  const pos = (offset: number) => {
    const p = lines.linePos(offset);
    return { line: p.line - 1, character: p.col - 1 };
  };
  const range = (start: number, end: number): Range => ({ start: pos(start), end: pos(end) });

  const errors: ParseError[] = [];
  const documents: YamlDocument[] = docs.map((doc, index) => {
    for (const e of doc.errors) errors.push({ message: `YAML syntax error: ${firstLine(e.message)}`, range: range(e.pos[0], Math.max(e.pos[1], e.pos[0])) });
    const root = new Converter(uri, text, doc, range).node(doc.contents);
    return { uri, index, range: range(doc.range[0], doc.range[1]), root, kind: options.kindOf(root, index) };
  });
  return { uri, text, documents, errors: errors.slice(0, 1), comments: collectComments(tokens, range) };
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
    if (isScalar(n)) {
      if (r[0] === r[1] && n.value === null) return undefined; // `key:` with nothing after it
      const value = n.value;
      const scalarValue =
        typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null
          ? value
          : String(value);
      return { kind: 'scalar', uri: this.uri, range: this.range(r[0], r[1]), value: scalarValue, source: this.text.slice(r[0], r[1]) };
    }
    if (isSeq(n)) {
      const seq = { kind: 'seq' as const, uri: this.uri, range: this.range(r[0], r[1]), items: [] as YamlNode[] };
      this.seen.set(key, seq);
      for (const item of n.items) {
        const converted = this.node(item);
        if (converted) seq.items.push(converted);
      }
      return seq;
    }
    if (isMap(n)) {
      const map: YamlMap & { pairs: YamlPair[] } = { kind: 'map', uri: this.uri, range: this.range(r[0], r[1]), pairs: [] };
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
