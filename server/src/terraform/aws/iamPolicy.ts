import type { HclBlock, HclExpr, HclTemplate } from '../../model/hcl';
import { LineIndex, type Located, type Range } from '../../model/location';
import { attribute, hasDynamic, header, nestedBlocks, type TerraformModule } from '../module';
import { isUnknown, PartialList, ResourceRef, Unknown, type Value } from '../value';

/**
 * IAM policy documents as Terraform writes them — `jsonencode({…})`, JSON in a
 * string or heredoc, and `data "aws_iam_policy_document"` — read into one shape
 * whose every part knows its source range, and whose parts Plumbline cannot
 * know are `unknown` (catalog §3).
 */
export type PolicyNode =
  | { readonly kind: 'object'; readonly entries: readonly { readonly key: string; readonly value: PolicyNode }[]; readonly at: Located; readonly partial?: Unknown }
  | { readonly kind: 'array'; readonly items: readonly PolicyNode[]; readonly at: Located; readonly partial?: Unknown }
  | { readonly kind: 'scalar'; readonly value: string | number | boolean | null; readonly at: Located }
  /** A reference to a resource of the module (`aws_iam_openid_connect_provider.github.arn`). */
  | { readonly kind: 'ref'; readonly ref: ResourceRef; readonly at: Located }
  | { readonly kind: 'unknown'; readonly origin: string; readonly at: Located };

export interface PolicyPrincipal {
  /** `AWS`, `Service`, `Federated`, `CanonicalUser`, or `*` for `"Principal": "*"`. */
  readonly type: PolicyNode;
  readonly identifiers: PolicyNode;
  readonly at: Located;
}

export interface PolicyCondition {
  readonly test: PolicyNode;
  readonly variable: PolicyNode;
  readonly values: PolicyNode;
  readonly at: Located;
}

export interface PolicyStatement {
  /** The statement object or `statement` block. */
  readonly at: Located;
  /** Absent = Allow in `aws_iam_policy_document`; required in JSON. */
  readonly effect?: PolicyNode;
  readonly actions?: PolicyNode;
  readonly notActions?: PolicyNode;
  readonly resources?: PolicyNode;
  readonly notResources?: PolicyNode;
  readonly principals: readonly PolicyPrincipal[];
  /** Principals or conditions Plumbline cannot enumerate (`dynamic` blocks, computed maps). */
  readonly principalsUnknown?: { readonly at: Located; readonly origin: string };
  readonly conditions: readonly PolicyCondition[];
  readonly conditionsUnknown?: { readonly at: Located; readonly origin: string };
}

export interface PolicyDocument {
  readonly statements: readonly PolicyStatement[];
  /** Statements may exist that Plumbline cannot see (the whole document, or some statements). */
  readonly unknown?: { readonly at: Located; readonly origin: string };
  /** The `aws_iam_policy_document` data block, when the document comes from one. */
  readonly dataBlock?: HclBlock;
}

/** The document an attribute such as `policy` or `assume_role_policy` holds. */
export function policyFromExpr(module: TerraformModule, expr: HclExpr, within: HclBlock): PolicyDocument {
  const doc = policyDataRef(module, expr);
  if (doc) return policyFromDataBlock(module, doc);
  return policyFromNode(nodeFromExpr(module, expr, within));
}

/** `data.aws_iam_policy_document.<d>.json` (or `.minified_json`) → the data block. */
export function policyDataRef(module: TerraformModule, expr: HclExpr): HclBlock | undefined {
  if (expr.type !== 'traversal' || expr.root !== 'data') return undefined;
  const [type, name, attr] = expr.steps;
  if (type?.kind !== 'attr' || type.name !== 'aws_iam_policy_document' || name?.kind !== 'attr') return undefined;
  if (attr && (attr.kind !== 'attr' || (attr.name !== 'json' && attr.name !== 'minified_json'))) return undefined;
  return policyDataBlocks(module).find((b) => b.labels[1]?.value === name.name);
}

export function policyDataBlocks(module: TerraformModule): readonly HclBlock[] {
  return module.topLevel('data').filter((b) => b.labels[0]?.value === 'aws_iam_policy_document');
}

/** Statements of a `data "aws_iam_policy_document"` block. */
export function policyFromDataBlock(module: TerraformModule, block: HclBlock): PolicyDocument {
  const at = (b: HclBlock): Located => header(b);
  const field = (b: HclBlock, name: string): PolicyNode | undefined => {
    const a = attribute(b, name);
    return a ? nodeFromExpr(module, a.expr, block) : undefined;
  };
  const statements: PolicyStatement[] = nestedBlocks(block, 'statement').map((s) => {
    const principals = [...nestedBlocks(s, 'principals'), ...nestedBlocks(s, 'not_principals')].map((p) => ({
      type: field(p, 'type') ?? { kind: 'unknown' as const, origin: 'principals without type', at: at(p) },
      identifiers: field(p, 'identifiers') ?? { kind: 'array' as const, items: [], at: at(p) },
      at: at(p),
    }));
    const conditions = nestedBlocks(s, 'condition').map((c) => ({
      test: field(c, 'test') ?? { kind: 'unknown' as const, origin: 'condition without test', at: at(c) },
      variable: field(c, 'variable') ?? { kind: 'unknown' as const, origin: 'condition without variable', at: at(c) },
      values: field(c, 'values') ?? { kind: 'array' as const, items: [], at: at(c) },
      at: at(c),
    }));
    const dyn = (type: string) => (hasDynamic(s, type) ? { at: at(s), origin: `dynamic "${type}" block` } : undefined);
    const principalsUnknown = dyn('principals');
    const conditionsUnknown = dyn('condition');
    const effect = field(s, 'effect');
    const actions = field(s, 'actions');
    const notActions = field(s, 'not_actions');
    const resources = field(s, 'resources');
    const notResources = field(s, 'not_resources');
    return {
      at: at(s),
      principals,
      conditions,
      ...(effect ? { effect } : {}),
      ...(actions ? { actions } : {}),
      ...(notActions ? { notActions } : {}),
      ...(resources ? { resources } : {}),
      ...(notResources ? { notResources } : {}),
      ...(principalsUnknown ? { principalsUnknown } : {}),
      ...(conditionsUnknown ? { conditionsUnknown } : {}),
    };
  });
  const extra = ['source_policy_documents', 'override_policy_documents', 'source_json', 'override_json'].find((a) => attribute(block, a));
  const unknown = hasDynamic(block, 'statement')
    ? { at: header(block), origin: 'dynamic "statement" block' }
    : extra
      ? { at: { uri: block.uri, range: attribute(block, extra)!.range }, origin: `statements merged from ${extra}` }
      : undefined;
  return { statements, dataBlock: block, ...(unknown ? { unknown } : {}) };
}

/** Statements of a JSON-shaped policy node. */
export function policyFromNode(root: PolicyNode): PolicyDocument {
  if (root.kind === 'unknown') return { statements: [], unknown: { at: root.at, origin: root.origin } };
  if (root.kind !== 'object') return { statements: [] };
  const st = entry(root, 'Statement');
  if (!st) return { statements: [], ...(root.partial ? { unknown: { at: root.at, origin: root.partial.origin } } : {}) };
  if (st.kind === 'unknown') return { statements: [], unknown: { at: st.at, origin: st.origin } };
  const items = st.kind === 'array' ? st.items : [st];
  const statements: PolicyStatement[] = [];
  let unknown: PolicyDocument['unknown'] = st.kind === 'array' && st.partial ? { at: st.at, origin: st.partial.origin } : undefined;
  for (const s of items) {
    if (s.kind === 'unknown') {
      unknown ??= { at: s.at, origin: s.origin };
      continue;
    }
    if (s.kind !== 'object') continue;
    const principals: PolicyPrincipal[] = [];
    let principalsUnknown: PolicyStatement['principalsUnknown'];
    for (const key of ['Principal', 'NotPrincipal']) {
      const p = entry(s, key);
      if (!p) continue;
      if (p.kind === 'scalar') principals.push({ type: { kind: 'scalar', value: '*', at: p.at }, identifiers: p, at: p.at });
      else if (p.kind === 'object') {
        for (const e of p.entries) principals.push({ type: { kind: 'scalar', value: e.key, at: p.at }, identifiers: e.value, at: p.at });
        if (p.partial) principalsUnknown ??= { at: p.at, origin: p.partial.origin };
      } else if (p.kind === 'unknown') principalsUnknown ??= { at: p.at, origin: p.origin };
    }
    const conditions: PolicyCondition[] = [];
    let conditionsUnknown: PolicyStatement['conditionsUnknown'];
    const c = entry(s, 'Condition');
    if (c?.kind === 'object') {
      if (c.partial) conditionsUnknown ??= { at: c.at, origin: c.partial.origin };
      for (const t of c.entries) {
        if (t.value.kind === 'object') {
          if (t.value.partial) conditionsUnknown ??= { at: t.value.at, origin: t.value.partial.origin };
          for (const v of t.value.entries)
            conditions.push({ test: { kind: 'scalar', value: t.key, at: t.value.at }, variable: { kind: 'scalar', value: v.key, at: v.value.at }, values: v.value, at: t.value.at });
        } else if (t.value.kind === 'unknown') conditionsUnknown ??= { at: t.value.at, origin: t.value.origin };
      }
    } else if (c?.kind === 'unknown') conditionsUnknown ??= { at: c.at, origin: c.origin };
    const effect = entry(s, 'Effect');
    const actions = entry(s, 'Action');
    const notActions = entry(s, 'NotAction');
    const resources = entry(s, 'Resource');
    const notResources = entry(s, 'NotResource');
    statements.push({
      at: s.at,
      principals,
      conditions,
      ...(effect ? { effect } : {}),
      ...(actions ? { actions } : {}),
      ...(notActions ? { notActions } : {}),
      ...(resources ? { resources } : {}),
      ...(notResources ? { notResources } : {}),
      ...(principalsUnknown ? { principalsUnknown } : {}),
      ...(conditionsUnknown || s.partial ? { conditionsUnknown: conditionsUnknown ?? { at: s.at, origin: s.partial!.origin } } : {}),
    });
  }
  return { statements, ...(unknown ? { unknown } : {}) };
}

function entry(node: PolicyNode, key: string): PolicyNode | undefined {
  return node.kind === 'object' ? node.entries.find((e) => e.key === key)?.value : undefined;
}

/** The elements of a string-or-list field, and whether elements may exist that Plumbline cannot see. */
export function listItems(node: PolicyNode | undefined): { readonly items: readonly PolicyNode[]; readonly unknown?: { readonly at: Located; readonly origin: string } } {
  if (!node) return { items: [] };
  if (node.kind === 'array') return { items: node.items, ...(node.partial ? { unknown: { at: node.at, origin: node.partial.origin } } : {}) };
  if (node.kind === 'unknown') return { items: [], unknown: { at: node.at, origin: node.origin } };
  return { items: [node] };
}

/** A scalar's string value; undefined for anything else. */
export function str(node: PolicyNode | undefined): string | undefined {
  return node?.kind === 'scalar' && typeof node.value === 'string' ? node.value : undefined;
}

// ---- HCL expressions → policy nodes ----------------------------------------------

function nodeFromExpr(module: TerraformModule, expr: HclExpr, within: HclBlock): PolicyNode {
  const at: Located = { uri: within.uri, range: expr.range };
  switch (expr.type) {
    case 'object': {
      const entries: { key: string; value: PolicyNode }[] = [];
      let partial: Unknown | undefined;
      for (const item of expr.items) {
        const key = item.key ?? module.evaluate(item.keyExpr, within);
        if (typeof key !== 'string') {
          partial ??= new Unknown(`map key ${item.keyExpr.source} is computed`, item.keyRange);
          continue;
        }
        entries.push({ key, value: nodeFromExpr(module, item.value, within) });
      }
      return { kind: 'object', entries, at, ...(partial ? { partial } : {}) };
    }
    case 'tuple':
      return { kind: 'array', items: expr.items.map((e) => nodeFromExpr(module, e, within)), at };
    case 'call':
      if (expr.name === 'jsonencode' && expr.children.length === 1) return nodeFromExpr(module, expr.children[0]!, within);
      break;
    case 'parens':
      if (expr.children.length === 1) return nodeFromExpr(module, expr.children[0]!, within);
      break;
    case 'literal':
    case 'template':
      if (expr.source.startsWith('<<')) return nodeFromHeredoc(module, expr, within);
      break;
  }
  const v = module.evaluate(expr, within);
  // A policy JSON string (quoted, or from a variable): exact positions are lost, the whole value is the range.
  if (typeof v === 'string' && /^\s*[{[]/.test(v)) {
    const parsed = parseJson(v, () => at);
    if (parsed) return parsed;
  }
  return nodeFromValue(v, at);
}

function nodeFromValue(v: Value, at: Located): PolicyNode {
  if (v instanceof ResourceRef) return { kind: 'ref', ref: v, at };
  if (v instanceof PartialList) return { kind: 'array', items: v.items.map((x) => nodeFromValue(x, at)), at, partial: v };
  if (isUnknown(v)) return { kind: 'unknown', origin: v.origin, at: v.range ? { uri: v.uri ?? at.uri, range: v.range } : at };
  if (Array.isArray(v)) return { kind: 'array', items: (v as readonly Value[]).map((x) => nodeFromValue(x, at)), at };
  if (typeof v === 'object' && v !== null)
    return { kind: 'object', entries: Object.entries(v as Record<string, Value>).map(([key, x]) => ({ key, value: nodeFromValue(x, at) })), at };
  return { kind: 'scalar', value: v, at };
}

/**
 * A heredoc holding JSON is parsed on its source text, so every node keeps its
 * exact range; `${…}` inside a JSON string is evaluated through the
 * template's own interpolation expressions.
 */
function nodeFromHeredoc(module: TerraformModule, expr: Extract<HclExpr, { type: 'literal' | 'template' }>, within: HclBlock): PolicyNode {
  const src = expr.source;
  const bodyStart = src.indexOf('\n') + 1;
  const bodyEnd = src.lastIndexOf('\n');
  const whole: Located = { uri: within.uri, range: expr.range };
  if (bodyStart <= 0 || bodyEnd < bodyStart) return nodeFromValue(module.evaluate(expr, within), whole);
  const lines = new LineIndex(src);
  const locate = (start: number, end: number): Located => ({ uri: within.uri, range: shift(lines.range(start, end), expr.range) });
  const interpolations = expr.type === 'template' ? templateExprs(expr) : [];
  const resolve = (raw: string, start: number, end: number): PolicyNode | undefined => {
    if (!raw.includes('${')) return undefined;
    // The string's interpolations, in order, by their position in the source.
    const inside = interpolations.filter((e) => offsetOf(lines, e.range.start, expr.range) >= start && offsetOf(lines, e.range.end, expr.range) <= end);
    if (inside.length === 0) return undefined;
    const values = inside.map((e) => module.evaluate(e, within));
    const at = locate(start - 1, end + 1);
    if (values.length === 1 && /^\$\{[^}]*\}$/.test(raw.trim())) {
      const v = values[0]!;
      return nodeFromValue(v, at);
    }
    let text = '';
    let i = 0;
    let k = 0;
    while (i < raw.length) {
      if (raw.startsWith('${', i) && k < values.length) {
        const close = raw.indexOf('}', i);
        const v = values[k++]!;
        if (isUnknown(v) || v instanceof ResourceRef || typeof v === 'object') return nodeFromValue(isUnknown(v) ? v : new Unknown(`${raw} is computed at apply`, at.range), at);
        text += String(v);
        i = close < 0 ? raw.length : close + 1;
      } else text += raw[i++];
    }
    return { kind: 'scalar', value: text, at };
  };
  return parseJson(src.slice(0, bodyEnd), locate, bodyStart, resolve) ?? nodeFromValue(module.evaluate(expr, within), whole);
}

function templateExprs(t: HclTemplate): HclExpr[] {
  const out: HclExpr[] = [];
  const walk = (parts: HclTemplate['parts']) => {
    for (const p of parts) {
      if (p.kind === 'interpolation') out.push(p.expr);
      else if (p.kind === 'if') {
        walk(p.then);
        walk(p.else);
      } else if (p.kind === 'for') walk(p.body);
    }
  };
  walk(t.parts);
  return out;
}

/** Moves a range computed inside an expression's source to document coordinates. */
function shift(r: Range, base: Range): Range {
  const pos = (p: Range['start']) => ({ line: base.start.line + p.line, character: p.line === 0 ? base.start.character + p.character : p.character });
  return { start: pos(r.start), end: pos(r.end) };
}

function offsetOf(lines: LineIndex, p: Range['start'], base: Range): number {
  const line = p.line - base.start.line;
  return lines.offset({ line, character: line === 0 ? p.character - base.start.character : p.character });
}

// ---- a JSON parser that keeps offsets ---------------------------------------------

/**
 * Parses JSON from `text` starting at `from`, returning nodes located through
 * `locate(start, end)`; `resolve` may replace a string (interpolations).
 * Returns undefined when the text is not JSON.
 */
function parseJson(
  text: string,
  locate: (start: number, end: number) => Located,
  from = 0,
  resolve?: (raw: string, start: number, end: number) => PolicyNode | undefined,
): PolicyNode | undefined {
  let i = from;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const fail = (): never => {
    throw new SyntaxError('not JSON');
  };
  const string = (): { value: string; raw: string; start: number; end: number } => {
    const start = ++i;
    let value = '';
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\\') {
        const c = text[i + 1];
        if (c === 'u') {
          value += String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16));
          i += 6;
          continue;
        }
        value += ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[c ?? ''] ?? c ?? '';
        i += 2;
        continue;
      }
      value += text[i++];
    }
    if (text[i] !== '"') fail();
    const end = i++;
    return { value, raw: text.slice(start, end), start, end };
  };
  const value = (): PolicyNode => {
    ws();
    const start = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; value: PolicyNode }[] = [];
      ws();
      if (text[i] === '}') i++;
      else
        for (;;) {
          ws();
          if (text[i] !== '"') fail();
          const key = string().value;
          ws();
          if (text[i++] !== ':') fail();
          entries.push({ key, value: value() });
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i++] !== '}') fail();
          break;
        }
      return { kind: 'object', entries, at: locate(start, i) };
    }
    if (c === '[') {
      i++;
      const items: PolicyNode[] = [];
      ws();
      if (text[i] === ']') i++;
      else
        for (;;) {
          items.push(value());
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i++] !== ']') fail();
          break;
        }
      return { kind: 'array', items, at: locate(start, i) };
    }
    if (c === '"') {
      const s = string();
      return resolve?.(s.raw, s.start, s.end) ?? { kind: 'scalar', value: s.value, at: locate(start, i) };
    }
    const m = /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
    const lit = m![0];
    return { kind: 'scalar', value: lit === 'true' ? true : lit === 'false' ? false : lit === 'null' ? null : Number(lit), at: locate(start, i) };
  };
  try {
    const node = value();
    ws();
    return i >= text.length ? node : undefined;
  } catch {
    return undefined;
  }
}
