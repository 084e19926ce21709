import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';

const run = (cwd: string, args: string[]) => runCli(cwd, args);

/** A workspace with one directive of each status (dates far from the test's run date, so the outcome is stable). */
function workspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-suppressions-'));
  mkdirSync(path.join(dir, 'tf'));
  writeFileSync(
    path.join(dir, 'tf', 'main.tf'),
    [
      '# plumbline:ignore tf-aws-ecr-tag-immutability reason="build cache, tags rewritten by design" expires=2020-01-31',
      'resource "aws_ecr_repository" "cache" {',
      '  image_tag_mutability = "MUTABLE"',
      '}',
      '# plumbline:ignore tf-aws-ecr-tag-immutabilty reason="typo in the rule id here" expires=2020-01-31',
      'resource "aws_ecr_repository" "other" {',
      '  image_tag_mutability = "IMMUTABLE"',
      '}',
      '',
    ].join('\n'),
  );
  return dir;
}

describe('plumbline suppressions', () => {
  it('lists every directive as JSON with file, 1-based line, rules, reason, expiry, status and problems; exit 0', async () => {
    const dir = workspace();
    const { code, out } = await run(dir, ['suppressions', '--format', 'json']);
    assert.equal(code, 0);
    const json = JSON.parse(out) as { version: number; suppressions: Record<string, unknown>[] };
    assert.equal(json.version, 1);
    assert.deepEqual(json.suppressions[0], {
      file: 'tf/main.tf',
      line: 1,
      rules: ['tf-aws-ecr-tag-immutability'],
      reason: 'build cache, tags rewritten by design',
      expires: '2020-01-31',
      status: 'expired',
    });
    const invalid = json.suppressions[1]!;
    assert.deepEqual([invalid.file, invalid.line, invalid.status], ['tf/main.tf', 5, 'invalid']);
    assert.match((invalid.problems as string[])[0]!, /Unknown rule id "tf-aws-ecr-tag-immutabilty".*did you mean "tf-aws-ecr-tag-immutability"/);
  });

  it('prints an aligned table with the problems of invalid directives and a summary', async () => {
    const { code, out } = await run(workspace(), ['suppressions', 'tf']);
    assert.equal(code, 0);
    const lines = out.split('\n');
    assert.match(lines[0]!, /^LOCATION {2,}STATUS {2,}EXPIRES {5}RULES {2,}REASON$/);
    assert.match(lines[1]!, /^tf\/main\.tf:1 {2}expired {2}2020-01-31 {2}tf-aws-ecr-tag-immutability {2}build cache, tags rewritten by design$/);
    assert.equal(lines[0]!.indexOf('STATUS'), lines[1]!.indexOf('expired'));
    assert.match(lines[2]!, /^tf\/main\.tf:5 {2}invalid/);
    assert.match(lines[3]!, /^ {4}Unknown rule id/);
    assert.match(out, /2 directive\(s\): 1 expired, 1 invalid\.\n$/);
  });

  it('says so when there are none, and exits 2 on usage errors', async () => {
    const empty = mkdtempSync(path.join(os.tmpdir(), 'plumbline-suppressions-'));
    assert.equal((await run(empty, ['suppressions'])).out, 'No suppression directives found.\n');
    for (const args of [['suppressions', '--format', 'xml'], ['suppressions', 'no/such/path'], ['suppressions', '--fail-on', 'high']]) {
      const { code, err } = await run(empty, args);
      assert.equal(code, 2, args.join(' '));
      assert.match(err, /plumbline: /);
    }
  });
});
