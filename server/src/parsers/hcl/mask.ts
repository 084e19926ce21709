/**
 * The Terraform tree-sitter grammar differs from HCL where it matters while
 * someone types:
 *
 * - it lets a quoted string run over the end of the line, so one missing
 *   closing quote makes every later quote flip meaning and whole blocks vanish;
 * - it ignores newlines, so `acl =` with nothing after it takes the next
 *   line's attribute as its value;
 * - it only accepts an exponent after a fraction (`1.5e3`, not `1e3`).
 *
 * HCL rejects the first two, so before parsing we find them with a small lexer,
 * report each as a problem, and blank the offending text (spaces, same length,
 * so every offset stays valid) so that the grammar parses the rest normally.
 * Numbers like `1e3` are valid HCL: they are replaced by digits of the same
 * length, and the builder reads their real text from the document.
 */
export interface GrammarInput {
  /** The text to give tree-sitter: same length and line breaks as the document. */
  readonly text: string;
  /** Syntax errors found while preparing, by UTF-16 offsets, in document order. */
  readonly problems: readonly Problem[];
  /**
   * Line starts at which the lexer was outside any bracket, string, heredoc
   * or comment and had read nothing after them, ascending. Lexing can restart
   * at any of them, which lets the next version of the text be prepared from
   * where an edit begins.
   */
  readonly checkpoints: readonly number[];
}

export interface Problem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export function prepareForGrammar(
  text: string,
  previous?: { readonly source: string; readonly input: GrammarInput; /** changedSpan(source, text), when the caller has it. */ readonly span?: Span },
): GrammarInput {
  if (!previous) {
    const scan = new Prescanner(text, 0);
    scan.run();
    return { text: maskExponents(scan.masked(0, text.length)), problems: scan.problems, checkpoints: scan.checkpoints };
  }
  return prepareEdited(text, previous.source, previous.input, previous.span ?? changedSpan(previous.source, text));
}

/**
 * Prepares `text` from the preparation of an earlier version: lexing restarts
 * at the last checkpoint before the first changed character and stops at the
 * first checkpoint after the change where the earlier version had one too
 * (from there on both texts and both lexer states are the same). Everything
 * else is taken from the earlier version, shifted by the change in length.
 */
function prepareEdited(text: string, before: string, old: GrammarInput, span: Span): GrammarInput {
  const { start, oldEnd, newEnd } = span;
  if (start === before.length && oldEnd === before.length && newEnd === text.length && before.length === text.length) return old;
  const delta = newEnd - oldEnd;
  // The last checkpoint at or before the change (0, the start of the text, is always one).
  const k = upperBound(old.checkpoints, start) - 1;
  const from = k >= 0 ? old.checkpoints[k]! : 0;
  const resumable = new Set<number>();
  for (let j = upperBound(old.checkpoints, oldEnd); j < old.checkpoints.length; j++) resumable.add(old.checkpoints[j]! + delta);
  const scan = new Prescanner(text, from, (at) => at > newEnd && resumable.has(at));
  scan.run();
  const stopped = scan.stoppedAt !== undefined;
  const to = scan.stoppedAt ?? text.length;
  const kept = (p: Problem) => p.start < from;
  const shifted = (p: Problem) => ({ ...p, start: p.start + delta, end: p.end + delta });
  const after = (p: Problem) => stopped && p.start >= to - delta;
  return {
    text: old.text.slice(0, from) + maskExponents(scan.masked(from, to)) + (stopped ? old.text.slice(to - delta) : ''),
    problems: [...old.problems.filter(kept), ...scan.problems, ...old.problems.filter(after).map(shifted)],
    checkpoints: [
      ...old.checkpoints.slice(0, upperBound(old.checkpoints, from) - 1),
      ...scan.checkpoints,
      ...(stopped ? old.checkpoints.slice(upperBound(old.checkpoints, to - delta - 1)).map((c) => c + delta) : []),
    ],
  };
}

/**
 * The span that differs between two texts: common prefix and suffix excluded.
 * Whole chunks are compared first (a native substring compare is far faster
 * than a character loop over a large file), then character by character.
 */
export interface Span {
  readonly start: number;
  readonly oldEnd: number;
  readonly newEnd: number;
}

export function changedSpan(before: string, after: string): Span {
  const CHUNK = 256;
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start + CHUNK <= max && before.slice(start, start + CHUNK) === after.slice(start, start + CHUNK)) start += CHUNK;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let oldEnd = before.length;
  let newEnd = after.length;
  while (oldEnd - CHUNK >= start && newEnd - CHUNK >= start && before.slice(oldEnd - CHUNK, oldEnd) === after.slice(newEnd - CHUNK, newEnd)) {
    oldEnd -= CHUNK;
    newEnd -= CHUNK;
  }
  while (oldEnd > start && newEnd > start && before.charCodeAt(oldEnd - 1) === after.charCodeAt(newEnd - 1)) {
    oldEnd--;
    newEnd--;
  }
  return { start, oldEnd, newEnd };
}

/** The index of the first element greater than `x` in an ascending array. */
function upperBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function maskExponents(text: string): string {
  return text.replace(EXPONENT_WITHOUT_FRACTION, (m) => m.replace(/[^0-9]/g, '0'));
}

const EXPONENT_WITHOUT_FRACTION = /(?<![\w.$])\d+[eE][+-]?\d+(?![\w.])/g;

/** `name =` and nothing but an optional line comment up to the end of the line. */
const ATTRIBUTE_WITHOUT_VALUE = /[ \t]*([A-Za-z_][\w-]*)[ \t]*=(?![=>])[ \t]*(?=(?:#|\/\/)[^\r\n]*|\r?\n|$)/y;

/** The characters at which the lexer state can change, in code and inside a quoted string. */
const CODE_STOP = /[\n#/"<{}[\]()]/g;
const STRING_STOP = /[\r\n\\$%"]/g;

const HEREDOC_START = /<<-?([A-Za-z_][\w-]*)\r?\n/y;

type Frame =
  | { readonly kind: 'brace' | 'bracket' | 'paren' | 'interpolation' }
  | { readonly kind: 'string'; readonly start: number };

class Prescanner {
  readonly problems: Problem[] = [];
  readonly checkpoints: number[] = [];
  /** Where `stopAt` ended the scan, if it did. */
  stoppedAt: number | undefined;
  private readonly blanks: [number, number][] = [];
  private readonly stack: Frame[] = [];
  private i: number;
  /** The furthest offset the lexer has reached (an unclosed string sends it back to the end of the string's line). */
  private horizon: number;

  /** Scans from `from`, a line start outside any construct; `stopAt` may end the scan at such a line start. */
  constructor(
    private readonly text: string,
    from: number,
    private readonly stopAt?: (offset: number) => boolean,
  ) {
    this.i = from;
    this.horizon = from;
  }

  run(): void {
    this.lineStart();
    const n = this.text.length;
    while (this.i < n && this.stoppedAt === undefined) {
      // Jump to the next character that can change the state: most of a file
      // is names, values and spaces, and looking at each would cost more than
      // the rest of a re-parse.
      const inString = this.stack.length > 0 && this.stack[this.stack.length - 1]!.kind === 'string';
      const stop = inString ? STRING_STOP : CODE_STOP;
      stop.lastIndex = this.i;
      if (!stop.test(this.text)) break;
      this.i = stop.lastIndex - 1;
      if (inString) this.stringChar();
      else this.codeChar();
    }
  }

  /** The text from `start` to `end` with the blanks applied (the scan's blanks all lie in it). */
  masked(start: number, end: number): string {
    if (this.blanks.length === 0) return start === 0 && end === this.text.length ? this.text : this.text.slice(start, end);
    let out = '';
    let at = start;
    for (const [s, e] of [...this.blanks].sort((a, b) => a[0] - b[0])) {
      if (s < at) continue;
      out += this.text.slice(at, s) + this.text.slice(s, e).replace(/[^\r\n]/g, ' ');
      at = e;
    }
    return out + this.text.slice(at, end);
  }

  private top(): Frame | undefined {
    return this.stack[this.stack.length - 1];
  }

  private codeChar(): void {
    const t = this.text;
    const c = t[this.i]!;
    if (c === '\n') {
      this.i++;
      this.lineStart();
    } else if (c === '#' || (c === '/' && t[this.i + 1] === '/')) {
      this.i = this.lineEnd(this.i);
    } else if (c === '/' && t[this.i + 1] === '*') {
      const close = t.indexOf('*/', this.i + 2);
      this.i = close === -1 ? t.length : close + 2;
    } else if (c === '"') {
      this.stack.push({ kind: 'string', start: this.i });
      this.i++;
    } else if (c === '<' && t[this.i + 1] === '<') {
      this.heredoc();
    } else if (c === '{' || c === '[' || c === '(') {
      this.stack.push({ kind: c === '{' ? 'brace' : c === '[' ? 'bracket' : 'paren' });
      this.i++;
    } else if (c === '}' || c === ']' || c === ')') {
      if (this.stack.length > 0) this.stack.pop();
      this.i++;
    } else {
      this.i++;
    }
  }

  private stringChar(): void {
    const t = this.text;
    const c = t[this.i]!;
    if (c === '\r' || c === '\n') {
      this.unterminatedString();
    } else if (c === '\\') {
      this.i += t[this.i + 1] === '\r' || t[this.i + 1] === '\n' ? 1 : 2;
    } else if ((c === '$' || c === '%') && t[this.i + 1] === c && t[this.i + 2] === '{') {
      this.i += 3; // `$${` / `%%{` escapes
    } else if ((c === '$' || c === '%') && t[this.i + 1] === '{') {
      this.stack.push({ kind: 'interpolation' });
      this.i += 2;
    } else if (c === '"') {
      this.stack.pop();
      this.i++;
    } else {
      this.i++;
    }
  }

  /** At the start of a line in a body or object: an attribute may lack its value. */
  private lineStart(): void {
    const top = this.top();
    if (this.i > this.horizon) this.horizon = this.i;
    // A checkpoint is a line start, outside everything, that the lexer has
    // not looked past yet: its state depends on the text before it alone.
    if (!top && this.horizon === this.i) {
      if (this.stopAt?.(this.i)) {
        this.stoppedAt = this.i;
        return;
      }
      this.checkpoints.push(this.i);
    }
    if (top && top.kind !== 'brace') return;
    ATTRIBUTE_WITHOUT_VALUE.lastIndex = this.i;
    const m = ATTRIBUTE_WITHOUT_VALUE.exec(this.text);
    if (!m) return;
    const nameStart = this.i + m[0].indexOf(m[1]!);
    const end = this.i + m[0].length;
    this.problems.push({
      start: nameStart,
      end: this.text.indexOf('=', nameStart) + 1,
      message: `Syntax error: "${m[1]}" has no value; write an expression after "=".`,
    });
    this.blanks.push([nameStart, end]);
    this.i = end;
  }

  /**
   * HCL strings end on their line. The string is blanked from its quote to
   * the end of the line, and so is an attribute left without a value by that.
   */
  private unterminatedString(): void {
    let start = this.i;
    while (this.stack.some((f) => f.kind === 'string')) {
      const f = this.stack.pop()!;
      if (f.kind === 'string') start = f.start;
    }
    const end = this.lineEnd(start);
    const lineBegin = this.text.lastIndexOf('\n', start - 1) + 1;
    const before = this.text.slice(lineBegin, start);
    const attribute = /^([ \t]*)[A-Za-z_][\w-]*[ \t]*=[ \t]*$/.exec(before);
    this.blanks.push([attribute ? lineBegin + attribute[1]!.length : start, end]);
    this.problems.push({ start, end, message: 'Syntax error: this string is not closed; add the closing quote.' });
    if (this.i > this.horizon) this.horizon = this.i;
    this.i = end;
  }

  /** `<<EOT` … `EOT`: skipped whole; the grammar handles heredocs well. */
  private heredoc(): void {
    HEREDOC_START.lastIndex = this.i;
    const m = HEREDOC_START.exec(this.text);
    if (!m) {
      this.i += 2;
      return;
    }
    let line = this.i + m[0].length;
    while (line < this.text.length) {
      const end = this.lineEnd(line);
      if (this.text.slice(line, end).trim() === m[1]) {
        this.i = end;
        return;
      }
      line = end + (this.text[end] === '\r' ? 2 : 1);
    }
    this.i = this.text.length;
  }

  /** The offset of the line break (or end of text) at or after `from`. */
  private lineEnd(from: number): number {
    const re = /\r?\n/g;
    re.lastIndex = from;
    const m = re.exec(this.text);
    return m ? m.index : this.text.length;
  }
}
