import type { Range } from 'vscode-languageserver-types';

export type { Position, Range } from 'vscode-languageserver-types';

/** Anything a finding can point at: a range inside one document. */
export interface Located {
  readonly uri: string;
  readonly range: Range;
}

export function rangeContains(outer: Range, inner: Range): boolean {
  return comparePos(outer.start, inner.start) <= 0 && comparePos(inner.end, outer.end) <= 0;
}

export function comparePos(a: Range['start'], b: Range['start']): number {
  return a.line - b.line || a.character - b.character;
}

/** Maps UTF-16 offsets of one text to LSP positions (line starts computed once). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /**
   * The index of `text`, made from this one (of the text before an edit that
   * added no line break and removed none): line starts after `after` move by `delta`.
   */
  edited(text: string, after: number, delta: number): LineIndex {
    const next = Object.create(LineIndex.prototype) as LineIndex;
    Object.assign(next, { text, starts: this.starts.map((s) => (s > after ? s + delta : s)) });
    return next;
  }

  position(offset: number): Range['start'] {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    // Between the \r and the \n of a line break is not a place on the line: its end is.
    const inLineBreak = this.text.charCodeAt(offset) === 10 && this.text.charCodeAt(offset - 1) === 13 && offset > this.starts[lo];
    return { line: lo, character: offset - this.starts[lo] - (inLineBreak ? 1 : 0) };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  offset(pos: Range['start']): number {
    const lineStart = this.starts[Math.min(pos.line, this.starts.length - 1)] ?? 0;
    return Math.min(lineStart + pos.character, this.text.length);
  }

  lineCount(): number {
    return this.starts.length;
  }
}

/** A problem found while parsing, reported as one diagnostic at the error. */
export interface ParseError {
  readonly message: string;
  readonly range: Range;
}

/** A deep copy of a model value (ranges, nodes, findings) with every range moved by `delta` lines. */
export function shiftLines<T>(value: T, delta: number): T {
  if (delta === 0) return value;
  if (Array.isArray(value)) return value.map((v) => shiftLines(v, delta)) as T;
  if (value === null || typeof value !== 'object') return value;
  if (isRange(value)) {
    return {
      start: { line: value.start.line + delta, character: value.start.character },
      end: { line: value.end.line + delta, character: value.end.character },
    } as T;
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = shiftLines(v, delta);
  return out as T;
}

function isRange(v: object): v is Range {
  const r = v as Partial<Range>;
  return typeof r.start?.line === 'number' && typeof r.end?.line === 'number' && Object.keys(v).length === 2;
}
