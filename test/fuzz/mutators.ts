import type { Rng } from './prng';

/** One edit of the current text: replace [start, end) (UTF-16 offsets) by `text`. */
export interface Mutation {
  readonly name: string;
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

type Mutator = (text: string, rng: Rng) => Mutation;

/** Characters that stress decoders, position arithmetic and lexers. */
const UNICODE = [
  '\u00e9', // é, one unit
  'e\u0301', // e + combining accent
  '\u4e2d\u6587', // CJK
  '\ud83d\ude80', // 🚀, a surrogate pair
  '\ud83d', // a lone high surrogate
  '\ude80', // a lone low surrogate
  '\ufffd', // what invalid UTF-8 decodes to
  '\u200b', // zero-width space
  '\u200d', // zero-width joiner
  '\u202e', // right-to-left override
  '\u2028', // line separator (not a line break for LSP)
  '\u0085', // next line
  '\u00a0', // no-break space
  '\t',
  '\u000b', // vertical tab
  '\u001b', // escape
];

const BRACKETS = ['{', '}', '[', ']', '(', ')', '{}', '[]', '${', '%{', '}}'];
const QUOTES = ['"', "'", '`', '"""', '\\', '\\"', '<<EOF\n', '<<-EOT\n', 'EOF\n'];
const SYNTAX = ['= ', ': ', '- ', '#', '//', '/*', '*/', '&a ', '*a', '<<: *a\n', '---\n', '|\n', '>-\n', '? ', '!!binary ', '%YAML 1.2\n', ', ', '=>', '...', '?', ' ? x : y', 'resource "aws_s3_bucket" "x" {\n', 'dynamic "x" {\n', 'for_each = ', 'count = 2\n', 'tags = {\n', 'jobs:\n', 'on: push\n', 'image: x\n'];
const NESTS: [string, string][] = [
  ['[', ']'],
  ['{', '}'],
  ['(', ')'],
  ['{ a = ', ' }'],
  ['{a: ', '}'],
  ['- ', ''],
];

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const at = (text: string, rng: Rng) => rng.int(text.length + 1);
const insert = (name: string, offset: number, text: string): Mutation => ({ name, start: offset, end: offset, text });

export const MUTATORS: Record<string, Mutator> = {
  /** Cut the file somewhere (a save in the middle of a paste, a truncated download). */
  truncate: (text, rng) => ({ name: 'truncate', start: at(text, rng), end: text.length, text: '' }),
  /** Replace one character by another, as a flipped byte would after decoding. */
  flip: (text, rng) => {
    const start = rng.int(Math.max(text.length, 1));
    return { name: 'flip', start, end: Math.min(start + 1, text.length), text: String.fromCharCode(rng.between(1, 0x7e)) };
  },
  brace: (text, rng) => insert('brace', at(text, rng), rng.pick(BRACKETS)),
  quote: (text, rng) => insert('quote', at(text, rng), rng.pick(QUOTES)),
  syntax: (text, rng) => insert('syntax', at(text, rng), rng.pick(SYNTAX)),
  unicode: (text, rng) => {
    const start = at(text, rng);
    const replace = rng.chance(0.3) ? Math.min(start + rng.between(1, 3), text.length) : start;
    return { name: 'unicode', start, end: replace, text: rng.pick(UNICODE) };
  },
  deleteLines: (text, rng) => {
    const starts = lineStarts(text);
    const first = rng.int(starts.length);
    const last = Math.min(starts.length, first + rng.between(1, 4));
    return { name: 'deleteLines', start: starts[first]!, end: last < starts.length ? starts[last]! : text.length, text: '' };
  },
  duplicateLines: (text, rng) => {
    const starts = lineStarts(text);
    const first = rng.int(starts.length);
    const end = first + 3 < starts.length ? starts[first + 3]! : text.length;
    return insert('duplicateLines', end, text.slice(starts[first]!, end) + (end === text.length ? '\n' : ''));
  },
  /** Re-indent a line (YAML structure lives in indentation). */
  indent: (text, rng) => {
    const starts = lineStarts(text);
    const start = starts[rng.int(starts.length)]!;
    if (rng.chance(0.5)) return insert('indent', start, ' '.repeat(rng.between(1, 4)));
    const spaces = /^[ \t]*/.exec(text.slice(start))![0].length;
    return { name: 'indent', start, end: start + Math.min(spaces, rng.between(1, 4)), text: '' };
  },
  /** Mix line endings: \n → \r\n over a span, \r\n → \n, or a lone \r. */
  lineEndings: (text, rng) => {
    const start = at(text, rng);
    const end = Math.min(text.length, start + rng.between(1, 400));
    const span = text.slice(start, end);
    const choice = rng.int(3);
    if (choice === 0) return { name: 'lineEndings', start, end, text: span.replace(/\r?\n/g, '\r\n') };
    if (choice === 1) return { name: 'lineEndings', start, end, text: span.replace(/\r\n/g, '\n') };
    return insert('lineEndings', start, '\r');
  },
  /** A byte order mark at the start (where editors put it) or anywhere. */
  bom: (text, rng) => insert('bom', rng.chance(0.7) ? 0 : at(text, rng), '\ufeff'),
  /** Deep nesting at a value position: many openers, and usually their closers. */
  nest: (text, rng) => {
    const [open, close] = rng.pick(NESTS);
    const depth = rng.between(100, 3000);
    const values = [...text.matchAll(/(?:= |: )/g)].map((m) => m.index! + m[0].length);
    const offset = values.length && rng.chance(0.8) ? rng.pick(values) : at(text, rng);
    const closed = rng.chance(0.8);
    // At a value, replace the value (to the end of its line), so the result is often well-formed.
    const eol = /[\r\n]|$/.exec(text.slice(offset))!.index + offset;
    return { name: 'nest', start: offset, end: rng.chance(0.8) ? eol : offset, text: open.repeat(depth) + (closed ? 'x' + close.repeat(depth) : '') };
  },
  /** Move a chunk elsewhere (cut and paste). */
  move: (text, rng) => {
    const start = at(text, rng);
    const end = Math.min(text.length, start + rng.between(1, 200));
    return { name: 'move', start, end, text: '' };
  },
};

const NAMES = Object.keys(MUTATORS);

/** One random mutation of `text`. */
export function mutate(text: string, rng: Rng): Mutation {
  return MUTATORS[rng.pick(NAMES)]!(text, rng);
}

/** The single edit that turns `from` into `to` (common prefix and suffix kept). */
export function diff(from: string, to: string): Mutation {
  let start = 0;
  const max = Math.min(from.length, to.length);
  while (start < max && from.charCodeAt(start) === to.charCodeAt(start)) start++;
  let endFrom = from.length;
  let endTo = to.length;
  while (endFrom > start && endTo > start && from.charCodeAt(endFrom - 1) === to.charCodeAt(endTo - 1)) {
    endFrom--;
    endTo--;
  }
  return { name: 'restore', start, end: endFrom, text: to.slice(start, endTo) };
}
