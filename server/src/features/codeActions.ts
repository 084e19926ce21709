import type { CodeAction, Command, Diagnostic, Range, WorkspaceEdit } from 'vscode-languageserver-types';
import type { Finding } from '../engine/finding';
import { checkFixes, fixAll } from '../fixes/engine';
import type { TextEdit } from '../fixes/types';
import { CODE_ACTION_APPLIED_COMMAND, type CodeActionAppliedKind } from '../protocol';
import type { LanguageService } from '../service/languageService';
import { suppressionActionTitle, suppressionEdit } from '../suppressions';
import { SOURCE } from './diagnostics';

export const FIX_ALL_KIND = 'source.fixAll.plumbline';

/**
 * Code actions for one document at `version`: the verified quick fixes of
 * the Plumbline diagnostics in the request, and "fix all" when asked for.
 * A diagnostic published for another version of the document gets nothing:
 * its fix was computed on text that no longer exists (style.md, vscode-eslint).
 */
export function codeActions(
  service: LanguageService,
  uri: string,
  version: number,
  diagnostics: readonly Diagnostic[],
  only?: readonly string[],
  options: { notifyApplied?: boolean } = {},
): CodeAction[] {
  const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
  const out: CodeAction[] = [];
  if (wants('quickfix')) out.push(...quickFixes(service, uri, version, diagnostics));
  // "Fix all" verifies every fix of the file: only when asked for by kind
  // (Fix All, codeActionsOnSave), not for every light-bulb request.
  if (only && wants(FIX_ALL_KIND)) {
    const all = fixAllAction(service, uri, version);
    if (all) out.push(all);
  }
  // The editor runs an action's command after applying its edit: the client learns what was applied.
  return options.notifyApplied ? out.map((a) => ({ ...a, command: appliedCommand(suppressions.has(a) ? 'suppression' : 'fix') })) : out;
}

/** The suppression actions among those built (the rest are fixes). */
const suppressions = new WeakSet<CodeAction>();

function appliedCommand(kind: CodeActionAppliedKind): Command {
  return { title: kind === 'fix' ? 'Plumbline: fix applied' : 'Plumbline: suppression added', command: CODE_ACTION_APPLIED_COMMAND, arguments: [kind] };
}

function quickFixes(service: LanguageService, uri: string, version: number, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const ours = diagnostics.filter((d) => d.source === SOURCE && typeof d.code === 'string' && (d.data as { version?: number } | undefined)?.version === version);
  if (ours.length === 0) return [];
  const findings = service.analyze(uri).findings;
  const pairs: { diagnostic: Diagnostic; finding: Finding }[] = [];
  for (const d of ours) {
    const f = findings.find((x) => x.ruleId === d.code && sameRange(x.range, d.range));
    if (f) pairs.push({ diagnostic: d, finding: f });
  }
  const checked = checkFixes(service, uri, pairs.map((p) => p.finding));
  const out: CodeAction[] = [];
  const settings = service.suppressionSettings();
  const model = service.kindOf(uri).startsWith('terraform') ? service.hclFile(uri) : service.yamlFile(uri);
  for (const { diagnostic, finding } of pairs) {
    const fixes = checked.filter((c) => c.finding === finding && !c.rejected);
    fixes.forEach((c, i) => {
      out.push({
        title: c.fix.title,
        kind: 'quickfix',
        diagnostics: [diagnostic],
        ...(i === 0 && (c.fix.preferred ?? !c.fix.placeholder) && !c.fix.forcesReplacement ? { isPreferred: true } : {}),
        edit: versionedEdit(uri, version, c.fix.edits),
      });
    });
    // After the fixes: an accountable exception (reason placeholder, expiry 90 days out).
    const suppression = model && suppressionEdit(model, finding, finding.ruleId, settings.now, settings);
    if (suppression) {
      const action: CodeAction = {
        title: suppressionActionTitle(finding.ruleId, settings.now),
        kind: 'quickfix',
        diagnostics: [diagnostic],
        edit: versionedEdit(uri, version, [{ uri, ...suppression }]),
      };
      suppressions.add(action);
      out.push(action);
    }
  }
  return out;
}

function fixAllAction(service: LanguageService, uri: string, version: number): CodeAction | undefined {
  const result = fixAll(service, uri);
  if (!result.edit || result.applied.length === 0) return undefined;
  return {
    title: `Plumbline: fix ${result.applied.length} problem${result.applied.length === 1 ? '' : 's'} with safe fixes`,
    kind: FIX_ALL_KIND,
    edit: versionedEdit(uri, version, [result.edit]),
  };
}

/** Edits tied to the document version they were computed on: the editor refuses them after another change. */
export function versionedEdit(uri: string, version: number, edits: readonly TextEdit[]): WorkspaceEdit {
  return { documentChanges: [{ textDocument: { uri, version }, edits: edits.map((e) => ({ range: e.range, newText: e.newText })) }] };
}

function sameRange(a: Range, b: Range): boolean {
  return a.start.line === b.start.line && a.start.character === b.start.character && a.end.line === b.end.line && a.end.character === b.end.character;
}
