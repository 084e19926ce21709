import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeParams } from './run';

describe('mergeParams', () => {
  it('merges object params key by key, and lets lists and scalars replace', () => {
    const defaults = { require_cmk: { data_assets: true, default: false }, allowed: ['a', 'b'], days: 183 };
    assert.deepEqual(mergeParams(defaults, { require_cmk: { default: true }, allowed: ['c'], days: 365 }), {
      require_cmk: { data_assets: true, default: true },
      allowed: ['c'],
      days: 365,
    });
    assert.deepEqual(defaults.require_cmk, { data_assets: true, default: false }, 'defaults are not mutated');
  });
});
