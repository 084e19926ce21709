import type { HclTuple } from '../model/hcl';
import { LineIndex } from '../model/location';
import { eolOf, indentOf, insertAt } from './text';
import type { TextEdit } from './types';

/**
 * Appends HCL items (source text) to a tuple literal, keeping its layout: on
 * one line `["a", "b"]` grows to `["a", "b", "c"]`; a list with one item per
 * line gets one more line, with a trailing comma when the list uses them.
 */
export function appendToTuple(uri: string, text: string, tuple: HclTuple, items: readonly string[]): TextEdit[] {
  if (items.length === 0) return [];
  const last = tuple.items[tuple.items.length - 1];
  if (!last) return [insertAt(uri, { line: tuple.range.start.line, character: tuple.range.start.character + 1 }, items.join(', '))];
  if (tuple.range.start.line === tuple.range.end.line) return [insertAt(uri, last.range.end, `, ${items.join(', ')}`)];
  const index = new LineIndex(text);
  const afterLast = text.slice(index.offset(last.range.end), index.offset(tuple.range.end));
  const trailingComma = /^\s*,/.test(afterLast);
  const eol = eolOf(text);
  const indent = indentOf(text, last.range.start.line);
  const lines = items.map((item) => `${eol}${indent}${item}${trailingComma ? ',' : ''}`);
  if (trailingComma) {
    // After the comma that already follows the last item.
    const comma = index.position(index.offset(last.range.end) + afterLast.indexOf(',') + 1);
    return [insertAt(uri, comma, lines.join(''))];
  }
  return [insertAt(uri, last.range.end, `,${lines.join(',')}`)];
}
