/**
 * Regular expressions in a policy's `assert` run on every keystroke, inside
 * the language server, on text the author of the policy does not control.
 * JavaScript's engine backtracks, so a pattern such as `(a+)+$` can take
 * exponential time on a short string. Two bounds keep that from happening:
 *
 * 1. Before a policy is compiled, each pattern is parsed and rejected when it
 *    has a shape known to backtrack badly: a quantified group whose body can
 *    itself repeat (star height above one), a quantified alternation whose
 *    branches can start with the same character, a back-reference, or three
 *    or more adjacent unbounded repeats over overlapping characters.
 * 2. A string longer than MAX_TESTED_LENGTH is never tested: the pattern counts
 *    as satisfied (no verdict rather than a stalled server). What is left is at
 *    worst quadratic on 1,000 characters.
 */
export const MAX_TESTED_LENGTH = 1000;

/** Why a pattern is refused, or undefined when it is safe to run. */
export function unsafePattern(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `is not a valid regular expression (${(e as Error).message.replace(/^Invalid regular expression: /, '')})`;
  }
  let tree: Seq;
  try {
    tree = new PatternParser(pattern).parse();
  } catch (e) {
    return (e as Error).message;
  }
  return problemIn(tree);
}

/** The RegExp engine given to ajv: patterns compile as usual, but overlong strings are not tested. */
export const boundedRegExp = Object.assign(
  (pattern: string, flags: string) => {
    const re = new RegExp(pattern, flags);
    // ajv caches compiled patterns under `toString()`: each must name its own pattern,
    // or every pattern of an ajv instance would share the first one.
    return { test: (s: string) => s.length > MAX_TESTED_LENGTH || re.test(s), toString: () => re.toString() };
  },
  { code: 'boundedRegExp' },
);

// ---- a small parser for the shapes that matter --------------------------------

/** A set of first characters: `any` when it cannot be told (or is everything). */
type CharSet = { readonly any: true } | { readonly any: false; readonly chars: ReadonlySet<string>; readonly classes: ReadonlySet<string> };

interface Atom {
  readonly kind: 'char' | 'class' | 'group' | 'backref' | 'assertion';
  readonly first: CharSet;
  /** For groups: the alternatives. */
  readonly alternatives?: readonly Seq[];
  /** The quantifier applied: `unbounded` for `*`, `+`, `{n,}`; `bounded` for `?`, `{n}`, `{n,m}`. */
  quantifier?: 'unbounded' | 'bounded';
  readonly minZero?: boolean;
}

type Seq = Atom[];

const ANY: CharSet = { any: true };
const chars = (...c: string[]): CharSet => ({ any: false, chars: new Set(c), classes: new Set() });
const cls = (name: string): CharSet => ({ any: false, chars: new Set(), classes: new Set([name]) });

class PatternParser {
  private i = 0;
  constructor(private readonly src: string) {}

  parse(): Seq {
    const alts = this.alternatives();
    return alts.length === 1 ? alts[0]! : [{ kind: 'group', first: unionAll(alts.map(firstOf)), alternatives: alts }];
  }

  private alternatives(): Seq[] {
    const out: Seq[] = [this.sequence()];
    while (this.src[this.i] === '|') {
      this.i++;
      out.push(this.sequence());
    }
    return out;
  }

  private sequence(): Seq {
    const seq: Seq = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const atom = this.atom();
      this.quantifier(atom);
      seq.push(atom);
    }
    return seq;
  }

  private atom(): Atom {
    const c = this.src[this.i++]!;
    if (c === '(') {
      let lookaround = false;
      if (this.src[this.i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[A-Za-z_$][\w$]*>)/.exec(this.src.slice(this.i));
        if (m) {
          lookaround = /^\?(=|!|<=|<!)$/.test(m[0]);
          this.i += m[0].length;
        }
      }
      const alternatives = this.alternatives();
      this.i++; // ')'
      if (lookaround) return { kind: 'assertion', first: chars() };
      return { kind: 'group', first: unionAll(alternatives.map(firstOf)), alternatives };
    }
    if (c === '[') return { kind: 'class', first: this.charClass() };
    if (c === '.') return { kind: 'class', first: ANY };
    if (c === '^' || c === '$') return { kind: 'assertion', first: chars() };
    if (c === '\\') return this.escape();
    return { kind: 'char', first: chars(c) };
  }

  private escape(): Atom {
    const c = this.src[this.i++]!;
    if (/[1-9]/.test(c) || (c === 'k' && this.src[this.i] === '<')) throw new Error('uses a back-reference, which can take exponential time: match the text without referring back');
    if (c === 'b' || c === 'B') return { kind: 'assertion', first: chars() };
    if ('dDwWsS'.includes(c)) return { kind: 'class', first: cls(c) };
    if (c === 'p' || c === 'P' || c === 'u' || c === 'x' || c === 'c') {
      const m = /^(\{[^}]*\}|[0-9A-Fa-f]{2,4}|[A-Za-z])/.exec(this.src.slice(this.i));
      if (m) this.i += m[0].length;
      return { kind: 'class', first: ANY };
    }
    return { kind: 'char', first: chars(c) };
  }

  /** A bracket class; its first set is its literal characters, or `any` when it holds ranges or negation. */
  private charClass(): CharSet {
    const members = new Set<string>();
    const classes = new Set<string>();
    let any = false;
    if (this.src[this.i] === '^') {
      any = true;
      this.i++;
    }
    while (this.i < this.src.length && this.src[this.i] !== ']') {
      const c = this.src[this.i++]!;
      if (c === '\\') {
        const e = this.src[this.i++]!;
        if ('dDwWsS'.includes(e)) classes.add(e);
        else if ('pPuxc'.includes(e)) any = true;
        else members.add(e);
      } else if (this.src[this.i] === '-' && this.src[this.i + 1] !== ']' && this.i + 1 < this.src.length) {
        const end = this.src[this.i + 1]!;
        this.i += 2;
        // A small range is spelled out (a-z, 0-9), so overlap checks stay exact.
        const from = c.codePointAt(0)!;
        const to = end === '\\' ? from : end.codePointAt(0)!;
        if (to - from > 200 || end === '\\') any = true;
        else for (let x = from; x <= to; x++) members.add(String.fromCodePoint(x));
      } else members.add(c);
    }
    this.i++; // ']'
    return any ? ANY : { any: false, chars: members, classes };
  }

  private quantifier(atom: Atom): void {
    const c = this.src[this.i];
    let q: Atom['quantifier'];
    let minZero = false;
    if (c === '*' || c === '+') {
      q = 'unbounded';
      minZero = c === '*';
      this.i++;
    } else if (c === '?') {
      q = 'bounded';
      minZero = true;
      this.i++;
    } else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.src.slice(this.i));
      if (!m) return;
      this.i += m[0].length;
      q = m[2] !== undefined && m[3] === '' ? 'unbounded' : 'bounded';
      minZero = m[1] === '0';
    } else return;
    if (this.src[this.i] === '?') this.i++; // lazy: same backtracking on failure
    atom.quantifier = q;
    (atom as { minZero?: boolean }).minZero = minZero;
  }
}

function firstOf(seq: Seq): CharSet {
  let out: CharSet = chars();
  for (const a of seq) {
    out = union(out, a.first);
    // Past an atom that must match something, later atoms cannot start the match.
    if (!(a.minZero || a.kind === 'assertion')) break;
  }
  return out;
}

function union(a: CharSet, b: CharSet): CharSet {
  if (a.any || b.any) return ANY;
  return { any: false, chars: new Set([...a.chars, ...b.chars]), classes: new Set([...a.classes, ...b.classes]) };
}

function unionAll(sets: readonly CharSet[]): CharSet {
  return sets.reduce(union, chars());
}

const CLASS_TEST: Record<string, RegExp> = { d: /\d/, D: /\D/, w: /\w/, W: /\W/, s: /\s/, S: /\S/ };

/** Whether two first sets can share a character (conservatively: yes when unsure). */
function overlaps(a: CharSet, b: CharSet): boolean {
  if (a.any || b.any) return !(isEmpty(a) || isEmpty(b));
  for (const c of a.chars) if (b.chars.has(c) || [...b.classes].some((k) => CLASS_TEST[k]!.test(c))) return true;
  for (const c of b.chars) if ([...a.classes].some((k) => CLASS_TEST[k]!.test(c))) return true;
  for (const x of a.classes) for (const y of b.classes) if (x === y || !isComplement(x, y)) return true;
  return false;
}

function isComplement(x: string, y: string): boolean {
  return x !== y && x.toLowerCase() === y.toLowerCase();
}

function isEmpty(s: CharSet): boolean {
  return !s.any && s.chars.size === 0 && s.classes.size === 0;
}

/**
 * Whether a group body repeats in a way the engine can split in many ways: an
 * unbounded part (or a group holding one) not closed by a required character
 * it cannot match. `\d+\.` splits one way only; `a+b?` and `(a+)` do not.
 */
function ambiguousRepeat(seq: Seq): boolean {
  return seq.some((a, i) => {
    const unbounded = a.quantifier === 'unbounded' || (a.alternatives?.some(ambiguousRepeat) ?? false);
    if (!unbounded) return false;
    const next = seq[i + 1];
    const closes = next && !next.minZero && !next.quantifier && (next.kind === 'char' || next.kind === 'class') && !overlaps(a.first, next.first);
    return !closes;
  });
}

function problemIn(seq: Seq): string | undefined {
  let run = 0;
  let previous: CharSet | undefined;
  for (const a of seq) {
    if (a.alternatives) {
      const inner = a.alternatives.map(problemIn).find((p) => p);
      if (inner) return inner;
      if (a.quantifier === 'unbounded' && a.alternatives.some(ambiguousRepeat)) {
        return 'nests a repeated part inside a repeated group (like (a+)+), which can take exponential time: repeat only one of them, or end the inner repeat with a character it cannot match (like (\\d+\\.)*)';
      }
      if (a.quantifier && a.alternatives.length > 1) {
        const firsts = a.alternatives.map(firstOf);
        for (let i = 0; i < firsts.length; i++)
          for (let j = i + 1; j < firsts.length; j++)
            if (overlaps(firsts[i]!, firsts[j]!)) return 'repeats an alternation whose branches can match the same text (like (a|ab)*), which can take exponential time: make the branches start differently';
      }
    }
    if (a.quantifier === 'unbounded') {
      run = previous && overlaps(previous, a.first) ? run + 1 : 1;
      if (run >= 3) return 'has three or more adjacent repeats over the same characters (like \\d+\\d+\\d+), which can take polynomial time: merge them into one';
      previous = a.first;
    } else if (a.kind !== 'assertion') {
      run = 0;
      previous = undefined;
    }
  }
  return undefined;
}
