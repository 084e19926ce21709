import { PARSE_ERROR_ID } from '../engine/finding';
import { severityRank, type Severity } from '../engine/severity';
import type { Range } from '../model/location';
import { parseDirective, DIRECTIVE_KEYWORD, type DirectiveProblem, type RuleRef } from './directive';
import {
  addDays,
  daysFrom,
  isPastDay,
  parseIsoDay,
  SUPPRESSION_FINDING_IDS,
  type RuleInfo,
  type SuppressionOptions,
} from './options';
import { commentOnlyLines, isHcl, startsItsLine, targetOnLine, targetsOf, type SuppressibleFile } from './targets';

export type DirectiveStatus = 'active' | 'expired' | 'invalid' | 'unused';

/** One `plumbline:ignore` directive of a file, checked and (after `applySuppressions`) with its outcome. */
export interface Directive {
  readonly uri: string;
  /** From `plumbline:ignore` to the end of the comment. */
  readonly range: Range;
  readonly rules: readonly RuleRef[];
  readonly reason: string | undefined;
  readonly expires: string | undefined;
  /** The range of the element it covers; undefined when there is none. */
  readonly target: Range | undefined;
  /**
   * `invalid`: it has problems and applies to nothing. `expired`: valid, but
   * past its date. `active`: valid and in force. `unused`: in force but it
   * suppressed no finding (set by `applySuppressions`).
   */
  readonly status: DirectiveStatus;
  readonly problems: readonly DirectiveProblem[];
  /** The highest default severity of the rules it names (what an expiry is reported with). */
  readonly severity: Severity;
  /** How many findings it suppressed (set by `applySuppressions`). */
  readonly suppressed: number;
}

/**
 * The directives in a file's comments, checked against the options and the
 * rule registry. Targets are resolved on the file's model, so the result is
 * only as complete as the parse: while the file has syntax errors a missing
 * target is not reported (the element may be the half-typed one).
 */
export function readDirectives(file: SuppressibleFile, options: SuppressionOptions, rules: readonly RuleInfo[]): Directive[] {
  // Most files have no directive; their comments are not even collected (YAML reads them lazily).
  if (!file.text.includes(DIRECTIVE_KEYWORD)) return [];
  const lines = file.text.split(/\r\n|\r|\n/);
  const comments = file.comments;
  const commentLines = commentOnlyLines(lines, comments);
  const targets = targetsOf(file);
  const byId = new Map(rules.map((r) => [r.id, r]));
  const broken = file.errors.length > 0;
  const out: Directive[] = [];

  for (const comment of comments) {
    const parsed = parseDirective(comment);
    if (!parsed) continue;
    const problems: DirectiveProblem[] = [...parsed.problems];
    const where = isHcl(file) ? 'a block or an attribute' : 'a mapping key or a sequence item';

    let target: Range | undefined;
    if (!startsItsLine(lines, comment.range)) {
      problems.push({ message: `A suppression directive must be on its own line, directly above ${where}; move this comment to the line above.`, range: parsed.range });
    } else {
      let l = comment.range.end.line + 1;
      while (commentLines.has(l)) l++;
      const next = lines[l];
      target = next !== undefined && next.trim() !== '' ? targetOnLine(targets, l)?.range : undefined;
      if (!target && !broken) {
        const why = next === undefined ? 'the file ends below it' : next.trim() === '' ? `line ${l + 1} is blank` : `no element starts on line ${l + 1}`;
        problems.push({
          message: `This directive has nothing to suppress (${why}): put it on the line directly above ${where}, with only comment lines in between.`,
          range: parsed.range,
        });
      }
    }

    for (const ref of parsed.rules) {
      const problem = ruleProblem(ref.id, options, byId);
      if (problem) problems.push({ message: problem, range: ref.range });
    }

    const reason = parsed.reason?.text.trim();
    // A syntax problem already says what is wrong with the options; "missing" would repeat it.
    const readable = parsed.problems.length === 0;
    if (!parsed.reason) {
      if (readable)
      problems.push({
        message: `The reason is missing: add reason="<why this finding is acceptable>" (at least ${options.minReasonChars} characters, e.g. a ticket and the compensating control).`,
        range: parsed.range,
      });
    } else if (reason!.length < options.minReasonChars) {
      problems.push({
        message: `The reason "${reason}" is too short (${reason!.length} characters): say why the finding is acceptable in at least ${options.minReasonChars} characters, e.g. a ticket and the compensating control.`,
        range: parsed.reason.range,
      });
    }

    let expired = false;
    const latest = addDays(options.now, options.maxDays);
    if (!parsed.expires) {
      if (readable)
        problems.push({
        message: `The expiry date is missing: add expires=YYYY-MM-DD, at most ${options.maxDays} days ahead (no later than ${latest}).`,
        range: parsed.range,
      });
    } else {
      const day = parseIsoDay(parsed.expires.text);
      if (day === undefined) {
        problems.push({
          message: `"${parsed.expires.text}" is not a calendar date: write expires=YYYY-MM-DD, e.g. expires=${latest}.`,
          range: parsed.expires.range,
        });
      } else if (isPastDay(options.now, day)) {
        expired = true;
      } else if (daysFrom(options.now, day) > options.maxDays) {
        problems.push({
          message: `expires=${parsed.expires.text} is ${daysFrom(options.now, day)} days away; a suppression may last at most ${options.maxDays} days: pick a date no later than ${latest} and review the waiver then.`,
          range: parsed.expires.range,
        });
      }
    }

    const known = parsed.rules.map((r) => byId.get(r.id)?.severity).filter((s): s is Severity => !!s);
    out.push({
      uri: file.uri,
      range: parsed.range,
      rules: parsed.rules,
      reason: parsed.reason?.text,
      expires: parsed.expires?.text,
      target,
      status: problems.length ? 'invalid' : expired ? 'expired' : 'active',
      problems,
      severity: known.reduce<Severity>((a, b) => (severityRank(b) > severityRank(a) ? b : a), 'info'),
      suppressed: 0,
    });
  }
  return out;
}

/** Why a directive may not name `id`, or undefined when it may. */
function ruleProblem(id: string, options: SuppressionOptions, rules: ReadonlyMap<string, RuleInfo>): string | undefined {
  if (id === PARSE_ERROR_ID) return `${id} cannot be suppressed: fix the syntax error instead.`;
  if (SUPPRESSION_FINDING_IDS.includes(id)) return `${id} is about directives themselves and cannot be suppressed: fix or remove the directive it reports.`;
  if (options.nonSuppressible.includes(id))
    return `${id} cannot be suppressed: secrets must be removed from the code and rotated, not silenced. Remove this rule id from the directive.`;
  if (!rules.has(id)) {
    const near = nearest(id, [...rules.keys()]);
    // `rules` holds the custom policies in force for the file too, so their ids are accepted like rule ids.
    return `Unknown rule id "${id}": name a Plumbline rule id or a custom policy id in force here${near ? `; did you mean "${near}"?` : ' (see the rules list in the documentation).'}`;
  }
  return undefined;
}

/** The known id closest to a misspelt one, when it is close enough to be the intended one. */
function nearest(id: string, ids: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(id.length / 4)) + 1;
  for (const candidate of ids) {
    const d = editDistance(id, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length]!;
}
