import type { HclBlock, HclBody, HclExpr, HclFile, HclLiteral, TemplatePart } from '../../model/hcl';

/**
 * Renders the HCL model in exactly the JSON shape of `@cdktf/hcl2json` (which
 * wraps `tmccombs/hcl2json` with `Simplify: false`). The conformance test holds
 * every file of a corpus to `deepStrictEqual` with hcl2json's own output, so
 * the rules below copy its conversion, quirks included:
 *
 * - blocks nest by type, then label; the innermost key holds an array of bodies;
 * - number, bool and null literals (and `-`/`!` applied to one) are JSON values;
 * - strings keep `${` and `%{` escaped as `$${` and `%%{`;
 * - any other expression is `"${<its exact source>}"`;
 * - inside a string, interpolated literals are inlined as text, a conditional
 *   becomes `%{if c}a%{else}b%{endif}` (no `%{else}` when b renders empty) and
 *   directives are re-rendered without spaces or strip markers.
 *
 * Known gap: a template whose only content besides one interpolation is
 * whitespace removed by strip markers (`" ${~x~} "`) is a plain template for
 * HCL but a pass-through `"${x}"` here. The two render differently only when
 * `x` is a literal number, bool, tuple, object or conditional.
 */
export function hclToJson(file: HclFile): unknown {
  return body(file.body);
}

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

function body(b: HclBody): JsonObject {
  const out: JsonObject = {};
  // hcl2json writes blocks first, then attributes (an attribute wins a name clash).
  for (const block of b.blocks) addBlock(out, block);
  for (const a of b.attributes) set(out, a.name, value(a.expr));
  return out;
}

/** `resource "a" "b" {…}` goes to `out.resource.a.b`, an array collecting every such block. */
function addBlock(out: JsonObject, block: HclBlock): void {
  let target = out;
  let key = block.type;
  for (const label of block.labels) {
    const existing = target[key];
    if (existing === undefined) set(target, key, {});
    else if (!isObject(existing)) throw new Error(`hcl2json cannot convert block ${block.type}: "${key}" is not an object`);
    target = target[key] as JsonObject;
    key = label.value;
  }
  const existing = target[key];
  if (existing !== undefined && !Array.isArray(existing))
    throw new Error(`hcl2json cannot convert block ${block.type}: "${key}" is not a list`);
  set(target, key, [...(existing ?? []), body(block.body)]);
}

/** hcl2json's `convertExpression`. */
function value(e: HclExpr): Json {
  switch (e.type) {
    case 'literal':
      return typeof e.value === 'string' ? escapeTemplate(e.value) : e.value;
    case 'template':
      return isPassThrough(e.parts) ? value(e.parts[0].expr) : renderParts(e.parts);
    case 'tuple':
      return e.items.map(value);
    case 'object': {
      const out: JsonObject = {};
      for (const item of e.items) set(out, objectKey(item.keyExpr), value(item.value));
      return out;
    }
    default:
      return wrap(e);
  }
}

/** hcl2json's `convertStringPart`: an expression as it appears inside a string. */
function stringPart(e: HclExpr): string {
  switch (e.type) {
    case 'literal':
      if (isFoldedUnary(e)) return wrap(e);
      if (typeof e.value === 'string') return escapeTemplate(e.value);
      if (typeof e.value === 'number') return numberText(e.source);
      return String(e.value);
    case 'template':
      return isPassThrough(e.parts) ? stringPart(e.parts[0].expr) : renderParts(e.parts);
    case 'conditional': {
      const [condition, whenTrue, whenFalse] = e.children;
      if (!condition || !whenTrue || !whenFalse) return wrap(e);
      return conditional(condition, stringPart(whenTrue), stringPart(whenFalse));
    }
    default:
      return wrap(e);
  }
}

function renderParts(parts: readonly TemplatePart[]): string {
  let out = '';
  for (const p of parts) {
    switch (p.kind) {
      case 'literal':
        out += escapeTemplate(p.value);
        break;
      case 'interpolation':
        out += stringPart(p.expr);
        break;
      case 'if':
        out += conditional(p.condition, renderParts(p.then), renderParts(p.else));
        break;
      case 'for': {
        const vars = p.keyVar ? `${p.keyVar}, ${p.valueVar}` : p.valueVar;
        out += `%{for ${vars} in ${p.collection.source}}${renderParts(p.body)}%{endfor}`;
        break;
      }
    }
  }
  return out;
}

function conditional(condition: HclExpr, whenTrue: string, whenFalse: string): string {
  const otherwise = whenFalse === '' ? '' : `%{else}${whenFalse}`;
  return `%{if ${condition.source}}${whenTrue}${otherwise}%{endif}`;
}

/** hcl2json's `convertKey`: a bare name is kept as written, anything else rendered as a string. */
function objectKey(k: HclExpr): string {
  return k.type === 'traversal' ? k.source : stringPart(k);
}

/** `"${x}"` alone: HCL unwraps it, so `"${1}"` is the number 1 and `"${a ? b : c}"` stays an expression. */
function isPassThrough(parts: readonly TemplatePart[]): parts is readonly [Extract<TemplatePart, { kind: 'interpolation' }>] {
  return parts.length === 1 && parts[0]!.kind === 'interpolation';
}

/** The model folds `-2` and `!true` into literals; inside strings HCL keeps them as expressions. */
function isFoldedUnary(e: HclLiteral): boolean {
  return /^[-!]/.test(e.source);
}

function wrap(e: HclExpr): string {
  return `\${${e.source}}`;
}

/** Literal text stays escaped in hcl2json's output, so a real `${` is never read as interpolation. */
function escapeTemplate(s: string): string {
  return s.replace(/[$%]\{/g, (m) => m[0] + m);
}

/**
 * A number converted to a string the way cty does (`big.Float.Text('f', -1)`):
 * plain decimal notation, no exponent, no insignificant zeros — `1.50` → "1.5",
 * `1e3` → "1000", `1e-7` → "0.0000001".
 */
export function numberText(source: string): string {
  const m = /^(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(source.trim());
  if (!m) return String(Number(source));
  const digits = (m[1] ?? '') + (m[2] ?? '');
  const point = (m[1] ?? '').length + Number(m[3] ?? 0);
  let int: string;
  let frac: string;
  if (point <= 0) {
    int = '0';
    frac = '0'.repeat(-point) + digits;
  } else if (point >= digits.length) {
    int = digits + '0'.repeat(point - digits.length);
    frac = '';
  } else {
    int = digits.slice(0, point);
    frac = digits.slice(point);
  }
  int = int.replace(/^0+(?=\d)/, '');
  frac = frac.replace(/0+$/, '');
  return frac ? `${int}.${frac}` : int;
}

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Assigns as an own property even for a key like `__proto__`, as JSON.parse does. */
function set(o: JsonObject, key: string, v: Json): void {
  Object.defineProperty(o, key, { value: v, enumerable: true, writable: true, configurable: true });
}
