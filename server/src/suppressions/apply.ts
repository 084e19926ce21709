import { PARSE_ERROR_ID, type Finding } from '../engine/finding';
import { rangeContains } from '../model/location';
import { SUPPRESSION_EXPIRED_ID, SUPPRESSION_INVALID_ID, SUPPRESSION_UNUSED_ID } from './options';
import type { Directive } from './read';

export interface ApplyOptions {
  /**
   * The file has syntax errors: its findings are incomplete, so a directive
   * that suppressed nothing is not called unused.
   */
  readonly hasParseErrors: boolean;
}

/**
 * Removes the findings that an active directive of the same document covers
 * (rule listed, range inside the target) and adds one finding per problem:
 * expired, invalid (one per problem, at its exact range) and unused
 * directives. Directives come back with their final status and count.
 */
export function applySuppressions(
  findings: readonly Finding[],
  directives: readonly Directive[],
  options: ApplyOptions,
): { findings: Finding[]; directives: Directive[] } {
  if (directives.length === 0) return { findings: [...findings], directives: [] };
  const counts = new Map<Directive, number>();
  const kept = findings.filter((f) => {
    if (f.ruleId === PARSE_ERROR_ID) return true;
    // Every directive that covers the finding gets the credit, so stacked duplicates are not reported unused.
    const covering = directives.filter((d) => covers(d, f));
    for (const d of covering) counts.set(d, (counts.get(d) ?? 0) + 1);
    return covering.length === 0;
  });

  const out: Directive[] = directives.map((d) => {
    const suppressed = counts.get(d) ?? 0;
    return d.status === 'active' && suppressed === 0 && !options.hasParseErrors && d.target ? { ...d, status: 'unused' } : { ...d, suppressed };
  });
  const meta = out.flatMap((d) => directiveFindings(d));
  return { findings: [...kept, ...meta], directives: out };
}

function covers(d: Directive, f: Finding): boolean {
  return d.status === 'active' && !!d.target && d.uri === f.uri && d.rules.some((r) => r.id === f.ruleId) && rangeContains(d.target, f.range);
}

/** The findings a directive's outcome produces (none for an active one). */
function directiveFindings(d: Directive): Finding[] {
  const ids = d.rules.map((r) => r.id).join(', ');
  switch (d.status) {
    case 'invalid':
      return d.problems.map((p) => ({
        ruleId: SUPPRESSION_INVALID_ID,
        severity: 'low',
        message: `Suppression not applied. ${p.message}`,
        uri: d.uri,
        range: p.range,
      }));
    case 'expired':
      return [
        {
          ruleId: SUPPRESSION_EXPIRED_ID,
          severity: d.severity,
          message: `The suppression of ${ids} expired on ${d.expires}, so its findings are reported again: fix them, or review the waiver and set a new expires= date.`,
          uri: d.uri,
          range: d.range,
          data: { rules: d.rules.map((r) => r.id), expires: d.expires },
        },
      ];
    case 'unused':
      return [
        {
          ruleId: SUPPRESSION_UNUSED_ID,
          severity: 'info',
          message: `This suppression of ${ids} matches no finding in the element below it: remove the directive, or move it above the element that has the finding.`,
          uri: d.uri,
          range: d.range,
        },
      ];
    case 'active':
      return [];
  }
}
