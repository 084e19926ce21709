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
}

export interface Problem {
  readonly start: number;
  readonly end: number;
  readonly message: string;
}

export function prepareForGrammar(text: string): GrammarInput {
  const scan = new Prescanner(text);
  scan.run();
  return { text: maskExponents(scan.masked()), problems: scan.problems };
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
  private readonly blanks: [number, number][] = [];
  private readonly stack: Frame[] = [];
  private i = 0;

  constructor(private readonly text: string) {}

  run(): void {
    this.lineStart();
    const n = this.text.length;
    while (this.i < n) {
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

  masked(): string {
    if (this.blanks.length === 0) return this.text;
    let out = '';
    let at = 0;
    for (const [s, e] of [...this.blanks].sort((a, b) => a[0] - b[0])) {
      if (s < at) continue;
      out += this.text.slice(at, s) + this.text.slice(s, e).replace(/[^\r\n]/g, ' ');
      at = e;
    }
    return out + this.text.slice(at);
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
