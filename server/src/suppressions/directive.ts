import type { Range } from '../model/location';

/** A rule id as written in a directive, with where it is written. */
export interface RuleRef {
  readonly id: string;
  readonly range: Range;
}

/** Something wrong with a directive: what, how to write it instead, and where exactly. */
export interface DirectiveProblem {
  readonly message: string;
  readonly range: Range;
}

/** A `plumbline:ignore` comment read for its syntax only (no rule registry, no clock, no target yet). */
export interface ParsedDirective {
  /** From `plumbline:ignore` to the last non-blank character of the comment. */
  readonly range: Range;
  readonly rules: readonly RuleRef[];
  readonly reason?: { readonly text: string; readonly range: Range };
  readonly expires?: { readonly text: string; readonly range: Range };
  readonly problems: readonly DirectiveProblem[];
}

export const DIRECTIVE_KEYWORD = 'plumbline:ignore';

export const DIRECTIVE_SYNTAX = 'plumbline:ignore <rule-id>[,<rule-id>…] reason="<why>" expires=YYYY-MM-DD';

const LEADER = /^(?:#|\/\/)[ \t]*/;

/**
 * Reads one line comment (leader included, as the parsers give it). Returns
 * undefined for comments that are not directives, so prose that merely
 * mentions the keyword later in a sentence is left alone.
 */
export function parseDirective(comment: { readonly text: string; readonly range: Range }): ParsedDirective | undefined {
  const leader = LEADER.exec(comment.text);
  if (!leader) return undefined;
  const start = leader[0].length;
  if (!comment.text.startsWith(DIRECTIVE_KEYWORD, start)) return undefined;
  // Parsers keep a CRLF file's `\r` in the comment text.
  const text = comment.text.replace(/\s+$/, '');
  if (start + DIRECTIVE_KEYWORD.length < text.length && !/\s/.test(text[start + DIRECTIVE_KEYWORD.length]!)) return undefined;

  const line = comment.range.start.line;
  const col = comment.range.start.character;
  const at = (from: number, to: number): Range => ({ start: { line, character: col + from }, end: { line, character: col + to } });
  const range = at(start, text.length);
  const problems: DirectiveProblem[] = [];
  const rules: RuleRef[] = [];
  let reason: ParsedDirective['reason'];
  let expires: ParsedDirective['expires'];

  let i = start + DIRECTIVE_KEYWORD.length;
  const skipBlanks = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const isOptionAhead = () => /^[A-Za-z_][\w-]*=/.test(text.slice(i));

  // The rule list: ids separated by commas (blanks around a comma tolerated).
  skipBlanks();
  while (i < text.length && !isOptionAhead()) {
    const m = /^[^\s,="]+/.exec(text.slice(i));
    if (!m) break;
    rules.push({ id: m[0], range: at(i, i + m[0].length) });
    i += m[0].length;
    const comma = /^\s*,\s*/.exec(text.slice(i));
    if (!comma) break;
    const commaAt = i;
    i += comma[0].length;
    if (i >= text.length || isOptionAhead() || !/^[^\s,="]/.test(text.slice(i))) {
      problems.push({ message: 'The rule list ends with a comma or has an empty entry: separate rule ids with single commas, e.g. "plumbline:ignore rule-a,rule-b".', range: at(commaAt, commaAt + 1) });
    }
  }
  if (rules.length === 0) {
    problems.push({ message: `The directive names no rule: list the rule ids to suppress right after the keyword, as in "${DIRECTIVE_SYNTAX}".`, range });
  }

  // Options, each once, in any order; anything else is reported and ends the reading.
  for (skipBlanks(); i < text.length; skipBlanks()) {
    const key = /^([A-Za-z_][\w-]*)=/.exec(text.slice(i));
    if (!key) {
      problems.push({
        message: `Unexpected text "${text.slice(i)}": after the rule ids a directive takes only reason="<why>" and expires=YYYY-MM-DD, separated by spaces.`,
        range: at(i, text.length),
      });
      break;
    }
    const keyStart = i;
    i += key[0].length;
    const name = key[1]!;
    if (name === 'reason') {
      const quoted = readQuoted(text, i);
      if (!quoted && text[i] === '"') {
        problems.push({ message: 'The reason has no closing quote: write reason="<why>" with the closing " before expires=.', range: at(keyStart, text.length) });
        break;
      }
      if (!quoted) {
        const end = nextBlank(text, i);
        problems.push({
          message: `The reason must be in double quotes: write reason="${text.slice(i, end).replace(/^["']|["']$/g, '') || 'why this is acceptable'}".`,
          range: at(keyStart, end),
        });
        i = end;
        continue;
      }
      if (reason) problems.push({ message: 'reason= is given twice: keep one reason="…".', range: at(keyStart, quoted.end) });
      else reason = { text: quoted.value, range: at(i, quoted.end) };
      i = quoted.end;
    } else if (name === 'expires') {
      const end = nextBlank(text, i);
      if (expires) problems.push({ message: 'expires= is given twice: keep one expires=YYYY-MM-DD.', range: at(keyStart, end) });
      else expires = { text: text.slice(i, end), range: at(i, end) };
      i = end;
    } else {
      const end = nextBlank(text, i);
      problems.push({
        message: `Unknown option "${name}=": a directive takes only reason="<why>" and expires=YYYY-MM-DD.`,
        range: at(keyStart, end),
      });
      i = end;
    }
  }
  return { range, rules, ...(reason ? { reason } : {}), ...(expires ? { expires } : {}), problems };
}

/** A double-quoted string at `i` (`\"` and `\\` escaped): its value and the offset after the closing quote. */
function readQuoted(text: string, i: number): { value: string; end: number } | undefined {
  if (text[i] !== '"') return undefined;
  let value = '';
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j]!;
    if (c === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\')) value += text[++j];
    else if (c === '"') return { value, end: j + 1 };
    else value += c;
  }
  return undefined;
}

function nextBlank(text: string, i: number): number {
  const m = /\s/.exec(text.slice(i));
  return m ? i + m.index : text.length;
}
