import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyEdits, editsConflict, minimalEdit } from './text';

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
const e = (range: ReturnType<typeof r>, newText = 'x') => ({ uri: 'u', range, newText });

describe('text edits', () => {
  it('applies non-overlapping edits in any order given', () => {
    assert.equal(applyEdits('ab\ncd\n', [e(r(1, 0, 1, 1), 'C'), e(r(0, 2, 0, 2), '!')]), 'ab!\nCd\n');
  });
  it('rejects overlapping edits', () => {
    assert.throws(() => applyEdits('abcdef', [e(r(0, 0, 0, 3)), e(r(0, 2, 0, 4))]));
  });
  it('tells conflicting edits from edits that only meet', () => {
    assert.equal(editsConflict([e(r(0, 2, 0, 5))], [e(r(0, 5, 0, 5))]), false, 'insertion at the end of a replacement');
    assert.equal(editsConflict([e(r(0, 2, 0, 5))], [e(r(0, 2, 0, 2))]), false, 'insertion at the start of a replacement');
    assert.equal(editsConflict([e(r(0, 2, 0, 5))], [e(r(0, 3, 0, 3))]), true, 'insertion inside');
    assert.equal(editsConflict([e(r(0, 2, 0, 2))], [e(r(0, 2, 0, 2))]), true, 'two insertions at one point');
    assert.equal(editsConflict([e(r(0, 2, 0, 5))], [e(r(0, 4, 1, 0))]), true, 'overlap');
    assert.equal(editsConflict([e(r(0, 2, 0, 5))], [{ ...e(r(0, 4, 1, 0)), uri: 'v' }]), false, 'other document');
  });
  it('finds the minimal single edit between two texts', () => {
    assert.deepEqual(minimalEdit('u', 'a\nbc\nd', 'a\nbXc\nd'), { uri: 'u', range: r(1, 1, 1, 1), newText: 'X' });
    assert.equal(minimalEdit('u', 'same', 'same'), undefined);
  });
});
