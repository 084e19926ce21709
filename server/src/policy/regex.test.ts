import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import { boundedRegExp, MAX_TESTED_LENGTH } from './regex';

describe('bounded patterns in ajv', () => {
  it('keeps each pattern apart in one ajv instance (ajv caches patterns by their text)', () => {
    const ajv = new Ajv({ code: { regExp: boundedRegExp } });
    const a = ajv.compile({ type: 'string', pattern: '^a' });
    const b = ajv.compile({ type: 'string', pattern: '^b' });
    assert.equal(a('apple'), true);
    assert.equal(b('banana'), true);
    assert.equal(b('apple'), false);
    const both = ajv.compile({ properties: { x: { pattern: '^x' }, y: { pattern: '^y' } } });
    assert.equal(both({ x: 'xx', y: 'yy' }), true);
  });

  it('does not test strings longer than the bound', () => {
    const ajv = new Ajv({ code: { regExp: boundedRegExp } });
    const v = ajv.compile({ type: 'string', pattern: '^a+$' });
    assert.equal(v('b'.repeat(MAX_TESTED_LENGTH + 1)), true);
    assert.equal(v('b'), false);
  });
});
