import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import rule from '../server/src/rules/terraform/tf-aws-ecr-tag-immutability/rule';
import { analyze, ruleTester } from './ruleTester';

const BAD = 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n';

describe('the rule tester itself', () => {
  it('rejects an invalid case that expects no finding', () => {
    assert.throws(() => ruleTester(rule, { valid: [], invalid: [{ name: 'empty', code: BAD, errors: [] }] }), /expects no finding/);
  });

  it('rejects duplicate cases', () => {
    assert.throws(
      () =>
        ruleTester(rule, {
          valid: [],
          invalid: [
            { name: 'one', code: BAD, errors: [{ at: '2:26-2:35' }] },
            { name: 'two', code: BAD, errors: [{ at: '2:26-2:35' }] },
          ],
        }),
      /duplicates an earlier case/,
    );
  });

  it('analyze() fails when a case does not parse', async () => {
    await assert.rejects(analyze(rule, { 'main.tf': 'resource "aws_ecr_repository" "r" {\n' }), /does not parse/);
  });
});
