import type { Node as SyntaxNode, Tree } from 'web-tree-sitter';
import type {
  HclAttribute,
  HclBlock,
  HclBody,
  HclComment,
  HclExpr,
  HclFile,
  HclLabel,
  HclObjectItem,
  HclOtherExpr,
  TemplatePart,
  TraversalStep,
} from '../../model/hcl';
import { LineIndex, type ParseError, type Range } from '../../model/location';

/** Turns a tree-sitter syntax tree of the Terraform grammar into the HCL model. */
export function buildHclFile(uri: string, text: string, tree: Tree): HclFile {
  return new Builder(uri, text).file(tree);
}

class Builder {
  private readonly lines: LineIndex;
  private readonly comments: HclComment[] = [];

  constructor(
    private readonly uri: string,
    private readonly text: string,
  ) {
    this.lines = new LineIndex(text);
  }

  file(tree: Tree): HclFile {
    const root = tree.rootNode;
    const bodyNode = root.namedChildren.find((c) => c?.type === 'body');
    const body = bodyNode ? this.body(bodyNode) : { attributes: [], blocks: [] };
    this.collectComments(root);
    return { uri: this.uri, text: this.text, body, errors: this.errors(root), comments: this.comments };
  }

  private range(n: SyntaxNode): Range {
    return this.lines.range(n.startIndex, n.endIndex);
  }

  private body(n: SyntaxNode): HclBody {
    const attributes: HclAttribute[] = [];
    const blocks: HclBlock[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'attribute') {
        const a = this.attribute(c);
        if (a) attributes.push(a);
      } else if (c.type === 'block') {
        const b = this.block(c);
        if (b) blocks.push(b);
      }
    }
    return { attributes, blocks };
  }

  private attribute(n: SyntaxNode): HclAttribute | undefined {
    const id = n.namedChildren.find((c) => c?.type === 'identifier');
    const exprNode = n.namedChildren.find((c) => c?.type === 'expression');
    if (!id || !exprNode) return undefined;
    return {
      kind: 'attribute',
      uri: this.uri,
      name: id.text,
      range: this.lines.range(n.startIndex, exprNode.endIndex),
      keyRange: this.range(id),
      expr: this.expr(exprNode),
    };
  }

  private block(n: SyntaxNode): HclBlock | undefined {
    let type: SyntaxNode | undefined;
    const labels: HclLabel[] = [];
    let headerEnd = n.startIndex;
    let bodyNode: SyntaxNode | undefined;
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'identifier') {
        if (!type) type = c;
        else labels.push({ value: c.text, range: this.range(c) });
        headerEnd = c.endIndex;
      } else if (c.type === 'string_lit') {
        labels.push({ value: this.stringLit(c), range: this.range(c) });
        headerEnd = c.endIndex;
      } else if (c.type === 'body') {
        bodyNode = c;
      }
    }
    if (!type) return undefined;
    return {
      kind: 'block',
      uri: this.uri,
      type: type.text,
      labels,
      range: this.range(n),
      headerRange: this.lines.range(n.startIndex, headerEnd),
      body: bodyNode ? this.body(bodyNode) : { attributes: [], blocks: [] },
      hasError: n.hasError,
    };
  }

  // ---- expressions -------------------------------------------------------

  private expr(n: SyntaxNode): HclExpr {
    const range = this.range(n);
    const source = n.text;
    switch (n.type) {
      case 'expression': {
        const kids = n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
        const [head, ...rest] = kids;
        if (!head) return this.other('error', n, []);
        if (rest.length === 0) {
          if (head.type === 'expression') return this.other('parens', n, [this.expr(head)]);
          return this.expr(head);
        }
        if (head.type === 'variable_expr') {
          const rootId = head.namedChildren[0];
          return {
            type: 'traversal',
            range,
            source,
            root: head.text,
            rootRange: this.range(rootId ?? head),
            steps: rest.flatMap((s) => this.steps(s)),
          };
        }
        // Attribute access on something other than a variable (a call, a
        // parenthesised expression …): keep it opaque.
        return this.other('operation', n, [this.expr(head)]);
      }
      case 'variable_expr':
        return { type: 'traversal', range, source, root: n.text, rootRange: range, steps: [] };
      case 'literal_value':
        return this.literal(n);
      case 'collection_value': {
        const inner = n.namedChildren[0];
        return inner ? this.expr(inner) : this.other('error', n, []);
      }
      case 'tuple':
        return {
          type: 'tuple',
          range,
          source,
          items: n.namedChildren.filter((c) => c?.type === 'expression').map((c) => this.expr(c!)),
        };
      case 'object':
        return { type: 'object', range, source, items: this.objectItems(n) };
      case 'template_expr': {
        const inner = n.namedChildren[0];
        return inner ? this.expr(inner) : this.other('error', n, []);
      }
      case 'quoted_template':
        return this.templateOrLiteral(n, this.quotedParts(n));
      case 'heredoc_template':
        return this.templateOrLiteral(n, this.heredocParts(n));
      case 'function_call': {
        const name = n.namedChildren.find((c) => c?.type === 'identifier');
        const args = n.namedChildren.find((c) => c?.type === 'function_arguments');
        const children = args ? args.namedChildren.filter((c) => c?.type === 'expression').map((c) => this.expr(c!)) : [];
        return { ...this.other('call', n, children), name: name?.text };
      }
      case 'operation': {
        const inner = n.namedChildren[0];
        if (inner?.type === 'unary_operation') {
          const folded = this.foldUnary(inner);
          if (folded) return folded;
        }
        return this.other('operation', n, this.subExpressions(inner ?? n));
      }
      case 'conditional':
        return this.other('conditional', n, this.subExpressions(n));
      case 'for_expr':
        return this.other('for', n, this.subExpressions(n.namedChildren[0] ?? n));
      default:
        return this.other('error', n, []);
    }
  }

  private other(type: HclOtherExpr['type'], n: SyntaxNode, children: HclExpr[]): HclOtherExpr {
    return { type, range: this.range(n), source: n.text, children };
  }

  private subExpressions(n: SyntaxNode): HclExpr[] {
    const out: HclExpr[] = [];
    for (const c of n.namedChildren) {
      if (!c) continue;
      if (c.type === 'for_intro' || c.type === 'for_cond') out.push(...this.subExpressions(c));
      else if (c.type !== 'identifier' && c.type !== 'comment' && !c.type.endsWith('_start') && !c.type.endsWith('_end') && c.type !== 'ellipsis')
        out.push(this.expr(c));
    }
    return out;
  }

  /** `-2` and `!true` are literals in hcl2json's eyes (and in ours). */
  private foldUnary(n: SyntaxNode): HclExpr | undefined {
    const operand = n.namedChildren[0];
    const op = n.children[0]?.text;
    if (!operand) return undefined;
    const inner = operand.type === 'expression' && operand.namedChildCount === 1 ? operand.namedChildren[0] : operand;
    if (inner?.type !== 'literal_value') return undefined;
    const lit = this.literal(inner);
    if (lit.type !== 'literal') return undefined;
    if (op === '-' && typeof lit.value === 'number')
      return { type: 'literal', range: this.range(n), source: n.text, value: -lit.value };
    if (op === '!' && typeof lit.value === 'boolean')
      return { type: 'literal', range: this.range(n), source: n.text, value: !lit.value };
    return undefined;
  }

  private literal(n: SyntaxNode): HclExpr {
    const range = this.range(n);
    const inner = n.namedChildren[0];
    const source = n.text;
    switch (inner?.type) {
      case 'numeric_lit':
        return { type: 'literal', range, source, value: Number(inner.text) };
      case 'bool_lit':
        return { type: 'literal', range, source, value: inner.text === 'true' };
      case 'null_lit':
        return { type: 'literal', range, source, value: null };
      case 'string_lit':
        return { type: 'literal', range, source, value: this.stringLit(inner) };
      default:
        return this.other('error', n, []);
    }
  }

  private steps(n: SyntaxNode): TraversalStep[] {
    const range = this.range(n);
    switch (n.type) {
      case 'get_attr': {
        const id = n.namedChildren.find((c) => c?.type === 'identifier');
        return [{ kind: 'attr', name: id?.text ?? '', range }];
      }
      case 'index': {
        const inner = n.namedChildren[0];
        if (inner?.type === 'legacy_index') {
          const num = Number(inner.text.replace(/^\./, ''));
          return [{ kind: 'index', key: { type: 'literal', range, source: String(num), value: num }, range }];
        }
        const e = inner?.namedChildren.find((c) => c?.type === 'expression');
        return e ? [{ kind: 'index', key: this.expr(e), range }] : [];
      }
      case 'splat': {
        const inner = n.namedChildren[0];
        const rest = inner ? inner.namedChildren.filter((c): c is SyntaxNode => !!c) : [];
        return [{ kind: 'splat', range }, ...rest.flatMap((s) => this.steps(s))];
      }
      default:
        return [];
    }
  }

  private objectItems(n: SyntaxNode): HclObjectItem[] {
    const items: HclObjectItem[] = [];
    for (const el of n.namedChildren) {
      if (el?.type !== 'object_elem') continue;
      const k = el.childForFieldName('key');
      const v = el.childForFieldName('val');
      if (!k || !v) continue;
      const keyExpr = this.expr(k);
      items.push({
        key: objectKeyName(keyExpr),
        keyExpr,
        keyRange: this.range(k),
        value: this.expr(v),
        range: this.lines.range(k.startIndex, v.endIndex),
      });
    }
    return items;
  }

  // ---- strings and templates ---------------------------------------------

  private stringLit(n: SyntaxNode): string {
    let s = '';
    for (const c of n.namedChildren) if (c?.type === 'template_literal') s += unescapeQuoted(c.text);
    return s;
  }

  private templateOrLiteral(n: SyntaxNode, parts: TemplatePart[]): HclExpr {
    const range = this.range(n);
    if (parts.every((p) => p.kind === 'literal'))
      return { type: 'literal', range, source: n.text, value: parts.map((p) => (p.kind === 'literal' ? p.value : '')).join('') };
    return { type: 'template', range, source: n.text, parts };
  }

  private quotedParts(n: SyntaxNode): TemplatePart[] {
    return this.parts(n.namedChildren, unescapeQuoted);
  }

  private heredocParts(n: SyntaxNode): TemplatePart[] {
    const start = n.namedChildren.find((c) => c?.type === 'heredoc_start');
    const ids = n.namedChildren.filter((c) => c?.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
    if (!open || !close) return [];
    // Content runs from the line after `<<ID` to the start of the closing line.
    const contentStart = this.text.indexOf('\n', open.endIndex) + 1;
    let contentEnd = close.startIndex;
    while (contentEnd > contentStart && /[ \t]/.test(this.text[contentEnd - 1] ?? '')) contentEnd--;
    const inner = n.namedChildren.filter(
      (c): c is SyntaxNode => !!c && c.type !== 'heredoc_start' && c.type !== 'heredoc_identifier',
    );
    const parts = this.parts(inner, unescapeHeredoc, contentStart, contentEnd);
    return start?.text.startsWith('<<-') ? stripIndent(parts) : parts;
  }

  /**
   * Template parts from the children of a quoted template, heredoc or directive.
   * Literal text is taken from the source between the non-literal parts, so that
   * heredoc text is exact; [from, to) bounds it when given.
   */
  private parts(
    children: (SyntaxNode | null)[],
    unescape: (s: string) => string,
    from?: number,
    to?: number,
  ): TemplatePart[] {
    const out: TemplatePart[] = [];
    let strip = false;
    const pushLiteral = (raw: string) => {
      if (raw === '') return;
      let value = unescape(raw);
      if (strip) value = value.replace(/^\s+/, '');
      strip = false;
      const last = out[out.length - 1];
      if (last?.kind === 'literal') out[out.length - 1] = { kind: 'literal', value: last.value + value };
      else out.push({ kind: 'literal', value });
    };
    const trimPrevious = () => {
      const last = out[out.length - 1];
      if (last?.kind === 'literal') out[out.length - 1] = { kind: 'literal', value: last.value.replace(/\s+$/, '') };
    };
    let cursor = from;
    for (const c of children) {
      if (!c) continue;
      if (c.type === 'template_literal') {
        const s = Math.max(c.startIndex, from ?? c.startIndex);
        const e = Math.min(c.endIndex, to ?? c.endIndex);
        if (cursor !== undefined && s > cursor) pushLiteral(this.text.slice(cursor, s));
        if (e > s) pushLiteral(this.text.slice(s, e));
        cursor = Math.max(cursor ?? 0, e);
        continue;
      }
      if (c.type === 'template_interpolation') {
        if (cursor !== undefined && c.startIndex > cursor) pushLiteral(this.text.slice(cursor, c.startIndex));
        const markers = c.namedChildren.filter((m) => m?.type === 'strip_marker');
        const e = c.namedChildren.find((m) => m?.type === 'expression');
        if (markers.some((m) => m!.startIndex < (e?.startIndex ?? c.endIndex))) trimPrevious();
        if (e) out.push({ kind: 'interpolation', expr: this.expr(e) });
        strip = markers.some((m) => m!.startIndex > (e?.endIndex ?? c.startIndex));
        cursor = c.endIndex;
        continue;
      }
      if (c.type === 'template_directive') {
        if (cursor !== undefined && c.startIndex > cursor) pushLiteral(this.text.slice(cursor, c.startIndex));
        const d = this.directive(c, unescape);
        if (d) out.push(d);
        cursor = c.endIndex;
      }
    }
    if (cursor !== undefined && to !== undefined && to > cursor) pushLiteral(this.text.slice(cursor, to));
    return out;
  }

  private directive(n: SyntaxNode, unescape: (s: string) => string): TemplatePart | undefined {
    const d = n.namedChildren[0];
    if (!d) return undefined;
    const kids = d.namedChildren.filter((c): c is SyntaxNode => !!c);
    if (d.type === 'template_if') {
      const intro = kids.find((c) => c.type === 'template_if_intro');
      const elseIntro = kids.find((c) => c.type === 'template_else_intro');
      const cond = intro?.namedChildren.find((c) => c?.type === 'expression');
      if (!intro || !cond) return undefined;
      const end = kids.find((c) => c.type === 'template_if_end');
      const thenKids = kids.filter((c) => c.startIndex >= intro.endIndex && (!elseIntro || c.endIndex <= elseIntro.startIndex) && c !== end && c !== elseIntro);
      const elseKids = elseIntro ? kids.filter((c) => c.startIndex >= elseIntro.endIndex && c !== end) : [];
      return {
        kind: 'if',
        condition: this.expr(cond),
        then: this.parts(thenKids, unescape, intro.endIndex, elseIntro?.startIndex ?? end?.startIndex),
        else: elseIntro ? this.parts(elseKids, unescape, elseIntro.endIndex, end?.startIndex) : [],
      };
    }
    if (d.type === 'template_for') {
      const intro = kids.find((c) => c.type === 'template_for_start');
      const end = kids.find((c) => c.type === 'template_for_end');
      if (!intro) return undefined;
      const ids = intro.namedChildren.filter((c) => c?.type === 'identifier').map((c) => c!.text);
      const coll = intro.namedChildren.find((c) => c?.type === 'expression');
      if (!coll || ids.length === 0) return undefined;
      const bodyKids = kids.filter((c) => c !== intro && c !== end);
      return {
        kind: 'for',
        keyVar: ids.length > 1 ? ids[0] : undefined,
        valueVar: ids[ids.length - 1]!,
        collection: this.expr(coll),
        body: this.parts(bodyKids, unescape, intro.endIndex, end?.startIndex),
      };
    }
    return undefined;
  }

  // ---- comments and errors -------------------------------------------------

  private collectComments(n: SyntaxNode): void {
    const cursor = n.walk();
    const visit = (): void => {
      const node = cursor.currentNode;
      if (node.type === 'comment') this.comments.push({ text: node.text, range: this.range(node) });
      if (cursor.gotoFirstChild()) {
        do visit();
        while (cursor.gotoNextSibling());
        cursor.gotoParent();
      }
    };
    visit();
    cursor.delete();
  }

  /** One parse error, at the first place the grammar could not accept. */
  private errors(root: SyntaxNode): ParseError[] {
    if (!root.hasError) return [];
    const first = findFirstError(root);
    if (!first) return [];
    if (first.isMissing) {
      return [{ message: `Syntax error: missing ${describeToken(first.type)}.`, range: this.range(first) }];
    }
    // Point at the first token the parser could not place, not at the whole region.
    let leaf: SyntaxNode = first;
    while (leaf.childCount > 0 && leaf.child(0)) leaf = leaf.child(0)!;
    const token = leaf.text.length > 40 ? `${leaf.text.slice(0, 40)}…` : leaf.text;
    const message =
      first.endIndex >= this.text.length && first.startIndex < this.text.length && /\{/.test(first.text) && !/\}/.test(first.text)
        ? 'Syntax error: this block is not closed; add "}".'
        : `Syntax error: unexpected ${token ? JSON.stringify(token) : 'end of file'}.`;
    return [{ message, range: this.range(leaf.text ? leaf : first) }];
  }
}

function findFirstError(n: SyntaxNode): SyntaxNode | undefined {
  if (n.isError || n.isMissing) return n;
  for (const c of n.children) {
    if (c && (c.hasError || c.isMissing || c.isError)) {
      const found = findFirstError(c);
      if (found) return found;
    }
  }
  return undefined;
}

function describeToken(type: string): string {
  const names: Record<string, string> = {
    block_end: '"}"',
    object_end: '"}"',
    tuple_end: '"]"',
    quoted_template_end: 'closing quote',
    template_interpolation_end: '"}" to close the interpolation',
    '=': '"="',
  };
  return names[type] ?? JSON.stringify(type);
}

function objectKeyName(e: HclExpr): string | undefined {
  if (e.type === 'traversal' && e.steps.length === 0) return e.root;
  if (e.type === 'literal' && typeof e.value === 'string') return e.value;
  return undefined;
}

const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

/** Decodes the escapes of a quoted HCL string; `$${` and `%%{` stand for literal `${` and `%{`. */
export function unescapeQuoted(raw: string): string {
  return raw.replace(/\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{/g, (m, esc: string | undefined) => {
    if (m === '$${') return '${';
    if (m === '%%{') return '%{';
    if (!esc) return m;
    if (esc[0] === 'u' || esc[0] === 'U') return String.fromCodePoint(parseInt(esc.slice(1), 16));
    return ESCAPES[esc] ?? m;
  });
}

function unescapeHeredoc(raw: string): string {
  return raw.replace(/\$\$\{|%%\{/g, (m) => (m === '$${' ? '${' : '%{'));
}

/** `<<-` heredocs drop the smallest indentation shared by all non-blank lines. */
function stripIndent(parts: TemplatePart[]): TemplatePart[] {
  // Split the parts into lines; each line is a list of parts.
  const lines: TemplatePart[][] = [[]];
  for (const p of parts) {
    if (p.kind !== 'literal') {
      lines[lines.length - 1]!.push(p);
      continue;
    }
    p.value.split('\n').forEach((seg, i) => {
      if (i > 0) lines.push([]);
      if (seg !== '') lines[lines.length - 1]!.push({ kind: 'literal', value: seg });
    });
  }
  const indentOf = (line: TemplatePart[]): number | undefined => {
    const first = line[0];
    if (!first) return undefined; // empty line
    if (first.kind !== 'literal') return 0;
    const ws = /^[ \t]*/.exec(first.value)![0].length;
    return ws === first.value.length && line.length === 1 ? undefined : ws; // blank line
  };
  const indents = lines.map(indentOf).filter((n): n is number => n !== undefined);
  const min = indents.length ? Math.min(...indents) : 0;
  const out: TemplatePart[] = [];
  const push = (p: TemplatePart) => {
    const last = out[out.length - 1];
    if (p.kind === 'literal' && last?.kind === 'literal') out[out.length - 1] = { kind: 'literal', value: last.value + p.value };
    else out.push(p);
  };
  lines.forEach((line, i) => {
    if (i > 0) push({ kind: 'literal', value: '\n' });
    line.forEach((p, j) => {
      if (j === 0 && p.kind === 'literal') {
        const v = p.value.slice(Math.min(min, /^[ \t]*/.exec(p.value)![0].length));
        if (v !== '') push({ kind: 'literal', value: v });
      } else push(p);
    });
  });
  return out;
}
