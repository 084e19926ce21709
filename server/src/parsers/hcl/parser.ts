import { Edit, Parser, type Language, type Tree } from 'web-tree-sitter';
import type { HclFile } from '../../model/hcl';
import { LineIndex } from '../../model/location';
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
    // Where the text changed, found once: the prescan and the block rebuild both start from it.
    const span = old ? changedSpan(old.source, text) : undefined;
    const input = prepareForGrammar(text, old && { ...old, span });
    const masked = input.text;
    let tree: Tree | null;
    let reparsed = false;
    // tree-sitter's error recovery can take seconds on some malformed text (deep nesting,
    // runaway strings): past a time budget the parse is cancelled and the file reported.
    const deadline = performance.now() + PARSE_BUDGET_MS;
    const options = { progressCallback: () => performance.now() > deadline };
    if (old && old.input.text !== masked) {
      old.tree.edit(computeEdit(old.input.text, masked));
      tree = this.parser.parse(masked, old.tree, options);
      reparsed = true;
    } else {
      tree = old?.tree ?? this.parser.parse(masked, null, options);
    }
    if (!tree) {
      this.parser.reset();
      this.forget(uri);
      // Point at the first syntax problem the prescan found, else at the start of the file.
      const first = input.problems[0];
      const lines = first ? new LineIndex(text) : undefined;
      return unparsedHclFile(uri, text, {
        kind: 'too-slow',
        message: `Plumbline stopped parsing this file after ${PARSE_BUDGET_MS / 1000} s: the text is too malformed to analyse in time (deeply nested or unclosed brackets, quotes or heredocs). Fix the syntax errors${first ? ', starting here' : ''}, or exclude the file.`,
        range: first && lines ? lines.range(first.start, first.end) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      });
    }
    if (old && old.tree !== tree) old.tree.delete();
    // An edit inside one block of a clean file rebuilds that block alone; anything else, the file.
    const rebuilt = old?.layout && span && reparsed && rebuildEditedBlock(uri, text, tree, input.problems, { file: old.file, layout: old.layout }, span);
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

/** How long one parse may take before it is cancelled (normal files take a few milliseconds). */
export const PARSE_BUDGET_MS = 1000;

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
