import type { Diagnostic } from 'vscode-languageserver-types';
import { PARSE_ERROR_ID, type Finding } from '../engine/finding';
import { lspSeverity } from '../engine/severity';
import { ruleDocsUrl } from './ruleDocs';

export const SOURCE = 'plumbline';

/** A finding as an LSP diagnostic: code = rule id, a link to its docs, and the fix data with the document version. */
export function toDiagnostic(f: Finding, docsBase: string, version: number | undefined): Diagnostic {
  const isRule = f.ruleId !== PARSE_ERROR_ID;
  return {
    range: f.range,
    severity: lspSeverity(f.severity),
    source: SOURCE,
    code: f.ruleId,
    ...(isRule ? { codeDescription: { href: ruleDocsUrl(f.ruleId, docsBase) } } : {}),
    message: f.message,
    ...(f.related?.length
      ? { relatedInformation: f.related.map((r) => ({ location: { uri: r.at.uri, range: r.at.range }, message: r.message })) }
      : {}),
    data: { severity: f.severity, version, ...(f.data ?? {}) },
  };
}
