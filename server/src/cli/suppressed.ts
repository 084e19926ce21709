import type { Finding } from '../engine/finding';
import { rangeContains } from '../model/location';
import type { LanguageService } from '../service/languageService';
import { DIRECTIVE_KEYWORD, type Directive } from '../suppressions';

/** Same length as the keyword, so every position in the file stays where it was. */
const DISARMED = `${DIRECTIVE_KEYWORD.slice(0, -1)}_`;

/**
 * The findings that the active directives of a file hide, each with the
 * directive that hides it (SARIF reports them as suppressed results).
 *
 * The analysis only returns what survives suppression, so the file is
 * analysed once more as a variant whose directive keywords are disarmed
 * (same length: every range is unchanged), and the findings an active
 * directive covers are picked from it with the rule the engine applies:
 * rule listed, range inside the directive's target. Only files with a
 * directive that suppressed something pay for the second analysis.
 */
export function suppressedFindings(service: LanguageService, uri: string, directives: readonly Directive[]): { finding: Finding; directive: Directive }[] {
  const active = directives.filter((d) => d.status === 'active' && d.suppressed > 0 && d.target);
  if (active.length === 0) return [];
  const text = service.text(uri);
  if (text === undefined) return [];
  const all = service.analyzeVariant(uri, text.split(DIRECTIVE_KEYWORD).join(DISARMED)).findings;
  return all.flatMap((finding) => {
    const directive = active.find((d) => d.rules.some((r) => r.id === finding.ruleId) && rangeContains(d.target!, finding.range));
    return directive ? [{ finding, directive }] : [];
  });
}
