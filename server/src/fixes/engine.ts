import { PARSE_ERROR_ID, type Finding } from '../engine/finding';
import { PLACEHOLDER_ID } from '../engine/placeholders';
import { comparePos, LineIndex, rangeContains, type Position } from '../model/location';
import type { LanguageService } from '../service/languageService';
import { applyEdits, editsConflict, minimalEdit } from './text';
import { PLACEHOLDER, REPLACES_RESOURCE, type Fix, type TextEdit } from './types';

/** A fix proposed for a finding, with the verdict of applying it to a copy of the document. */
export interface CheckedFix {
  readonly finding: Finding;
  readonly fix: Fix;
  /** Why verification rejected it; undefined when it may be offered. */
  readonly rejected?: string;
}

/**
 * The fixes a finding's rule proposes, not yet verified. A rule without a
 * `fix`, a finding of another document, or a fix that throws gives none.
 */
export function proposeFixes(service: LanguageService, finding: Finding): Fix[] {
  const rule = service.ruleById(finding.ruleId);
  if (!rule?.fix) return [];
  const params = service.paramsFor(rule);
  const data = finding.data ?? {};
  try {
    let fixes: Fix[];
    if (rule.domain === 'terraform') {
      const module = service.moduleOf(finding.uri);
      const file = module.files.find((f) => f.uri === finding.uri);
      if (!file) return [];
      fixes = rule.fix({ finding, data, params, module, file });
    } else {
      const file = service.yamlFile(finding.uri);
      if (!file) return [];
      fixes = rule.fix({ finding, data, params, file, documents: file.documents.filter((d) => d.kind === rule.domain) });
    }
    return fixes
      .filter((f) => f.edits.length > 0 && f.edits.every((e) => e.uri === finding.uri))
      .map((f) => (f.forcesReplacement && !f.title.endsWith(REPLACES_RESOURCE) ? { ...f, title: f.title + REPLACES_RESOURCE } : f));
  } catch {
    // A layout the fix does not handle: offer nothing rather than a wrong edit.
    return [];
  }
}

/**
 * Verifies fixes the way the issue asks: each is applied to a copy of the
 * document, which is re-parsed and re-analysed; the fix is offered only if
 * the file still parses, the finding is gone (a placeholder fix may leave it,
 * since its REPLACE_ME values must be filled in) and no other finding appears.
 */
export function checkFixes(service: LanguageService, uri: string, findings: readonly Finding[]): CheckedFix[] {
  const text = service.text(uri);
  if (text === undefined) return [];
  const before = service.analyze(uri).findings;
  const out: CheckedFix[] = [];
  for (const finding of findings) {
    for (const fix of proposeFixes(service, finding)) {
      out.push({ finding, fix, ...verdict(service, uri, text, before, [{ finding, fix }]) });
    }
  }
  return out;
}

/**
 * "Fix all" for one document: every verified fix that is safe to apply
 * without a person looking (no placeholder, no resource replacement), one per
 * finding, combined where their edits do not touch; the combination is
 * verified again as a whole. Returns the resulting text and what was applied.
 */
export function fixAll(service: LanguageService, uri: string): { text: string; applied: CheckedFix[]; edit?: TextEdit } {
  const text = service.text(uri);
  if (text === undefined) return { text: '', applied: [] };
  const before = service.analyze(uri).findings;
  const chosen: CheckedFix[] = [];
  for (const finding of before) {
    const fix = proposeFixes(service, finding).find((f) => safe(f));
    if (!fix || chosen.some((c) => editsConflict(c.fix.edits, fix.edits))) continue;
    chosen.push({ finding, fix });
  }
  // Verify the combination; when it fails, fall back to adding fixes one by one.
  let applied = chosen;
  if (chosen.length > 0 && verdict(service, uri, text, before, chosen).rejected) {
    applied = [];
    for (const c of chosen) {
      const candidate = [...applied, c];
      if (!verdict(service, uri, text, before, candidate).rejected) applied = candidate;
    }
  }
  const after = applyEdits(text, applied.flatMap((c) => c.fix.edits));
  const edit = minimalEdit(uri, text, after);
  return { text: after, applied, ...(edit ? { edit } : {}) };
}

/** Safe for "fix all": fixes the finding outright and does not replace a resource. */
export function safe(fix: Fix): boolean {
  return !fix.placeholder && !fix.forcesReplacement;
}

function verdict(
  service: LanguageService,
  uri: string,
  text: string,
  before: readonly Finding[],
  fixes: readonly { finding: Finding; fix: Fix }[],
): { rejected?: string } {
  const edits = fixes.flatMap((f) => f.fix.edits);
  let fixed: string;
  let after: Finding[];
  try {
    fixed = applyEdits(text, edits);
    after = service.analyzeVariant(uri, fixed).findings;
  } catch (e) {
    return { rejected: `could not be applied: ${(e as Error).message}` };
  }
  const parseErrors = (fs: readonly Finding[]) => fs.filter((f) => f.ruleId === PARSE_ERROR_ID).length;
  if (parseErrors(after) > parseErrors(before)) return { rejected: 'the file would no longer parse' };

  // Pair each finding after the fix with one before it: same rule and message,
  // else same rule at the same place (moved by the edits; a message may name
  // the value the fix changed). What stays unpaired before is gone; after, new.
  const map = positionMapper(text, fixed, edits);
  const gone = [...before];
  const added: Finding[] = [];
  for (const a of after) {
    let i = gone.findIndex((b) => key(b) === key(a));
    if (i < 0) i = gone.findIndex((b) => b.ruleId === a.ruleId && comparePos(map(b.range.start), a.range.start) === 0);
    if (i >= 0) gone.splice(i, 1);
    else added.push(a);
  }
  const ofRule = (fs: readonly Finding[], ruleId: string) => fs.filter((f) => f.ruleId === ruleId).length;
  for (const { finding, fix } of fixes) {
    const isGone = gone.some((b) => key(b) === key(finding) && comparePos(b.range.start, finding.range.start) === 0 && comparePos(b.range.end, finding.range.end) === 0);
    if (!isGone && !fix.placeholder) return { rejected: 'the finding would remain' };
    // A placeholder is not a fix: something must keep reporting until REPLACE_ME
    // is replaced — its rule, or the placeholder finding on the REPLACE_ME itself.
    if (fix.placeholder && ofRule(after, finding.ruleId) < ofRule(before, finding.ruleId) && ofRule(after, PLACEHOLDER_ID) <= ofRule(before, PLACEHOLDER_ID))
      return { rejected: 'a placeholder would silence the rule before REPLACE_ME is replaced' };
  }
  const placeholderRules = new Set(fixes.filter((f) => f.fix.placeholder).flatMap((f) => [f.finding.ruleId, PLACEHOLDER_ID]));
  // A placeholder keeps its own rule's finding (perhaps reworded, on the inserted value).
  // So does a finding on a line where a placeholder inserted REPLACE_ME (an
  // unpinned `@REPLACE_ME` in a template): it goes when the value is written.
  const fixedLines = fixed.split(/\r?\n/);
  const onPlaceholder = (a: Finding) => placeholderRules.size > 0 && (fixedLines[a.range.start.line] ?? '').includes(PLACEHOLDER);
  const unexpected = added.find((a) => !placeholderRules.has(a.ruleId) && !onPlaceholder(a));
  if (unexpected) return { rejected: `it would cause a new finding: ${unexpected.ruleId}: ${unexpected.message}` };
  return {};
}

/** Where a position of `before` ends up in `after` once `edits` are applied (inside an edit: its start). */
function positionMapper(before: string, after: string, edits: readonly TextEdit[]): (p: Position) => Position {
  const from = new LineIndex(before);
  const to = new LineIndex(after);
  const spans = edits
    .map((e) => ({ start: from.offset(e.range.start), end: from.offset(e.range.end), length: e.newText.length }))
    .sort((a, b) => a.start - b.start);
  return (p) => {
    const offset = from.offset(p);
    let delta = 0;
    for (const s of spans) {
      if (s.end <= offset) delta += s.length - (s.end - s.start);
      else if (s.start < offset) return to.position(s.start + delta);
    }
    return to.position(offset + delta);
  };
}

/**
 * Findings compared across a fix by rule and message: ranges move when a fix
 * inserts lines, messages name the resource and what is wrong.
 */
function key(f: Finding): string {
  return `${f.ruleId}\u0000${f.message}`;
}


/** The findings of `uri` whose range overlaps `range` (what a code action request is about). */
export function findingsAt(findings: readonly Finding[], range: Finding['range']): Finding[] {
  return findings.filter(
    (f) => rangeContains(f.range, range) || rangeContains(range, f.range) || (comparePos(f.range.start, range.end) <= 0 && comparePos(range.start, f.range.end) <= 0),
  );
}
