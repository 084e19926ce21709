import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';
import { BASELINE_VERSION, baselineOf, newFindings } from './baseline';
import type { ReportFinding } from './report';

const REPO = path.resolve(__dirname, '..', '..', '..');

function copyOfExamples(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-baseline-'));
  cpSync(path.join(REPO, 'examples'), dir, { recursive: true });
  return dir;
}

const finding = (fingerprint: string, file = 'a.tf'): ReportFinding => ({
  ruleId: 'r',
  severity: 'high',
  message: 'm',
  uri: `file:///${file}`,
  file,
  range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
  fingerprint,
});

describe('baselines', () => {
  it('on a copy of examples/: written, then re-checked → 0 new and exit 0; one added violation → exactly that one', async () => {
    const dir = copyOfExamples();
    const baseline = path.join(dir, 'plumbline-baseline.json');
    const written = await runCli(dir, ['check', '--baseline-write', baseline]);
    assert.equal(written.code, 0, 'writing a baseline accepts what it records');
    assert.match(written.err, /baseline of 45 finding\(s\) written/);
    const file = JSON.parse(readFileSync(baseline, 'utf8')) as { version: number; tool: string; findings: { ruleId: string; file: string; fingerprint: string; message: string }[] };
    assert.equal(file.version, BASELINE_VERSION);
    assert.equal(file.findings.length, 45);
    assert.deepEqual(Object.keys(file.findings[0]!), ['ruleId', 'file', 'fingerprint', 'message']);
    const keys = file.findings.map((e) => `${e.file}\u0000${e.ruleId}\u0000${e.fingerprint}`);
    assert.deepEqual(keys, [...keys].sort(), 'sorted, so a diff in review is readable');

    const again = await runCli(dir, ['check', '--baseline', baseline, '--format', 'json']);
    assert.equal(again.code, 0);
    const json = JSON.parse(again.out) as { results: { ruleId: string; file: string }[]; summary: { baselined: number } };
    assert.deepEqual(json.results, []);
    assert.equal(json.summary.baselined, 45);

    const registry = path.join(dir, 'terraform', 'registry.tf');
    writeFileSync(registry, readFileSync(registry, 'utf8').replace('"IMMUTABLE"', '"MUTABLE"'));
    const added = await runCli(dir, ['check', '--baseline', baseline, '--format', 'json']);
    assert.equal(added.code, 1);
    const fresh = (JSON.parse(added.out) as { results: { ruleId: string; file: string; range: { start: { line: number } } }[] }).results;
    assert.deepEqual(
      fresh.map((r) => [r.ruleId, r.file, r.range.start.line]),
      [['tf-aws-ecr-tag-immutability', 'terraform/registry.tf', 2]],
    );
  });

  it('moving and reformatting after the baseline reports nothing new', async () => {
    const dir = copyOfExamples();
    const baseline = path.join(dir, 'b.json');
    await runCli(dir, ['check', '--baseline-write', baseline]);
    const storage = path.join(dir, 'terraform', 'storage.tf');
    const text = readFileSync(storage, 'utf8');
    const blocks = text.split(/\n(?=resource )/);
    writeFileSync(storage, `${[...blocks.slice(1), blocks[0]!].map((b) => b.trimEnd().replace(/^ {2}/gm, '\t')).join('\n\n')}\n`);
    const r = await runCli(dir, ['check', '--baseline', baseline, '--format', 'json']);
    assert.deepEqual((JSON.parse(r.out) as { results: unknown[] }).results, []);
    assert.equal(r.code, 0);
  });

  it('matches by count: a fingerprint recorded once accepts one finding', () => {
    const base = baselineOf([finding('x'), finding('y')]);
    const { fresh, matched } = newFindings([finding('x'), finding('x'), finding('y'), finding('z')], base);
    assert.deepEqual(fresh.map((f) => f.fingerprint), ['x', 'z']);
    assert.equal(matched, 2);
  });

  it('a missing, malformed or foreign baseline is a usage error (exit 2) that says how to fix it', async () => {
    const dir = copyOfExamples();
    const cases: [string, string | undefined, RegExp][] = [
      ['missing.json', undefined, /no such baseline file: .*missing\.json \(create one with --baseline-write/],
      ['bad.json', '{ not json', /is not valid JSON/],
      ['old.json', JSON.stringify({ version: 99, findings: [] }), /version is 99, this Plumbline reads version 1/],
      ['entry.json', JSON.stringify({ version: 1, findings: [{ ruleId: 'r' }] }), /findings\[0\] lacks a string ruleId, file or fingerprint/],
    ];
    for (const [name, content, message] of cases) {
      if (content !== undefined) writeFileSync(path.join(dir, name), content);
      const r = await runCli(dir, ['check', '--baseline', name]);
      assert.equal(r.code, 2, name);
      assert.match(r.err, message, name);
    }
  });
});
