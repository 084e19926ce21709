import type { HclBlock, HclComment } from '../../model/hcl';
import { shiftLines, type Position } from '../../model/location';

interface Entry {
  readonly block: HclBlock;
  /** Comments inside the block. */
  readonly comments: readonly HclComment[];
  readonly start: Position;
}

/**
 * The model of each top-level block of the last version of a document, keyed
 * by the block's text. After an edit, a block whose text did not change is
 * taken from here instead of being rebuilt from the syntax tree (each node
 * read from tree-sitter crosses into WebAssembly, which dominates the cost of
 * re-analysing a large file). A block that moved up or down gets a copy with
 * its lines shifted.
 */
export class BlockCache {
  private readonly byText = new Map<string, Entry[]>();
  /** Blocks not keyed by their text yet (see `lazy`). */
  private pending: { text: string; offsets: Int32Array; blocks: readonly { block: HclBlock; comments: readonly HclComment[] }[] } | undefined;

  /**
   * A cache of blocks given by their offsets in `text` (pairs of start and
   * end), keyed by their text only when a lookup needs it: most edits never
   * look up (see rebuildEditedBlock).
   */
  static lazy(text: string, offsets: Int32Array, blocks: readonly { block: HclBlock; comments: readonly HclComment[] }[]): BlockCache {
    const cache = new BlockCache();
    cache.pending = { text, offsets, blocks };
    return cache;
  }

  add(text: string, block: HclBlock, comments: readonly HclComment[]): void {
    const list = this.byText.get(text) ?? [];
    list.push({ block, comments, start: block.range.start });
    this.byText.set(text, list);
  }

  /** The model of a block with this text starting at `start`, if one can be reused. */
  take(text: string, start: Position): { block: HclBlock; comments: readonly HclComment[] } | undefined {
    if (this.pending) {
      const { text: source, offsets, blocks } = this.pending;
      this.pending = undefined;
      blocks.forEach((b, i) => this.add(source.slice(offsets[2 * i], offsets[2 * i + 1]), b.block, b.comments));
    }
    const list = this.byText.get(text);
    if (!list) return undefined;
    const exact = list.findIndex((e) => e.start.line === start.line && e.start.character === start.character);
    const i = exact !== -1 ? exact : list.findIndex((e) => e.start.character === start.character);
    if (i === -1) return undefined;
    const [entry] = list.splice(i, 1);
    const delta = start.line - entry!.start.line;
    if (delta === 0) return entry;
    return { block: shiftLines(entry!.block, delta), comments: shiftLines(entry!.comments, delta) };
  }
}
