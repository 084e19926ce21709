import type { HclExpr, TemplatePart } from '../../model/hcl';

/**
 * Template processing that follows HashiCorp's `hclsyntax` step by step, so
 * that the literal text of a quoted string or heredoc is exactly what
 * Terraform sees. The order matters and is HCL's own:
 *
 *   1. the scanner cuts literal text into tokens (`scanLiteral`);
 *   2. `~` strip markers trim the single literal token next to them
 *      (`applyStripMarkers`) — only that token, which is why a `~}` at the end
 *      of a heredoc line removes the newline but not the next line's indent;
 *   3. `<<-` heredocs drop the common indentation of line-leading tokens
 *      (`flushHeredoc`), looking at the already-trimmed tokens;
 *   4. consecutive literals meld and the flat token list becomes a tree of
 *      if/for parts (`buildParts`).
 */
export type TemplateToken =
  | { readonly kind: 'literal'; value: string }
  | ({ readonly kind: 'interpolation'; readonly expr: HclExpr } & Strip)
  | ({ readonly kind: 'if'; readonly condition: HclExpr } & Strip)
  | ({
      readonly kind: 'for';
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: HclExpr;
    } & Strip)
  | ({ readonly kind: 'else' | 'endif' | 'endfor' } & Strip);

interface Strip {
  /** `${~` / `%{~`: trim whitespace at the end of the literal before. */
  readonly stripBefore: boolean;
  /** `~}`: trim whitespace at the start of the literal after. */
  readonly stripAfter: boolean;
}

/** Everything template processing needs from the caller for one template. */
export interface TemplateSource {
  /** The template's tokens in source order; literal values already decoded. */
  readonly tokens: TemplateToken[];
  /** `<<-` heredoc. */
  readonly flush: boolean;
}

/** Processes the tokens of one template into model parts (literals merged, empty ones dropped). */
export function templateParts(source: TemplateSource): TemplatePart[] {
  const tokens = source.tokens.length > 0 ? source.tokens : [{ kind: 'literal' as const, value: '' }];
  applyStripMarkers(tokens);
  if (source.flush) flushHeredoc(tokens);
  return buildParts(meldLiterals(tokens));
}

// ---- 1. scanning ----------------------------------------------------------

/**
 * Cuts the literal text between two template sequences into the tokens HCL's
 * scanner produces: a lone `$` or `%`, an escape `$${` / `%%{`, runs of other
 * characters, and — in heredocs — a token ends after each newline.
 */
export function scanLiteral(raw: string, heredoc: boolean): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const c = raw[i];
    if (c === '$' || c === '%') {
      const escape = raw[i + 1] === c && raw[i + 2] === '{';
      const len = escape ? (raw[i + 3] === '~' ? 4 : 3) : 1;
      out.push(raw.slice(i, i + len));
      i += len;
      continue;
    }
    let j = i;
    while (j < raw.length && raw[j] !== '$' && raw[j] !== '%') {
      if (heredoc && raw[j] === '\n') {
        j++;
        break;
      }
      // A backslash escape is one unit in quoted strings (`\$` cannot end the run early).
      j += !heredoc && raw[j] === '\\' && j + 1 < raw.length ? 2 : 1;
    }
    out.push(raw.slice(i, j));
    i = j;
  }
  return out;
}

// ---- 2. strip markers -----------------------------------------------------

/** Mirrors `parseTemplateParts`: a marker trims only the adjacent token, and only a literal one. */
function applyStripMarkers(tokens: TemplateToken[]): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'literal') continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    if (t.stripBefore && prev?.kind === 'literal') prev.value = trimRightSpace(prev.value);
    if (t.stripAfter && next?.kind === 'literal') next.value = trimLeftSpace(next.value);
  }
}

// ---- 3. flush heredocs ----------------------------------------------------

/**
 * Mirrors `flushHeredocTemplateParts`: the indentation to remove is the
 * smallest whitespace prefix among tokens that start a line; whitespace-only
 * lines do not count and are left untouched; a line that starts with an
 * interpolation counts as indentation 0.
 */
function flushHeredoc(tokens: TemplateToken[]): void {
  let min = Infinity;
  const adjust: { kind: 'literal'; value: string }[] = [];
  let lineStart = true;
  for (const t of tokens) {
    if (lineStart) {
      lineStart = false;
      if (t.kind === 'literal') {
        const trimmed = trimLeftSpace(t.value);
        if (!(trimmed === '' && t.value.endsWith('\n'))) {
          min = Math.min(min, [...t.value.slice(0, t.value.length - trimmed.length)].length);
          adjust.push(t);
        }
      } else {
        min = 0;
      }
    }
    if (t.kind === 'literal' && t.value.endsWith('\n')) lineStart = true;
  }
  if (!Number.isFinite(min) || min === 0) return;
  for (const t of adjust) t.value = [...t.value].slice(min).join('');
}

// ---- 4. tree ----------------------------------------------------------------

function meldLiterals(tokens: TemplateToken[]): TemplateToken[] {
  const out: TemplateToken[] = [];
  for (const t of tokens) {
    const last = out[out.length - 1];
    if (t.kind === 'literal' && last?.kind === 'literal') last.value += t.value;
    else out.push(t.kind === 'literal' ? { kind: 'literal', value: t.value } : t);
  }
  return out;
}

/**
 * Turns the flat tokens into nested parts. Unbalanced directives only occur in
 * text with syntax errors; an unmatched closer is dropped and an unclosed
 * opener ends with the template, so a half-typed template still yields parts.
 */
function buildParts(tokens: TemplateToken[]): TemplatePart[] {
  let pos = 0;
  const sequence = (closers: readonly string[]): TemplatePart[] => {
    const parts: TemplatePart[] = [];
    while (pos < tokens.length) {
      const t = tokens[pos]!;
      if (closers.includes(t.kind)) return parts;
      pos++;
      switch (t.kind) {
        case 'literal':
          if (t.value !== '') parts.push({ kind: 'literal', value: t.value });
          break;
        case 'interpolation':
          parts.push({ kind: 'interpolation', expr: t.expr });
          break;
        case 'if': {
          const then = sequence(['else', 'endif']);
          const hasElse = tokens[pos]?.kind === 'else';
          if (hasElse) pos++;
          const otherwise = hasElse ? sequence(['endif']) : [];
          if (tokens[pos]?.kind === 'endif') pos++;
          parts.push({ kind: 'if', condition: t.condition, then, else: otherwise });
          break;
        }
        case 'for': {
          const body = sequence(['endfor']);
          if (tokens[pos]?.kind === 'endfor') pos++;
          parts.push({ kind: 'for', keyVar: t.keyVar, valueVar: t.valueVar, collection: t.collection, body });
          break;
        }
        default:
          break; // an else/endif/endfor without its opener
      }
    }
    return parts;
  };
  return sequence([]);
}

// ---- whitespace as Go's unicode.IsSpace sees it ------------------------------

const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/;

function trimLeftSpace(s: string): string {
  let i = 0;
  while (i < s.length && GO_SPACE.test(s[i]!)) i++;
  return s.slice(i);
}

function trimRightSpace(s: string): string {
  let i = s.length;
  while (i > 0 && GO_SPACE.test(s[i - 1]!)) i--;
  return s.slice(0, i);
}
