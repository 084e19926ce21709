import type { Diagnostic } from 'vscode-languageserver-types';
import type { Finding } from '../engine/finding';
import { lspSeverity } from '../engine/severity';
import { builtinRules } from '../rules';
import { ruleDocsUrl } from './ruleDocs';
import { SUPPRESSION_FINDING_IDS } from '../suppressions';

export const SOURCE = 'plumbline';

const BUILTIN_IDS = new Set(builtinRules.map((r) => r.id));

/** A finding as an LSP diagnostic: code = rule id, a link to its docs, and its Plumbline severity and document version. */
export function toDiagnostic(f: Finding, docsBase: string, version: number | undefined): Diagnostic {
  // Built-in rules link to their page; custom policies and engine findings have none (directives link to the guide).
  const isRule = BUILTIN_IDS.has(f.ruleId);
  // Directive findings link to the suppression guide beside the rule pages.
  const href = isRule ? ruleDocsUrl(f.ruleId, docsBase) : SUPPRESSION_FINDING_IDS.includes(f.ruleId) ? new URL('../suppressions.md', docsBase.endsWith('/') ? docsBase : `${docsBase}/`).toString() : undefined;
  return {
    range: f.range,
    severity: lspSeverity(f.severity),
    source: SOURCE,
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: f.message,
    ...(f.related?.length
      ? { relatedInformation: f.related.map((r) => ({ location: { uri: r.at.uri, range: r.at.range }, message: r.message })) }
      : {}),
    // The finding's own data (what a fix needs) stays in the server: code actions
    // find the finding again by rule and range. Sending it would add a quarter to
    // every publish, which for a large file is hundreds of kilobytes per keystroke.
    data: { severity: f.severity, version },
  };
}
