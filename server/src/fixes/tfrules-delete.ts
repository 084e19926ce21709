import type { HclAttribute, HclBlock, HclFile } from '../model/hcl';
import { deleteAttribute } from './hcl';
import { lineText } from './text';
import type { TextEdit } from './types';

/**
 * Deletes an attribute and re-aligns the `=` of the single-line attributes
 * on the lines around it, as terraform fmt does once its line is gone.
 * `within` is the block holding the attribute, at any depth.
 */
export function deleteAndRealign(file: HclFile, within: HclBlock, removed: HclAttribute): TextEdit[] {
  const block = ownerOf(within, removed);
  if (!block) return [deleteAttribute(file, removed)];
  const byLine = new Map(block.body.attributes.filter((a) => a !== removed && a.range.start.line === a.range.end.line).map((a) => [a.range.start.line, a]));
  const group: HclAttribute[] = [];
  for (let l = removed.range.start.line - 1; byLine.has(l); l--) group.push(byLine.get(l)!);
  for (let l = removed.range.end.line + 1; byLine.has(l); l++) group.push(byLine.get(l)!);
  const width = Math.max(0, ...group.map((a) => a.name.length));
  const edits: TextEdit[] = [deleteAttribute(file, removed)];
  for (const a of group) {
    const line = lineText(file.text, a.keyRange.end.line);
    const eq = line.indexOf('=', a.keyRange.end.character);
    const wanted = ' '.repeat(width - a.name.length + 1);
    if (eq !== -1 && line.slice(a.keyRange.end.character, eq) !== wanted)
      edits.push({ uri: file.uri, range: { start: a.keyRange.end, end: { line: a.keyRange.end.line, character: eq } }, newText: wanted });
  }
  return edits;
}

function ownerOf(block: HclBlock, attr: HclAttribute): HclBlock | undefined {
  if (block.body.attributes.includes(attr)) return block;
  for (const b of block.body.blocks) {
    const found = ownerOf(b, attr);
    if (found) return found;
  }
  return undefined;
}
