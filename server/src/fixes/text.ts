import { LineIndex, type Position, type Range } from '../model/location';
import type { TextEdit } from './types';

/** The line break a document uses (the first one found; `\n` for a single line). */
export function eolOf(text: string): string {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

/** The text of line `line` without its line break. */
export function lineText(text: string, line: number): string {
  const index = new LineIndex(text);
  const start = index.offset({ line, character: 0 });
  const next = line + 1 < index.lineCount() ? index.offset({ line: line + 1, character: 0 }) : text.length;
  return text.slice(start, next).replace(/\r?\n$/, '');
}

/** The leading spaces and tabs of line `line`. */
export function indentOf(text: string, line: number): string {
  return /^[ \t]*/.exec(lineText(text, line))![0];
}

/** The position just after the last character of line `line` (before its line break). */
export function endOfLine(text: string, line: number): Position {
  return { line, character: lineText(text, line).length };
}

export function insertAt(uri: string, at: Position, newText: string): TextEdit {
  return { uri, range: { start: at, end: at }, newText };
}

/**
 * Applies edits to `text` (all computed on that text; they must not overlap).
 * Edits at the same position apply in the order given.
 */
export function applyEdits(text: string, edits: readonly Pick<TextEdit, 'range' | 'newText'>[]): string {
  const index = new LineIndex(text);
  const spans = edits
    .map((e, order) => ({ start: index.offset(e.range.start), end: index.offset(e.range.end), text: e.newText, order }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order);
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) throw new Error('overlapping edits');
    out += text.slice(at, s.start) + s.text;
    at = s.end;
  }
  return out + text.slice(at);
}

/** Whether two edit lists touch overlapping (or the same insertion) ranges. */
export function editsConflict(a: readonly TextEdit[], b: readonly TextEdit[]): boolean {
  return a.some((x) => b.some((y) => x.uri === y.uri && touches(x.range, y.range)));
}

/**
 * Edits conflict when their ranges share text, when one inserts strictly
 * inside the other's range, or when both insert at the same point (their
 * order would be arbitrary). Edits that merely meet at a boundary do not.
 */
function touches(a: Range, b: Range): boolean {
  const cmp = (p: Position, q: Position) => p.line - q.line || p.character - q.character;
  const empty = (r: Range) => cmp(r.start, r.end) === 0;
  if (empty(a) && empty(b)) return cmp(a.start, b.start) === 0;
  if (empty(a)) return cmp(b.start, a.start) < 0 && cmp(a.start, b.end) < 0;
  if (empty(b)) return cmp(a.start, b.start) < 0 && cmp(b.start, a.end) < 0;
  return cmp(a.start, b.end) < 0 && cmp(b.start, a.end) < 0;
}

/** One edit that turns `before` into `after` (common prefix and suffix kept), or none when equal. */
export function minimalEdit(uri: string, before: string, after: string): TextEdit | undefined {
  if (before === after) return undefined;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  const index = new LineIndex(before);
  return { uri, range: index.range(start, oldEnd), newText: after.slice(start, newEnd) };
}
