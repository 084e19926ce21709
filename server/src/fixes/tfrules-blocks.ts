import type { HclBlock } from '../model/hcl';
import { comparePos, rangeContains, type Range } from '../model/location';

/** The block (`block` itself or one nested in it) whose header is exactly `range`: findings at `hdr`. */
export function blockWithHeader(block: HclBlock, range: Range): HclBlock | undefined {
  const same = comparePos(block.headerRange.start, range.start) === 0 && comparePos(block.headerRange.end, range.end) === 0;
  if (same) return block;
  for (const b of block.body.blocks) {
    const found = blockWithHeader(b, range);
    if (found) return found;
  }
  return undefined;
}

/** The innermost block of `type` under `block` (or `block` itself) that holds `range`. */
export function innermostBlock(block: HclBlock, type: string, range: Range): HclBlock | undefined {
  if (!rangeContains(block.range, range)) return undefined;
  for (const b of block.body.blocks) {
    const found = innermostBlock(b, type, range);
    if (found) return found;
  }
  return block.type === type ? block : undefined;
}
