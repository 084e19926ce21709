import { Edit, Parser, type Language, type Tree } from 'web-tree-sitter';
import type { HclFile } from '../../model/hcl';
import type { BlockCache } from './blockCache';
import { buildHclFile, rebuildEditedBlock, type Layout } from './build';
import { changedSpan, prepareForGrammar, type GrammarInput } from './mask';
import { loadTerraformLanguage } from './wasm';
import { inputProblem, unparsedHclFile } from '../limits';

/**
 * Parses HCL into the model, re-using the previous syntax tree of the same
 * document so that an edit re-parses only what it touched.
 */
export class HclParser {
  private readonly parser: Parser;
  /** How each parse built its model: one edited block, or the whole file (tests check which). */
  readonly stats = { blockRebuilds: 0, fileBuilds: 0 };
  private readonly previous = new Map<string, { source: string; input: GrammarInput; tree: Tree; blocks: BlockCache; file: HclFile; layout?: Layout }>();

  private constructor(language: Language) {
    this.parser = new Parser();
    this.parser.setLanguage(language);
  }

  static async create(): Promise<HclParser> {
    return new HclParser(await loadTerraformLanguage());
  }

  /** Parses `text`; when `incremental`, the tree of the last text of `uri` is re-used. */
  parse(uri: string, text: string, incremental = true): HclFile {
    const refused = inputProblem(text);
    if (refused) {
      this.forget(uri);
      return unparsedHclFile(uri, text, refused);
    }
    const old = incremental ? this.previous.get(uri) : undefined;
    // The tree is parsed from the masked text (and kept with it, so edits are
    // computed between masked texts); the model reads the real text.
    const input = prepareForGrammar(text, old);
    const masked = input.text;
    let tree: Tree | null;
    let reparsed = false;
    if (old && old.input.text !== masked) {
      old.tree.edit(computeEdit(old.input.text, masked));
      tree = this.parser.parse(masked, old.tree);
      reparsed = true;
    } else {
      tree = old?.tree ?? this.parser.parse(masked);
    }
    if (!tree) throw new Error(`tree-sitter could not parse ${uri}`);
    if (old && old.tree !== tree) old.tree.delete();
    // An edit inside one block of a clean file rebuilds that block alone; anything else, the file.
    const rebuilt = old?.layout && reparsed && rebuildEditedBlock(uri, text, tree, input.problems, { file: old.file, layout: old.layout }, changedSpan(old.source, text));
    if (rebuilt) this.stats.blockRebuilds++;
    else this.stats.fileBuilds++;
    const built = rebuilt || buildHclFile(uri, text, tree, input.problems, old?.blocks);
    if (incremental) this.previous.set(uri, { source: text, input, tree, blocks: built.blocks, file: built.file, ...(built.layout ? { layout: built.layout } : {}) });
    else tree.delete();
    return built.file;
  }

  /** Drops the syntax tree kept for `uri` (closed documents keep none). */
  forget(uri: string): void {
    this.previous.get(uri)?.tree.delete();
    this.previous.delete(uri);
  }
}

/** The single edit that turns `before` into `after`: common prefix and suffix kept. */
export function computeEdit(before: string, after: string): Edit {
  const { start, oldEnd, newEnd } = changedSpan(before, after);
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
