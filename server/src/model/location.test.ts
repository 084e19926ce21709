import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from './location';

describe('LineIndex', () => {
  it('counts \n, \r\n and a lone \r as line breaks, as LSP does', () => {
    const index = new LineIndex('a\nbb\r\nccc\rd');
    assert.equal(index.lineCount(), 4);
    assert.deepEqual(index.position(3), { line: 1, character: 1 });
    assert.deepEqual(index.position(7), { line: 2, character: 1 });
    assert.deepEqual(index.position(10), { line: 3, character: 0 });
  });

  it('maps an offset between the \r and the \n of a line break to the end of the line, never past it', () => {
    const index = new LineIndex('key:\r\nnext');
    assert.deepEqual(index.position(4), { line: 0, character: 4 }, 'the \r itself: the end of the line');
    assert.deepEqual(index.position(5), { line: 0, character: 4 }, 'the \n after it: still the end of the line');
    assert.deepEqual(index.position(6), { line: 1, character: 0 });
  });

  it('derives the index of an edited text without a new line break from the old one', () => {
    const before = 'a = "x"\nb = "y"\nc = "z"\n';
    const after = before.replace('"y"', '"yyy"');
    const edited = new LineIndex(before).edited(after, before.indexOf('"y"'), 2);
    const fresh = new LineIndex(after);
    for (let o = 0; o <= after.length; o++) assert.deepEqual(edited.position(o), fresh.position(o), `offset ${o}`);
  });
});
