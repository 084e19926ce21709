import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { Finding } from '../server/src/engine/finding';
import type { AnyRule, Domain } from '../server/src/engine/rule';
import type { Severity } from '../server/src/engine/severity';
import { PLACEHOLDER_ID } from '../server/src/engine/placeholders';
import { checkFixes } from '../server/src/fixes/engine';
import { applyEdits, editsConflict } from '../server/src/fixes/text';
import type { TextEdit } from '../server/src/fixes/types';
import { memoryFileSystem } from '../server/src/service/fileSystem';
import { LanguageService, toUri } from '../server/src/service/languageService';

/**
 * Table-driven rule tests in the style of ESLint's RuleTester: every invalid
 * case states each expected finding's exact range; valid cases expect none.
 * Ranges are written `line:col-line:col`, 1-based as editors show them, end
 * column exclusive.
 */
export interface Case {
  readonly name: string;
  /** One file's text, at the domain's default path (see DEFAULT_FILE). */
  readonly code?: string;
  readonly filename?: string;
  /** Several files, by path relative to the workspace root (a module spanning files). */
  readonly files?: Readonly<Record<string, string>>;
  /** The rule's params for this case, over its defaults. */
  readonly params?: Record<string, unknown>;
}

export interface ExpectedFinding {
  readonly at: string;
  /** Relative path of the file the finding is in; defaults to the case's (first) file. */
  readonly file?: string;
  readonly severity?: Severity;
  /** Substring or pattern the message must match. */
  readonly message?: string | RegExp;
}

export interface InvalidCase extends Case {
  readonly errors: readonly ExpectedFinding[];
  /**
   * The (first) file's exact text after applying, for each finding, the
   * first fix the rule offers that passes verification (fixes whose edits
   * collide with an earlier one are left out). Every fix offered must pass.
   */
  readonly output?: string;
}

export const DEFAULT_FILE: Record<Domain, string> = {
  terraform: 'main.tf',
  kubernetes: 'manifest.yaml',
  'github-actions': '.github/workflows/ci.yml',
  'gitlab-ci': '.gitlab-ci.yml',
};

const ROOT = '/workspace';

export function ruleTester(rule: AnyRule, cases: { valid: readonly Case[]; invalid: readonly InvalidCase[] }): void {
  const seen = new Set<string>();
  const filesOf = (c: Case): Record<string, string> => {
    const files = c.files ?? (c.code !== undefined ? { [c.filename ?? DEFAULT_FILE[rule.domain]]: c.code } : undefined);
    if (!files) throw new Error(`case "${c.name}" has neither code nor files`);
    const key = JSON.stringify([Object.entries(files).sort(), c.params]);
    if (seen.has(key)) throw new Error(`case "${c.name}" duplicates an earlier case`);
    seen.add(key);
    return files;
  };

  // Validate the whole table first, so a malformed case fails where it is written.
  const valid = cases.valid.map((c) => ({ c, files: filesOf(c) }));
  const invalid = cases.invalid.map((c) => {
    if (c.errors.length === 0) throw new Error(`invalid case "${c.name}" expects no finding; make it a valid case`);
    return { c, files: filesOf(c) };
  });

  describe(rule.id, () => {
    for (const { c, files } of valid) {
      it(`valid: ${c.name}`, async () => {
        const findings = await analyze(rule, files, c.params);
        assert.deepEqual(findings.map(describeFinding), [], 'expected no findings');
      });
    }
    for (const { c, files } of invalid) {
      it(`invalid: ${c.name}`, async () => {
        const first = Object.keys(files)[0]!;
        const findings = await analyze(rule, files, c.params);
        if (c.output !== undefined) assert.equal(await fixedText(rule, files, c.params), c.output, 'text after the fix');
        const expected = c.errors.map((e) => `${e.file ?? first} ${e.at}`).sort();
        assert.deepEqual(findings.map(describeFinding).sort(), expected, 'finding ranges');
        // Each expected finding claims a distinct actual one at its range that
        // matches its severity and message, so two findings at one range are told apart.
        const unclaimed = [...findings];
        for (const e of c.errors) {
          const where = `${e.file ?? first} ${e.at}`;
          const matches = (f: Finding) =>
            describeFinding(f) === where &&
            (!e.severity || f.severity === e.severity) &&
            (e.message === undefined || (typeof e.message === 'string' ? f.message.includes(e.message) : e.message.test(f.message)));
          const i = unclaimed.findIndex(matches);
          const candidates = unclaimed.filter((f) => describeFinding(f) === where).map((f) => `${f.severity}: ${f.message}`);
          assert.ok(i >= 0, `no finding at ${where} with severity ${e.severity ?? 'any'} and message ${String(e.message ?? 'any')}; found: ${candidates.join(' | ')}`);
          unclaimed.splice(i, 1);
        }
      });
    }
  });
}

/** The first file after applying the first verified fix of each of its findings (see InvalidCase.output). */
export async function fixedText(rule: AnyRule, files: Readonly<Record<string, string>>, params?: Record<string, unknown>): Promise<string> {
  const service = await serviceFor(rule, files, params);
  const uri = toUri(path.posix.join(ROOT, Object.keys(files)[0]!));
  const checked = checkFixes(service, uri, service.analyze(uri).findings.filter((f) => f.ruleId === rule.id));
  const rejected = checked.filter((c) => c.rejected);
  assert.deepEqual(rejected.map((c) => `${c.fix.title}: ${c.rejected}`), [], 'fixes rejected by verification');
  const chosen: TextEdit[][] = [];
  const fixed = new Set<Finding>();
  for (const c of checked) {
    if (fixed.has(c.finding) || chosen.some((edits) => editsConflict(edits, c.fix.edits))) continue;
    fixed.add(c.finding);
    chosen.push([...c.fix.edits]);
  }
  return applyEdits(service.text(uri)!, chosen.flat());
}

async function serviceFor(rule: AnyRule, files: Readonly<Record<string, string>>, params?: Record<string, unknown>): Promise<LanguageService> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [path.posix.join(ROOT, k), v]));
  return LanguageService.create({ fs: memoryFileSystem(abs), rules: [rule], roots: [ROOT], ...(params ? { params: { [rule.id]: params } } : {}) });
}

/** Runs one rule over in-memory files and returns its findings (parse errors fail the test). */
export async function analyze(
  rule: AnyRule,
  files: Readonly<Record<string, string>>,
  params?: Record<string, unknown>,
): Promise<Finding[]> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [path.posix.join(ROOT, k), v]));
  const service = await serviceFor(rule, files, params);
  const out: Finding[] = [];
  for (const p of Object.keys(abs)) {
    const result = service.analyze(toUri(p));
    assert.deepEqual(result.failures, [], `rule threw on ${p}`);
    // REPLACE_ME placeholders are reported by the engine itself, not by the rule under test.
    const own = result.findings.filter((f) => f.ruleId !== PLACEHOLDER_ID);
    const parseErrors = own.filter((f) => f.ruleId !== rule.id);
    assert.deepEqual(parseErrors.map((f) => f.message), [], `${p} does not parse`);
    out.push(...own);
  }
  return out;
}

function describeFinding(f: Finding): string {
  const rel = path.posix.relative(ROOT, new URL(f.uri).pathname);
  const r = f.range;
  return `${rel} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}

/** Reads a fixture file of the rule whose test calls this (`fixture(__dirname, 'fail.tf')`). */
export function fixture(dir: string, name: string): string {
  return readFileSync(path.join(dir, 'fixtures', name), 'utf8');
}
