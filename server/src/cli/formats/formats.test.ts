import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { runCli } from '../../../../test/cliRun';
import { builtinRules } from '../../rules';
import { main } from '../main';
import type { Report, ReportFinding } from '../report';
import { formatJunit } from './junit';
import { formatText } from './text';

const REPO = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * The SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it to npm
 * (@microsoft/jest-sarif, lib/schemas/sarif-2.1.0-rtm.5.json: the schema of
 * the 2.1.0 standard, written in draft-04). Ajv 8 reads it once the draft-04
 * `$schema`/`id` header is dropped; its `language` pattern is not a valid
 * unicode-mode regular expression, hence unicodeRegExp: false.
 */
function sarifValidator() {
  const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as Record<string, unknown>;
  assert.match(String(schema.title), /SARIF\) Version 2\.1\.0/);
  delete schema.$schema;
  delete schema.id;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

/** A folder with one finding and one suppressed finding (the directive expires in 30 days, inside the default 180-day horizon). */
function suppressedWorkspace(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-formats-'));
  writeFileSync(
    path.join(dir, 'main.tf'),
    [
      `# plumbline:ignore tf-aws-ecr-tag-immutability reason="cache images are re-tagged by design" expires=${inDays(30)}`,
      'resource "aws_ecr_repository" "cache" {',
      '  image_tag_mutability = "MUTABLE"',
      '  image_scanning_configuration {',
      '    scan_on_push = true',
      '  }',
      '}',
      'resource "aws_ecr_repository" "app" {',
      '  image_tag_mutability = "MUTABLE"',
      '  image_scanning_configuration {',
      '    scan_on_push = true',
      '  }',
      '}',
      '',
    ].join('\n'),
  );
  return dir;
}

type SarifLog = {
  runs: {
    tool: { driver: { rules: { id: string; helpUri?: string; help: { text: string }; properties: Record<string, unknown> }[] } };
    results: { ruleId: string; ruleIndex: number; level: string; partialFingerprints: Record<string, string>; suppressions?: Record<string, unknown>[]; locations: unknown[] }[];
  }[];
};

describe('output formats', () => {
  it('SARIF of examples/ validates against the SARIF 2.1.0 schema, and the validator rejects a broken log', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-sarif-'));
    const file = path.join(dir, 'out.sarif');
    const { code, out } = await runCli(REPO, ['check', 'examples/', '--format', `sarif=${file}`]);
    assert.equal(code, 1);
    assert.match(out, /45 finding\(s\) in 12 file\(s\)/, 'the text summary still goes to stdout');
    const log = JSON.parse(readFileSync(file, 'utf8')) as SarifLog;
    const validate = sarifValidator();
    assert.equal(validate(log), true, JSON.stringify(validate.errors?.slice(0, 3)));
    const run = log.runs[0]!;
    assert.equal(run.results.length, 45);
    for (const r of run.results) {
      assert.equal(run.tool.driver.rules[r.ruleIndex]!.id, r.ruleId);
      assert.match(r.partialFingerprints['plumbline/v1']!, /^[0-9a-f]{32}$/);
    }
    const ecr = run.tool.driver.rules.find((r) => r.id === 'tf-aws-ecr-tag-immutability')!;
    assert.equal(ecr.helpUri, 'https://github.com/plumbline/plumbline/blob/main/docs/rules/tf-aws-ecr-tag-immutability.md');
    assert.equal(ecr.properties['security-severity'], '8.0');
    assert.equal(ecr.properties.severity, 'high');
    assert.ok((ecr.properties.tags as string[]).includes('terraform'));
    assert.match(ecr.help.text, /docs\/rules\/tf-aws-ecr-tag-immutability\.md/);
    // Breaking the log must fail validation, or the check above proves nothing.
    const broken = structuredClone(log) as unknown as { runs: { results: { level: string }[] }[] };
    broken.runs[0]!.results[0]!.level = 'severe';
    assert.equal(validate(broken), false);
  });

  it('SARIF exports an in-source suppression with its justification and expiry, and stays valid', async () => {
    const dir = suppressedWorkspace();
    const { code, out } = await runCli(dir, ['check', '--format', 'sarif']);
    assert.equal(code, 1, 'the second repository is not suppressed');
    const log = JSON.parse(out) as SarifLog;
    assert.equal(sarifValidator()(log), true);
    const ecr = log.runs[0]!.results.filter((r) => r.ruleId === 'tf-aws-ecr-tag-immutability');
    assert.equal(ecr.length, 2);
    const hidden = ecr.find((r) => r.suppressions)!;
    assert.deepEqual(hidden.suppressions, [
      { kind: 'inSource', status: 'accepted', justification: 'cache images are re-tagged by design', properties: { expires: inDays(30), directiveLine: 1 } },
    ]);
    assert.deepEqual((hidden.locations[0] as { physicalLocation: { region: unknown } }).physicalLocation.region, { startLine: 3, startColumn: 26, endLine: 3, endColumn: 35 });
    const text = await runCli(dir, ['check']);
    assert.match(text.out, /Not shown: 1 suppressed in source\./);
    const json = JSON.parse((await runCli(dir, ['check', '--format', 'json'])).out) as { suppressed: { file: string; suppression: unknown }[] };
    assert.deepEqual(json.suppressed.map((s) => [s.file, s.suppression]), [['main.tf', { line: 1, reason: 'cache images are re-tagged by design', expires: inDays(30) }]]);
  });

  it('JUnit of examples/ parses with a JUnit parser: one case per rule × file, failures located', async () => {
    const { parse } = await import('junit2json');
    const { out } = await runCli(REPO, ['check', 'examples/', '--format', 'junit']);
    const junit = (await parse(out)) as {
      tests?: number;
      failures?: number;
      testsuite?: { name?: string; testcase?: { name?: string; classname?: string; failure?: { message?: string; inner?: string }[] }[] }[];
    };
    const suite = junit.testsuite!.find((s) => s.name === 'examples/terraform/registry.tf')!;
    assert.deepEqual(suite.testcase!.map((c) => c.name).sort(), ['tf-aws-ecr-scan-on-push', 'tf-aws-ecr-tag-immutability']);
    const immut = suite.testcase!.find((c) => c.name === 'tf-aws-ecr-tag-immutability')!;
    assert.match(immut.failure![0]!.message!, /first at line 12, column 26/);
    assert.match(immut.failure![0]!.inner!, /^examples\/terraform\/registry\.tf:12:26 high /);
    const scan = suite.testcase!.find((c) => c.name === 'tf-aws-ecr-scan-on-push')!;
    assert.equal(scan.failure, undefined, 'a medium finding does not fail at --fail-on high');
    const cases = junit.testsuite!.flatMap((s) => s.testcase ?? []);
    const pairs = new Set((JSON.parse((await runCli(REPO, ['check', 'examples/', '--format', 'json'])).out) as { results: { file: string; ruleId: string }[] }).results.map((r) => `${r.file} ${r.ruleId}`));
    assert.equal(cases.length, pairs.size);
    assert.equal(junit.tests, pairs.size);
    assert.equal(junit.failures, cases.filter((c) => c.failure).length);
  });

  it('JUnit escapes markup, quotes and control characters so the XML stays well-formed', async () => {
    const { parse } = await import('junit2json');
    const message = 'a <b> & "c" \'d\' \u0007bell\ttab';
    const finding: ReportFinding = {
      ruleId: 'x&<rule>',
      severity: 'high',
      message,
      uri: 'file:///w/a.tf',
      file: 'dir "q"/a&b.tf',
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
      fingerprint: 'f',
    };
    const report: Report = { fileCount: 1, findings: [finding], failures: [], suppressed: [] };
    const xml = formatJunit({ report, failOn: 'high', version: '0.0.0', baselined: 0, cwd: '/w', colour: false });
    assert.doesNotMatch(xml, /\u0007/);
    const junit = (await parse(xml)) as { testsuite: { name: string; testcase: { name: string; failure: { message: string; inner: string }[] }[] }[] };
    const suite = junit.testsuite[0]!;
    assert.equal(suite.name, 'dir "q"/a&b.tf');
    assert.equal(suite.testcase[0]!.name, 'x&<rule>');
    assert.match(suite.testcase[0]!.failure[0]!.message, /a <b> & "c" 'd' \\u0007bell\ttab$/);
    assert.equal(suite.testcase[0]!.failure[0]!.inner, `dir "q"/a&b.tf:1:1 high a <b> & "c" 'd' \\u0007bell\ttab`);
  });

  it('GitLab Code Quality: description, check_name, unique fingerprints, mapped severity, path and line', async () => {
    const { out } = await runCli(REPO, ['check', 'examples/terraform/registry.tf', '--format', 'codequality']);
    const issues = JSON.parse(out) as { check_name: string; severity: string; fingerprint: string; description: string; location: { path: string; lines: { begin: number } } }[];
    const ecr = issues.find((i) => i.check_name === 'tf-aws-ecr-tag-immutability')!;
    assert.equal(ecr.severity, 'critical', 'high → critical');
    assert.deepEqual(ecr.location, { path: 'examples/terraform/registry.tf', lines: { begin: 12, end: 12 } });
    assert.match(ecr.description, /MUTABLE/);
    assert.equal(issues.find((i) => i.check_name === 'tf-aws-ecr-scan-on-push')!.severity, 'major', 'medium → major');
    const all = JSON.parse((await runCli(REPO, ['check', 'examples/', '--format', 'codequality'])).out) as { fingerprint: string }[];
    assert.equal(new Set(all.map((i) => i.fingerprint)).size, all.length);
  });

  it('JSON keeps the architecture shape and adds fingerprints, rule metadata and a summary', async () => {
    const { out } = await runCli(REPO, ['check', 'examples/terraform/registry.tf', '--format', 'json']);
    const json = JSON.parse(out) as { version: number; results: Record<string, unknown>[]; rules: { id: string; helpUri: string; mappings: unknown }[]; summary: Record<string, unknown> };
    assert.equal(json.version, 1);
    assert.deepEqual(Object.keys(json.results[0]!), ['ruleId', 'severity', 'message', 'file', 'range', 'fingerprint']);
    assert.deepEqual(json.rules.map((r) => r.id), ['tf-aws-ecr-scan-on-push', 'tf-aws-ecr-tag-immutability']);
    const rule = builtinRules.find((r) => r.id === 'tf-aws-ecr-scan-on-push')!;
    assert.deepEqual(json.rules[0]!.mappings, rule.mappings);
    assert.deepEqual(json.summary.bySeverity, { critical: 0, high: 1, medium: 1, low: 0, info: 0 });
  });

  it('text: colours only on a TTY and never with NO_COLOR; a per-severity and per-rule table', async () => {
    const report = JSON.parse((await runCli(REPO, ['check', 'examples/terraform/registry.tf', '--format', 'json'])).out) as { results: ReportFinding[] };
    const r: Report = { fileCount: 1, findings: report.results, failures: [], suppressed: [] };
    const plain = formatText({ report: r, failOn: 'high', version: '0', baselined: 2, cwd: REPO, colour: false });
    assert.doesNotMatch(plain, /\x1b\[/);
    assert.match(plain, /^high +1 {2}\*$/m);
    assert.match(plain, /^medium +1$/m);
    assert.match(plain, /^tf-aws-ecr-tag-immutability +1 {2}\*$/m);
    assert.match(plain, /Not shown: 2 matched the baseline\./);
    assert.match(formatText({ report: r, failOn: 'high', version: '0', baselined: 0, cwd: REPO, colour: true }), /\x1b\[31mhigh/);
    // Through the CLI: a TTY gets colours unless NO_COLOR is set.
    const tty = async (env: Record<string, string | undefined>) => {
      let text = '';
      const sink = Object.assign(new Writable({ write: (c, _e, done) => ((text += String(c)), done()) }), { isTTY: true });
      const saved = process.env.NO_COLOR;
      if (env.NO_COLOR === undefined) delete process.env.NO_COLOR;
      else process.env.NO_COLOR = env.NO_COLOR;
      const before = process.cwd();
      process.chdir(REPO);
      try {
        await main(['check', 'examples/terraform/registry.tf'], sink, sink);
      } finally {
        process.chdir(before);
        if (saved === undefined) delete process.env.NO_COLOR;
        else process.env.NO_COLOR = saved;
      }
      return text;
    };
    assert.match(await tty({}), /\x1b\[31mhigh/);
    assert.doesNotMatch(await tty({ NO_COLOR: '1' }), /\x1b\[/);
  });
});
