import type { HclObject } from '../model/hcl';
import { hclKey } from './hcl';
import { eolOf, indentOf, insertAt, lineText } from './text';
import type { TextEdit } from './types';

/**
 * Adds `key = value` items (value as HCL source) to an object expression,
 * keeping its layout: `{ a = 1 }` grows on its line, `{}` opens into one item
 * per line, and a multi-line object gets new lines with the `=` of its
 * single-line items re-aligned as terraform fmt does.
 */
export function addObjectItems(file: { uri: string; text: string }, obj: HclObject, items: readonly (readonly [string, string])[]): TextEdit[] {
  if (items.length === 0) return [];
  const eol = eolOf(file.text);
  const keys = items.map(([k, v]) => [hclKey(k), v] as const);
  const last = obj.items[obj.items.length - 1];
  if (!last) {
    const outer = indentOf(file.text, obj.range.start.line);
    const width = Math.max(...keys.map(([k]) => k.length));
    const lines = keys.map(([k, v]) => `${outer}  ${k.padEnd(width)} = ${v}`);
    return [{ uri: file.uri, range: obj.range, newText: `{${eol}${lines.join(eol)}${eol}${outer}}` }];
  }
  if (obj.range.start.line === obj.range.end.line) return [insertAt(file.uri, last.range.end, keys.map(([k, v]) => `, ${k} = ${v}`).join(''))];
  const singleLine = obj.items.filter((i) => i.range.start.line === i.range.end.line);
  const keyWidth = (i: (typeof obj.items)[number]) => i.keyRange.end.character - i.keyRange.start.character;
  const width = Math.max(...keys.map(([k]) => k.length), ...singleLine.map(keyWidth));
  const edits: TextEdit[] = [];
  for (const item of singleLine) {
    const line = lineText(file.text, item.keyRange.end.line);
    const eq = line.indexOf('=', item.keyRange.end.character);
    const pad = ' '.repeat(width - keyWidth(item) + 1);
    if (eq > 0 && line.slice(item.keyRange.end.character, eq) !== pad)
      edits.push({ uri: file.uri, range: { start: item.keyRange.end, end: { line: item.keyRange.end.line, character: eq } }, newText: pad });
  }
  const indent = ' '.repeat(last.keyRange.start.character);
  const end = { line: last.range.end.line, character: lineText(file.text, last.range.end.line).length };
  edits.push(insertAt(file.uri, end, keys.map(([k, v]) => `${eol}${indent}${k.padEnd(width)} = ${v}`).join('')));
  return edits;
}
