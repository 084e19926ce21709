import type { HclBlock, HclExpr, HclOtherExpr, HclTraversal, TemplatePart, TraversalStep } from '../model/hcl';
import type { Position, Range } from '../model/location';
import { EvalError, FUNCTIONS, str } from './functions';
import {
  copyKeyOrigins,
  findUnknown,
  isRecord,
  isUnknown,
  PartialList,
  PartialMap,
  ResourceRef,
  sameValue,
  setKeyOrigin,
  Unknown,
  type Value,
} from './value';

/** One instance of a resource or module call with `count` / `for_each`. */
export interface Instance {
  /** The instance key: `count.index` or `each.key`. */
  readonly key: string | number;
  readonly each?: { readonly key: string; readonly value: Value };
  readonly index?: number;
}

/** What the evaluator asks of the module it evaluates in (implemented by TerraformModule). */
export interface EvalHost {
  readonly dir: string;
  variableValue(name: string): Value;
  localValue(name: string): Value;
  resource(type: string, name: string): HclBlock | undefined;
  /** The outputs of `module.<name>` as a map, or Unknown. */
  moduleOutputs(name: string, at: Range): Value;
  instances(block: HclBlock): readonly Instance[] | Unknown;
  readonly pathModule: string;
}

export interface Scope {
  readonly within?: HclBlock;
  readonly instance?: Instance;
  /** Names bound by `for` expressions and templates. */
  readonly bound?: ReadonlyMap<string, Value>;
  /** Document of the expression when there is no `within` block (tfvars). */
  readonly uri?: string;
}

/** Roots of references that are never resources. */
const NON_RESOURCE_ROOTS = new Set(['var', 'local', 'data', 'module', 'each', 'count', 'path', 'terraform', 'self']);

/**
 * Evaluates an expression the way Terraform would, as far as the workspace
 * shows; whatever it cannot know is Unknown with its origin. Never throws.
 */
export function evaluate(host: EvalHost, expr: HclExpr, scope: Scope): Value {
  // An expression over each/count in a block with several instances: evaluate
  // per instance; one answer if all instances agree.
  if (scope.within && !scope.instance && usesInstance(expr, scope)) {
    const insts = host.instances(scope.within);
    if (!Array.isArray(insts)) {
      const u = insts as Unknown;
      const ref = forEachRef(host, expr, scope);
      if (ref) return ref;
      // `aws_s3_bucket.x[count.index].id` names the same block whatever the instance.
      const plain = evaluate(host, expr, { ...scope, instance: { key: 0 } });
      return isUnknown(plain) ? new Unknown(`${shorten(expr.source)} differs per instance: ${u.origin}`, expr.range) : plain;
    }
    if (insts.length === 0) return new Unknown(`${shorten(expr.source)}: the block has no instances`, expr.range);
    const values = insts.map((instance) => evaluate(host, expr, { ...scope, instance }));
    const first = values[0]!;
    if (values.every((v) => sameValue(v, first)) || (values.length === 1 && !isUnknown(first))) return first;
    return values.find(isUnknown) ?? new Unknown(`${shorten(expr.source)} differs per instance`, expr.range);
  }
  try {
    return new Evaluator(host, scope).eval(expr);
  } catch (e) {
    if (e instanceof EvalError) return new Unknown(`${shorten(expr.source)}: ${e.message}`, expr.range);
    throw e;
  }
}

/** `each.value.id` over `for_each = aws_s3_bucket.x`: the referenced resource, whatever the instance. */
function forEachRef(host: EvalHost, expr: HclExpr, scope: Scope): Value | undefined {
  if (expr.type !== 'traversal' || expr.root !== 'each' || !scope.within) return undefined;
  const first = expr.steps[0];
  if (first?.kind !== 'attr' || first.name !== 'value') return undefined;
  const forEach = scope.within.body.attributes.find((a) => a.name === 'for_each');
  if (!forEach) return undefined;
  const target = evaluate(host, forEach.expr, {});
  if (target instanceof ResourceRef && target.path.length === 0)
    return new ResourceRef(target.block, expr.steps.slice(1).flatMap((s) => (s.kind === 'attr' ? [s.name] : [])));
  return undefined;
}

function usesInstance(expr: HclExpr, scope: Scope): boolean {
  let found = false;
  visit(expr, (e) => {
    if (e.type === 'traversal' && (e.root === 'each' || e.root === 'count') && !scope.bound?.has(e.root)) found = true;
  });
  return found;
}

function visit(expr: HclExpr, f: (e: HclExpr) => void): void {
  f(expr);
  switch (expr.type) {
    case 'tuple':
      expr.items.forEach((e) => visit(e, f));
      break;
    case 'object':
      expr.items.forEach((i) => (visit(i.keyExpr, f), visit(i.value, f)));
      break;
    case 'template': {
      const parts = (ps: readonly TemplatePart[]): void =>
        ps.forEach((p) => {
          if (p.kind === 'interpolation') visit(p.expr, f);
          else if (p.kind === 'if') (visit(p.condition, f), parts(p.then), parts(p.else));
          else if (p.kind === 'for') (visit(p.collection, f), parts(p.body));
        });
      parts(expr.parts);
      break;
    }
    case 'traversal':
      expr.steps.forEach((s) => s.kind === 'index' && visit(s.key, f));
      break;
    case 'literal':
      break;
    default:
      expr.children.forEach((e) => visit(e, f));
  }
}

class Evaluator {
  constructor(
    private readonly host: EvalHost,
    private readonly scope: Scope,
  ) {}

  private with(bound: ReadonlyMap<string, Value>): Evaluator {
    return new Evaluator(this.host, { ...this.scope, bound });
  }

  eval(expr: HclExpr): Value {
    switch (expr.type) {
      case 'literal':
        return expr.value;
      case 'tuple': {
        const items = expr.items.map((e) => this.eval(e));
        return items;
      }
      case 'object':
        return this.object(expr);
      case 'template':
        return this.template(expr.parts, expr.range);
      case 'traversal':
        return this.traversal(expr);
      case 'parens':
        return this.eval(expr.children[0]!);
      case 'call':
        return this.call(expr);
      case 'conditional':
        return this.conditional(expr);
      case 'operation':
        return this.operation(expr);
      case 'for':
        return this.forExpr(expr);
      default:
        return new Unknown(`${shorten(expr.source)} does not parse`, expr.range);
    }
  }

  private object(expr: Extract<HclExpr, { type: 'object' }>): Value {
    const out: Record<string, Value> = {};
    let unknown: Unknown | undefined;
    const uri = this.scope.within?.uri ?? this.scope.uri;
    for (const item of expr.items) {
      let key = item.key;
      if (key === undefined) {
        const k = this.eval(item.keyExpr);
        if (isUnknown(k)) {
          unknown ??= new Unknown(`map key ${shorten(item.keyExpr.source)} is computed: ${k.origin}`, item.keyRange, uri);
          continue;
        }
        key = str(k);
      }
      out[key] = this.eval(item.value);
      if (uri) setKeyOrigin(out, key, { uri, range: item.keyRange });
    }
    if (!unknown) return out;
    const partial = new PartialMap(out, unknown.origin, unknown.range, unknown.uri);
    copyKeyOrigins(out, partial);
    return partial;
  }

  private template(parts: readonly TemplatePart[], range: Range): Value {
    let s = '';
    for (const p of parts) {
      if (p.kind === 'literal') s += p.value;
      else if (p.kind === 'interpolation') {
        const v = this.eval(p.expr);
        if (isUnknown(v)) return v;
        if (v instanceof ResourceRef) return new Unknown(`${v.type}.${v.name}.${v.path.join('.')} is computed at apply`, p.expr.range);
        s += str(v);
      } else if (p.kind === 'if') {
        const c = this.eval(p.condition);
        if (isUnknown(c)) return c;
        const v = this.template(c === true || c === 'true' ? p.then : p.else, range);
        if (isUnknown(v)) return v;
        s += str(v);
      } else {
        const coll = this.eval(p.collection);
        if (isUnknown(coll)) return coll;
        for (const [k, v] of entriesOf(coll)) {
          const bound = new Map(this.scope.bound);
          if (p.keyVar) bound.set(p.keyVar, k);
          bound.set(p.valueVar, v);
          const part = this.with(bound).template(p.body, range);
          if (isUnknown(part)) return part;
          s += str(part);
        }
      }
    }
    return s;
  }

  private traversal(expr: HclTraversal): Value {
    const { root, steps } = expr;
    const bound = this.scope.bound?.get(root);
    if (bound !== undefined) return this.steps(bound, steps, expr);
    const attr0 = steps[0]?.kind === 'attr' ? steps[0].name : undefined;
    const rest = steps.slice(1);
    switch (root) {
      case 'var':
        return attr0 === undefined ? unknownRef(expr) : this.steps(this.host.variableValue(attr0), rest, expr, expr.range);
      case 'local':
        return attr0 === undefined ? unknownRef(expr) : this.steps(this.host.localValue(attr0), rest, expr, expr.range);
      case 'each': {
        const inst = this.scope.instance;
        if (!inst?.each) return new Unknown(`${shorten(expr.source)} is only known per instance`, expr.range);
        if (attr0 === 'key') return this.steps(inst.each.key, rest, expr);
        if (attr0 === 'value') return this.steps(inst.each.value, rest, expr);
        return unknownRef(expr);
      }
      case 'count': {
        const inst = this.scope.instance;
        if (attr0 === 'index' && inst?.index !== undefined) return inst.index;
        return new Unknown(`${shorten(expr.source)} is only known per instance`, expr.range);
      }
      case 'module':
        return attr0 === undefined ? unknownRef(expr) : this.steps(this.host.moduleOutputs(attr0, expr.range), rest, expr, expr.range);
      case 'path':
        if (attr0 === 'module') return this.host.pathModule;
        if (attr0 === 'root' || attr0 === 'cwd') return '.';
        return unknownRef(expr);
      case 'data':
        return new Unknown(`depends on ${shorten(expr.source)} (data source read at plan time)`, expr.range);
      case 'terraform':
        return new Unknown(`depends on ${shorten(expr.source)} (chosen when Terraform runs)`, expr.range);
      case 'self':
        return new Unknown(`depends on ${shorten(expr.source)} (computed at apply)`, expr.range);
    }
    if (NON_RESOURCE_ROOTS.has(root) || attr0 === undefined) return unknownRef(expr);
    const block = this.host.resource(root, attr0);
    if (!block) return new Unknown(`depends on ${shorten(expr.source)}`, expr.range);
    return new ResourceRef(block, rest.flatMap((s) => (s.kind === 'attr' ? [s.name] : [])));
  }

  /** Applies traversal steps to a value; an Unknown stays Unknown (re-anchored at `at` when given). */
  private steps(v: Value, steps: readonly TraversalStep[], expr: HclTraversal, at?: Range): Value {
    let cur = v;
    for (let i = 0; i < steps.length; i++) {
      if (cur instanceof PartialMap) {
        const s = steps[i]!;
        const key = s.kind === 'attr' ? s.name : s.kind === 'index' ? this.eval(s.key) : undefined;
        if (typeof key === 'string' && key in cur.entries) {
          cur = cur.entries[key]!;
          continue;
        }
      }
      if (isUnknown(cur)) return at && !cur.range ? new Unknown(cur.origin, at) : cur;
      const s = steps[i]!;
      if (cur instanceof ResourceRef) return cur;
      if (s.kind === 'splat') {
        const items = cur === null ? [] : Array.isArray(cur) ? (cur as Value[]) : [cur];
        const rest = steps.slice(i + 1);
        return items.map((x) => this.steps(x, rest, expr, at));
      }
      const key = s.kind === 'attr' ? s.name : this.eval(s.key);
      if (isUnknown(key)) return key;
      if (Array.isArray(cur)) {
        const n = typeof key === 'number' ? key : Number(key);
        if (!Number.isInteger(n) || n < 0 || n >= cur.length) throw new EvalError(`index ${String(key)} out of range`);
        cur = cur[n]!;
      } else if (isRecord(cur)) {
        const k = str(key);
        if (!(k in cur)) throw new EvalError(`no attribute or key "${k}"`);
        cur = cur[k]!;
      } else throw new EvalError(`cannot index ${cur === null ? 'null' : typeof cur}`);
    }
    return cur;
  }

  private call(expr: HclOtherExpr): Value {
    const name = expr.name ?? '';
    if (name === 'try' || name === 'can') {
      for (const arg of expr.children) {
        try {
          const v = this.eval(arg);
          if (isUnknown(v)) return v;
          return name === 'can' ? true : v;
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
        }
      }
      if (name === 'can') return false;
      throw new EvalError('try: no argument succeeded');
    }
    const fn = FUNCTIONS[name];
    if (!fn) return new Unknown(`depends on ${shorten(expr.source)} (function ${name}() is not evaluated)`, expr.range);
    const args = expr.children.map((a) => this.eval(a));
    const v = fn(args);
    if (isUnknown(v) && !v.range) return v instanceof PartialMap || v instanceof PartialList ? v : new Unknown(v.origin, expr.range);
    return v;
  }

  private conditional(expr: HclOtherExpr): Value {
    const [c, t, f] = expr.children;
    const cond = this.eval(c!);
    if (isUnknown(cond)) {
      const a = this.eval(t!);
      const b = this.eval(f!);
      return sameValue(a, b) ? a : new Unknown(`condition ${shorten(c!.source)} is unknown: ${cond.origin}`, cond.range ?? c!.range);
    }
    return this.eval(cond === true || cond === 'true' ? t! : f!);
  }

  private operation(expr: HclOtherExpr): Value {
    const ch = rejoinOperands(expr.children);
    if (ch.length === 1) {
      const op = textBetween(expr, expr.range.start, ch[0]!.range.start).trim();
      const v = this.eval(ch[0]!);
      if (isUnknown(v)) return v;
      if (op === '!') return !bool(v);
      if (op === '-') return -num(v);
      return new Unknown(`${shorten(expr.source)} is not evaluated`, expr.range);
    }
    if (ch.length !== 2) return new Unknown(`${shorten(expr.source)} is not evaluated`, expr.range);
    const op = textBetween(expr, ch[0]!.range.end, ch[1]!.range.start).trim();
    const a = this.eval(ch[0]!);
    // Short-circuit on a known side, as Terraform does for && and ||.
    if (op === '&&' && a === false) return false;
    if (op === '||' && a === true) return true;
    const b = this.eval(ch[1]!);
    if (op === '&&' && b === false) return false;
    if (op === '||' && b === true) return true;
    const u = findUnknown([a, b]);
    if (u) return u;
    const ref = [a, b].find((x): x is ResourceRef => x instanceof ResourceRef);
    if (ref) return new Unknown(`depends on ${ref.type}.${ref.name}${ref.path.map((p) => `.${p}`).join('')} (computed at apply)`, expr.range);
    switch (op) {
      case '==':
        return sameValue(a, b);
      case '!=':
        return !sameValue(a, b);
      case '&&':
        return bool(a) && bool(b);
      case '||':
        return bool(a) || bool(b);
      case '+':
        return num(a) + num(b);
      case '-':
        return num(a) - num(b);
      case '*':
        return num(a) * num(b);
      case '/':
        return num(a) / num(b);
      case '%':
        return num(a) % num(b);
      case '<':
        return num(a) < num(b);
      case '>':
        return num(a) > num(b);
      case '<=':
        return num(a) <= num(b);
      case '>=':
        return num(a) >= num(b);
      default:
        return new Unknown(`${shorten(expr.source)} is not evaluated`, expr.range);
    }
  }

  private forExpr(expr: HclOtherExpr): Value {
    const m = /^([[{])\s*for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\b/.exec(expr.source);
    if (!m) return new Unknown(`${shorten(expr.source)} is not evaluated`, expr.range);
    const isObject = m[1] === '{';
    const [keyVar, valueVar] = m[3] ? [m[2]!, m[3]] : [undefined, m[2]!];
    const [coll, ...rest] = expr.children;
    const bodyCount = isObject ? 2 : 1;
    const body = rest.slice(0, bodyCount);
    const cond = rest[bodyCount];
    const grouping = isObject && /\.\.\.\s*(if\b[\s\S]*)?}$/.test(expr.source);
    const c = this.eval(coll!);
    if (isUnknown(c)) return new Unknown(`for expression over ${shorten(coll!.source)}: ${c.origin}`, c.range ?? coll!.range);
    const outList: Value[] = [];
    const outMap: Record<string, Value> = {};
    for (const [k, v] of entriesOf(c)) {
      const bound = new Map(this.scope.bound);
      if (keyVar) bound.set(keyVar, k);
      bound.set(valueVar, v);
      const inner = this.with(bound);
      if (cond) {
        const keep = inner.eval(cond);
        if (isUnknown(keep)) return keep;
        if (!bool(keep)) continue;
      }
      if (!isObject) {
        outList.push(inner.eval(body[0]!));
        continue;
      }
      const key = inner.eval(body[0]!);
      if (isUnknown(key)) return key;
      const val = inner.eval(body[1]!);
      const ks = str(key);
      if (grouping) outMap[ks] = [...((outMap[ks] as Value[] | undefined) ?? []), val];
      else {
        if (ks in outMap) throw new EvalError(`duplicate key "${ks}" in for expression`);
        outMap[ks] = val;
      }
    }
    return isObject ? outMap : outList;
  }
}

/**
 * The HCL parser splits a traversal operand of a binary operation
 * (`count.index >= 0`) into its root and `error` pieces (`.index`); this
 * joins them back into one traversal so the operation has its two operands.
 */
function rejoinOperands(children: readonly HclExpr[]): readonly HclExpr[] {
  const out: HclExpr[] = [];
  for (const c of children) {
    const prev = out[out.length - 1];
    if (
      prev?.type === 'traversal' &&
      c.type === 'error' &&
      prev.range.end.line === c.range.start.line &&
      prev.range.end.character === c.range.start.character &&
      /^(?:\.[A-Za-z_][\w-]*|\[\s*(?:\d+|"[^"]*")\s*\])+$/.test(c.source)
    ) {
      const steps: TraversalStep[] = [...prev.steps];
      for (const m of c.source.matchAll(/\.([A-Za-z_][\w-]*)|\[\s*(\d+|"[^"]*")\s*\]/g)) {
        if (m[1]) steps.push({ kind: 'attr', name: m[1], range: c.range });
        else {
          const value: string | number = m[2]!.startsWith('"') ? (JSON.parse(m[2]!) as string) : Number(m[2]);
          steps.push({ kind: 'index', key: { type: 'literal', value, source: m[2]!, range: c.range }, range: c.range });
        }
      }
      out[out.length - 1] = { ...prev, steps, source: prev.source + c.source, range: { start: prev.range.start, end: c.range.end } };
    } else out.push(c);
  }
  return out;
}

/** The (key, value) pairs a `for` iterates: maps in lexical key order, lists by index. */
function entriesOf(v: Value): [Value, Value][] {
  if (Array.isArray(v)) return (v as Value[]).map((x, i) => [i, x]);
  if (isRecord(v))
    return Object.keys(v)
      .sort()
      .map((k) => [k, v[k]!]);
  throw new EvalError('for expression over a value that is not a collection');
}

function bool(v: Value): boolean {
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw new EvalError('a bool is required');
}

function num(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new EvalError('a number is required');
}

function unknownRef(expr: HclTraversal): Unknown {
  return new Unknown(`depends on ${shorten(expr.source)}`, expr.range);
}

/** The source text of `expr` between two positions inside it. */
function textBetween(expr: HclExpr, from: Position, to: Position): string {
  const offset = (p: Position): number => {
    const lines = expr.source.split('\n');
    let o = 0;
    for (let l = expr.range.start.line; l < p.line; l++) o += lines[l - expr.range.start.line]!.length + 1;
    return o + p.character - (p.line === expr.range.start.line ? expr.range.start.character : 0);
  };
  return expr.source.slice(offset(from), offset(to));
}

export function shorten(source: string): string {
  const oneLine = source.replace(/\s+/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}…` : oneLine;
}
