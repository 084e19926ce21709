import { Edit, Parser, type Language, type Tree } from 'web-tree-sitter';
import type { HclFile } from '../../model/hcl';
import type { BlockCache } from './blockCache';
import { buildHclFile } from './build';
import { prepareForGrammar } from './mask';
import { loadTerraformLanguage } from './wasm';

/**
 * Parses HCL into the model, re-using the previous syntax tree of the same
 * document so that an edit re-parses only what it touched.
 */
export class HclParser {
  private readonly parser: Parser;
  private readonly previous = new Map<string, { text: string; tree: Tree; blocks: BlockCache }>();

  private constructor(language: Language) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  static async create(): Promise<HclParser> {
    return new HclParser(await loadTerraformLanguage());
  }

  /** Parses `text`; when `incremental`, the tree of the last text of `uri` is re-used. */
  parse(uri: string, text: string, incremental = true): HclFile {
    const old = incremental ? this.previous.get(uri) : undefined;
    // The tree is parsed from the masked text (and kept with it, so edits are
    // computed between masked texts); the model reads the real text.
    const input = prepareForGrammar(text);
    const masked = input.text;
    let tree: Tree | null;
    if (old && old.text !== masked) {
      old.tree.edit(computeEdit(old.text, masked));
      tree = this.parser.parse(masked, old.tree);
    } else {
      tree = old?.tree ?? this.parser.parse(masked);
    }
    if (!tree) throw new Error(`tree-sitter could not parse ${uri}`);
    if (old && old.tree !== tree) old.tree.delete();
    const { file, blocks } = buildHclFile(uri, text, tree, input.problems, old?.blocks);
    if (incremental) this.previous.set(uri, { text: masked, tree, blocks });
    else tree.delete();
    return file;
  }

  /** Drops the syntax tree kept for `uri` (closed documents keep none). */
  forget(uri: string): void {
    this.previous.get(uri)?.tree.delete();
    this.previous.delete(uri);
  }
}

/** The single edit that turns `before` into `after`: common prefix and suffix kept. */
export function computeEdit(before: string, after: string): Edit {
  // Whole chunks first (comparing substrings is a native compare, far faster
  // than a character loop over a large file), then character by character.
  const CHUNK = 256;
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start + CHUNK <= max && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && before.slice(oldEnd - CHUNK, oldEnd) === after.slice(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return new Edit({
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition: pointAt(before, start),
    oldEndPosition: pointAt(before, oldEnd),
    newEndPosition: pointAt(after, newEnd),
  });
}

function pointAt(text: string, offset: number): { row: number; column: number } {
  let row = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    row++;
    lineStart = i + 1;
  }
  return { row, column: offset - lineStart };
}
