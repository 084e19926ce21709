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
import { BlockCache } from './blockCache';
import type { Problem } from './mask';
import { scanLiteral, templateParts, type TemplateToken } from './template';

/**
 * Turns a tree-sitter syntax tree of the Terraform grammar into the HCL model.
 * `problems` are the syntax errors found while preparing the text for the
 * grammar (see mask.ts); the file reports one error, the first of all.
 */
export function buildHclFile(
  uri: string,
  text: string,
  tree: Tree,
  problems: readonly Problem[] = [],
  reuse?: BlockCache,
): Built {
  const builder = new Builder(uri, text, problems, reuse);
  try {
    return builder.file(tree);
  } catch (e) {
    if (!(e instanceof TooDeep)) throw e;
    // Nothing of the file is analysed: one clear error where the nesting got too deep.
    const error = { message: e.message, range: builder.rangeOf(e.node) };
    return { file: { uri, text, body: { attributes: [], blocks: [] }, errors: [error], comments: [] }, blocks: new BlockCache() };
  }
}

/** A built file, what the next version can reuse of it, and (for a clean file) where each top-level block lies. */
export interface Built {
  readonly file: HclFile;
  readonly blocks: BlockCache;
  readonly layout?: Layout;
}

/**
 * A file with no syntax error and only top-level blocks: their offsets in the
 * text, so that an edit inside one of them can rebuild that block alone.
 */
export interface Layout {
  readonly lines: LineIndex;
  /** Start and end offset of each top-level block, as pairs: [start0, end0, start1, end1, …]. */
  readonly offsets: Int32Array;
  readonly blocks: readonly { readonly block: HclBlock; readonly comments: readonly HclComment[] }[];
}

/**
 * The model of an edited file when the edit stays on one line inside one
 * top-level block of a clean file, and the new tree has no error and that
 * block keeps its extent: then the text outside the block is unchanged and,
 * the parse of error-free text being unique, so is its syntax. That block is
 * rebuilt and every other block, comment and line start is taken over (none
 * of them moved). Undefined when that does not hold; the caller then builds
 * the file as usual.
 */
export function rebuildEditedBlock(
  uri: string,
  text: string,
  tree: Tree,
  problems: readonly Problem[],
  previous: { readonly file: HclFile; readonly layout: Layout },
  edit: { readonly start: number; readonly oldEnd: number; readonly newEnd: number },
): Built | undefined {
  const { file: old, layout } = previous;
  const before = old.text;
  if (problems.length > 0 || /[\r\n]/.test(before.slice(edit.start, edit.oldEnd)) || /[\r\n]/.test(text.slice(edit.start, edit.newEnd))) return undefined;
  const delta = edit.newEnd - edit.oldEnd;
  const { offsets } = layout;
  // The block strictly around the edit (binary search on the start offsets).
  let lo = 0;
  let hi = offsets.length / 2 - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (offsets[2 * mid]! < edit.start) lo = mid;
    else hi = mid - 1;
  }
  const k = lo;
  const start = offsets[2 * k];
  const end = offsets[2 * k + 1];
  const entry = layout.blocks[k];
  if (start === undefined || end === undefined || !entry || !(start < edit.start && edit.oldEnd < end)) return undefined;
  // The block must go on past the edited line, so that nothing after it shares that line.
  if (entry.block.range.end.line <= layout.lines.position(edit.start).line) return undefined;
  const root = tree.rootNode;
  if (root.hasError) return undefined;
  let node: SyntaxNode | null = root.descendantForIndex(edit.start);
  while (node && !(node.type === 'block' && node.parent?.type === 'body' && node.parent.parent?.type === root.type)) node = node.parent;
  if (!node || node.startIndex !== start || node.endIndex !== end + delta) return undefined;

  const lines = layout.lines.edited(text, edit.start, delta);
  let rebuilt: ReturnType<Builder['topLevelOnly']>;
  try {
    rebuilt = new Builder(uri, text, problems, undefined, lines).topLevelOnly(node);
  } catch (e) {
    // Too deep now: the whole-file build reports it, with the file's other errors.
    if (e instanceof TooDeep) return undefined;
    throw e;
  }
  if (!rebuilt || rebuilt.block.hasError) return undefined;
  const next = Int32Array.from(offsets);
  for (let i = 2 * k + 1; i < next.length; i++) next[i]! += delta;
  const blocks = layout.blocks.slice();
  blocks[k] = rebuilt;
  const replaced = new Set(entry.comments);
  const comments = replaced.size || rebuilt.comments.length ? [...old.comments.filter((c) => !replaced.has(c)), ...rebuilt.comments].sort(byPosition) : old.comments;
  const file: HclFile = { uri, text, body: { attributes: [], blocks: blocks.map((b) => b.block) }, errors: [], comments };
  return { file, blocks: BlockCache.lazy(text, next, blocks), layout: { lines, offsets: next, blocks } };
}

function byPosition(a: HclComment, b: HclComment): number {
  return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
}

/**
 * How deep blocks and expressions (objects, tuples, calls, operators,
 * templates) may nest. The builder, the evaluator and the
 * rules recurse over the model, so an unbounded depth (10,000 nested braces in
 * a generated or corrupted file) would overflow the stack. Real Terraform
 * rarely nests beyond 20 levels.
 */
export const MAX_HCL_NESTING = 500;

/**
 * A bound on `expr` recursion of any kind, above what MAX_HCL_NESTING levels
 * can need (each level passes through a few grammar wrapper nodes) and well
 * below what overflows the stack (about 5,000 nested parentheses did).
 */
const MAX_EXPR_RECURSION = 4 * MAX_HCL_NESTING;

/** Expression nodes that count as one level of nesting. */
const NESTING = new Set(['object', 'tuple', 'function_call', 'operation', 'conditional', 'for_expr', 'quoted_template', 'heredoc_template']);

class TooDeep extends Error {
  constructor(readonly node: SyntaxNode) {
    super(
      `Nesting too deep: blocks and expressions here are nested more than ${MAX_HCL_NESTING} levels, so Plumbline does not analyse this file. ` +
        'Flatten the expression (a local value per level helps) or exclude the generated file.',
    );
  }
}

class Builder {
  private readonly lines: LineIndex;
  private readonly comments: HclComment[] = [];
  /** Blocks and expressions being built, outermost first (see MAX_HCL_NESTING). */
  private depth = 0;
  /** `expr` calls under way, whatever the nodes (see MAX_EXPR_RECURSION). */
  private calls = 0;

  constructor(
    private readonly uri: string,
    private readonly text: string,
    private readonly problems: readonly Problem[],
    private readonly reuse: BlockCache | undefined,
    lines?: LineIndex,
  ) {
    this.lines = lines ?? new LineIndex(text);
  }

  /** One top-level block and the comments inside it. */
  topLevelOnly(n: SyntaxNode): { block: HclBlock; comments: HclComment[] } | undefined {
    const block = this.block(n);
    this.collectComments(n);
    return block && { block, comments: this.comments.splice(0) };
  }

  file(tree: Tree): Built {
    const root = tree.rootNode;
    const next = new BlockCache();
    const attributes: HclAttribute[] = [];
    const blocks: HclBlock[] = [];
    // Offsets of the top-level blocks, kept only while every top-level node is a block that built cleanly.
    let offsets: number[] | undefined = [];
    const spanned: Layout['blocks'][number][] = [];
    for (const c of root.namedChildren) {
      if (!c) continue;
      if (c.type !== 'body') {
        this.collectComments(c);
        continue;
      }
      for (const child of c.namedChildren) {
        if (!child) continue;
        if (child.type === 'block') {
          const before = this.comments.length;
          const built = this.topLevelBlock(child, next);
          if (built) blocks.push(built);
          if (built && !built.hasError && offsets) {
            offsets.push(child.startIndex, child.endIndex);
            spanned.push({ block: built, comments: this.comments.slice(before) });
          } else offsets = undefined;
        } else {
          if (child.type === 'attribute') {
            const a = this.attribute(child);
            if (a) attributes.push(a);
          }
          this.collectComments(child);
        }
      }
    }
    this.comments.sort(byPosition);
    const file = { uri: this.uri, text: this.text, body: { attributes, blocks }, errors: this.errors(root), comments: this.comments };
    const clean = offsets && file.errors.length === 0 && attributes.length === 0 && this.problems.length === 0;
    return { file, blocks: next, ...(clean ? { layout: { lines: this.lines, offsets: Int32Array.from(offsets!), blocks: spanned } } : {}) };
  }

  /** A top-level block: reused from the previous version when its text is unchanged and it parsed cleanly. */
  private topLevelBlock(n: SyntaxNode, next: BlockCache): HclBlock | undefined {
    const text = this.text.slice(n.startIndex, n.endIndex);
    const clean = !n.hasError && !this.problems.some((p) => p.start >= n.startIndex && p.start < n.endIndex);
    const reused = clean ? this.reuse?.take(text, this.lines.position(n.startIndex)) : undefined;
    if (reused) {
      this.comments.push(...reused.comments);
      next.add(text, reused.block, reused.comments);
      return reused.block;
    }
    const before = this.comments.length;
    const block = this.block(n);
    this.collectComments(n);
    if (block && clean) next.add(text, block, this.comments.slice(before));
    return block;
  }

  /**
   * A node's source, read from the document rather than from the tree: the
   * tree was parsed from a masked copy of the text (see mask.ts).
   */
  private src(n: SyntaxNode): string {
    return this.text.slice(n.startIndex, n.endIndex);
  }

  private range(n: SyntaxNode): Range {
    return this.lines.range(n.startIndex, n.endIndex);
  }

  /** The range of the opening token of `n` (the whole node may span most of the file). */
  rangeOf(n: SyntaxNode): Range {
    const first = n.firstChild ?? n;
    return this.lines.range(n.startIndex, Math.min(first.endIndex, n.endIndex));
  }

  private nested<T>(n: SyntaxNode, build: () => T): T {
    if (this.depth >= MAX_HCL_NESTING) throw new TooDeep(n);
    this.depth++;
    try {
      return build();
    } finally {
      this.depth--;
    }
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
      name: this.src(id),
      range: this.lines.range(n.startIndex, exprNode.endIndex),
      keyRange: this.range(id),
      // A half-typed value (error recovery may have glued the next lines onto
      // it) is unknown, never a value to judge.
      expr: n.hasError ? this.other('error', exprNode, []) : this.expr(exprNode),
    };
  }

  private block(n: SyntaxNode): HclBlock | undefined {
    return this.nested(n, () => this.blockAt(n));
  }

  private blockAt(n: SyntaxNode): HclBlock | undefined {
    let type: SyntaxNode | undefined;
    const labels: HclLabel[] = [];
    let headerEnd = n.startIndex;
    let bodyNode: SyntaxNode | undefined;
    for (const c of n.children) {
      if (!c) continue;
      if (c.type === 'identifier') {
        if (!type) type = c;
        else labels.push({ value: this.src(c), range: this.range(c) });
        headerEnd = c.endIndex;
      } else if (c.type === 'string_lit') {
        labels.push({ value: this.labelValue(c), range: this.range(c) });
        headerEnd = c.endIndex;
      } else if (c.type === 'body') {
        bodyNode = c;
      }
    }
    if (!type) return undefined;
    return {
      kind: 'block',
      uri: this.uri,
      type: this.src(type),
      labels,
      range: this.range(n),
      headerRange: this.lines.range(n.startIndex, headerEnd),
      body: bodyNode ? this.body(bodyNode) : { attributes: [], blocks: [] },
      hasError: n.hasError || this.problems.some((p) => p.start >= n.startIndex && p.start < n.endIndex),
    };
  }

  // ---- expressions -------------------------------------------------------

  private expr(n: SyntaxNode): HclExpr {
    // Any recursion counts here, so a shape of malformed text that no level below
    // counts cannot exhaust the stack (a stack overflow would take the server down).
    if (++this.calls > MAX_EXPR_RECURSION) throw new TooDeep(n);
    try {
      // Levels a reader sees (an object, a call, an operator, parentheses, an index …), not the grammar's wrapper nodes.
      return NESTING.has(n.type) ? this.nested(n, () => this.exprAt(n)) : this.exprAt(n);
    } finally {
      this.calls--;
    }
  }

  private exprAt(n: SyntaxNode): HclExpr {
    const range = this.range(n);
    const source = this.src(n);
    switch (n.type) {
      case 'expression': {
        const kids = n.namedChildren.filter((c): c is SyntaxNode => !!c && c.type !== 'comment');
        const [head, ...rest] = kids;
        if (!head) return this.other('error', n, []);
        if (rest.length === 0) {
          if (head.type === 'expression') return this.nested(n, () => this.other('parens', n, [this.expr(head)]));
          return this.expr(head);
        }
        if (head.type === 'variable_expr') {
          const rootId = head.namedChildren[0];
          return {
            type: 'traversal',
            range,
            source,
            root: this.src(head),
            rootRange: this.range(rootId ?? head),
            steps: rest.flatMap((s) => this.steps(s)),
          };
        }
        // Attribute access on something other than a variable (a call, a
        // parenthesised expression …): keep it opaque.
        return this.other('operation', n, [this.expr(head)]);
      }
      case 'variable_expr':
        return { type: 'traversal', range, source, root: source, rootRange: range, steps: [] };
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
        return this.template(n);
      case 'heredoc_template':
        return this.template(n);
      case 'function_call': {
        const name = n.namedChildren.find((c) => c?.type === 'identifier');
        const args = n.namedChildren.find((c) => c?.type === 'function_arguments');
        const children = args ? args.namedChildren.filter((c) => c?.type === 'expression').map((c) => this.expr(c!)) : [];
        return { ...this.other('call', n, children), name: name ? this.src(name) : undefined };
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
    return { type, range: this.range(n), source: this.src(n), children };
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
    const op = n.children[0] ? this.src(n.children[0]) : undefined;
    if (!operand) return undefined;
    const inner = operand.type === 'expression' && operand.namedChildCount === 1 ? operand.namedChildren[0] : operand;
    if (inner?.type !== 'literal_value') return undefined;
    const lit = this.literal(inner);
    if (lit.type !== 'literal') return undefined;
    if (op === '-' && typeof lit.value === 'number')
      return { type: 'literal', range: this.range(n), source: this.src(n), value: -lit.value };
    if (op === '!' && typeof lit.value === 'boolean')
      return { type: 'literal', range: this.range(n), source: this.src(n), value: !lit.value };
    return undefined;
  }

  private literal(n: SyntaxNode): HclExpr {
    const range = this.range(n);
    const inner = n.namedChildren[0];
    const source = this.src(n);
    switch (inner?.type) {
      case 'numeric_lit':
        return { type: 'literal', range, source, value: Number(this.src(inner)) };
      case 'bool_lit':
        return { type: 'literal', range, source, value: this.src(inner) === 'true' };
      case 'null_lit':
        return { type: 'literal', range, source, value: null };
      case 'string_lit': {
        const value = this.template(inner);
        return { ...value, range, source };
      }
      default:
        return this.other('error', n, []);
    }
  }

  private steps(n: SyntaxNode): TraversalStep[] {
    const range = this.range(n);
    switch (n.type) {
      case 'get_attr': {
        const id = n.namedChildren.find((c) => c?.type === 'identifier');
        return [{ kind: 'attr', name: id ? this.src(id) : '', range }];
      }
      case 'index': {
        const inner = n.namedChildren[0];
        if (inner?.type === 'legacy_index') {
          const num = Number(this.src(inner).replace(/^\./, ''));
          return [{ kind: 'index', key: { type: 'literal', range, source: String(num), value: num }, range }];
        }
        const e = inner?.namedChildren.find((c) => c?.type === 'expression');
        return e ? [{ kind: 'index', key: this.nested(n, () => this.expr(e)), range }] : [];
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

  /** A block label: the quoted text, escapes decoded. */
  private labelValue(n: SyntaxNode): string {
    const [from, to] = this.quotedContent(n);
    return unescapeQuoted(this.text.slice(from, to));
  }

  /**
   * A quoted string or heredoc. Its literal text is read from the source
   * between the template's sequences (tree-sitter leaves whitespace out of its
   * literal nodes) and processed the way HCL does; see template.ts.
   */
  private template(n: SyntaxNode): HclExpr {
    const heredoc = n.type === 'heredoc_template';
    const [from, to] = heredoc ? this.heredocContent(n) : this.quotedContent(n);
    const decode = heredoc ? unescapeHeredoc : unescapeQuoted;
    const tokens: TemplateToken[] = [];
    let cursor = from;
    const literalUpTo = (end: number) => {
      if (end <= cursor) return;
      for (const raw of scanLiteral(this.text.slice(cursor, end), heredoc)) tokens.push({ kind: 'literal', value: decode(raw) });
    };
    const visit = (node: SyntaxNode) => {
      for (const c of node.namedChildren) {
        if (!c || c.startIndex < from || c.endIndex > to) continue;
        if (CONTAINERS.has(c.type)) {
          visit(c);
          continue;
        }
        const token = this.sequenceToken(c);
        if (!token) continue; // literal text (or an error), picked up from the source
        literalUpTo(c.startIndex);
        tokens.push(token);
        cursor = c.endIndex;
      }
    };
    visit(n);
    literalUpTo(to);
    const start = n.namedChildren.find((c) => c?.type === 'heredoc_start');
    const flush = !!start && this.src(start).startsWith('<<-');
    return this.templateOrLiteral(n, templateParts({ tokens, flush }));
  }

  /** `"…"`: from after the opening quote to before the closing one (or the node's end when unterminated). */
  private quotedContent(n: SyntaxNode): [number, number] {
    const open = n.children.find((c) => c?.type === 'quoted_template_start');
    const close = n.children.find((c) => c?.type === 'quoted_template_end');
    const from = open?.endIndex ?? n.startIndex;
    return [from, Math.max(from, close && !close.isMissing ? close.startIndex : n.endIndex)];
  }

  /** `<<ID` … `ID`: from the line after the opener to the start of the closing marker's line. */
  private heredocContent(n: SyntaxNode): [number, number] {
    const ids = n.namedChildren.filter((c) => c?.type === 'heredoc_identifier');
    const open = ids[0];
    const close = ids.length > 1 ? ids[ids.length - 1] : undefined;
    const newline = open ? this.text.indexOf('\n', open.endIndex) : -1;
    const from = newline === -1 || newline >= n.endIndex ? n.endIndex : newline + 1;
    const to = close ? this.text.lastIndexOf('\n', close.startIndex - 1) + 1 : n.endIndex;
    return [from, Math.max(from, to)];
  }

  /** The template token for an interpolation or directive marker; undefined for anything else. */
  private sequenceToken(n: SyntaxNode): TemplateToken | undefined {
    const strip = stripMarkers(n);
    const exprNode = n.namedChildren.find((c) => c?.type === 'expression');
    switch (n.type) {
      case 'template_interpolation':
        return exprNode ? { kind: 'interpolation', expr: this.expr(exprNode), ...strip } : undefined;
      case 'template_if_intro':
        return exprNode ? { kind: 'if', condition: this.expr(exprNode), ...strip } : undefined;
      case 'template_for_start': {
        const ids = n.namedChildren.filter((c) => c?.type === 'identifier').map((c) => this.src(c!));
        if (!exprNode || ids.length === 0) return undefined;
        const keyVar = ids.length > 1 ? ids[0] : undefined;
        return { kind: 'for', keyVar, valueVar: ids[ids.length - 1]!, collection: this.expr(exprNode), ...strip };
      }
      case 'template_else_intro':
        return { kind: 'else', ...strip };
      case 'template_if_end':
        return { kind: 'endif', ...strip };
      case 'template_for_end':
        return { kind: 'endfor', ...strip };
      default:
        return undefined;
    }
  }

  private templateOrLiteral(n: SyntaxNode, parts: TemplatePart[]): HclExpr {
    const range = this.range(n);
    if (parts.every((p) => p.kind === 'literal'))
      return { type: 'literal', range, source: this.src(n), value: parts.map((p) => (p.kind === 'literal' ? p.value : '')).join('') };
    return { type: 'template', range, source: this.src(n), parts };
  }

  // ---- comments and errors -------------------------------------------------

  private collectComments(n: SyntaxNode): void {
    if (n.type === 'comment') {
      // Most top-level comments are single nodes: no cursor (a WebAssembly round trip) needed.
      this.comments.push({ text: this.src(n), range: this.range(n) });
      return;
    }
    // Every comment starts with #, // or /*: text without them needs no walk of its tree.
    if (!COMMENT_START.test(this.src(n))) return;
    // A loop, not recursion: the tree of a malformed file can be far deeper than the stack.
    const cursor = n.walk();
    for (;;) {
      const node = cursor.currentNode;
      if (node.type === 'comment') this.comments.push({ text: this.src(node), range: this.range(node) });
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          cursor.delete();
          return;
        }
      }
    }
  }

  /** One parse error: the first problem found before parsing or by the grammar. */
  private errors(root: SyntaxNode): ParseError[] {
    const candidates = this.problems.map((p) => ({ at: p.start, error: { message: p.message, range: this.lines.range(p.start, p.end) } }));
    const fromTree = this.treeError(root);
    if (fromTree) candidates.push(fromTree);
    candidates.sort((a, b) => a.at - b.at);
    return candidates.slice(0, 1).map((c) => c.error);
  }

  /** The first place the grammar could not accept. */
  private treeError(root: SyntaxNode): { at: number; error: ParseError } | undefined {
    if (!root.hasError) return undefined;
    const first = findFirstError(root);
    if (!first) return undefined;
    if (first.isMissing) {
      // A block left open: point at its header, which is where the fix belongs.
      const closer = first.type === '}' && first.parent?.type === 'block_end' ? first.parent : first;
      const block = closer.type === 'block_end' ? closer.parent : null;
      if (block?.type === 'block') {
        const open = block.children.find((c) => c?.type === 'block_start');
        const range = this.lines.range(block.startIndex, open?.endIndex ?? block.startIndex);
        return { at: first.startIndex, error: { message: 'Syntax error: this block is not closed; add "}".', range } };
      }
      return { at: first.startIndex, error: { message: `Syntax error: missing ${describeToken(first.type)}.`, range: this.range(first) } };
    }
    // Point at the first token the parser could not place, not at the whole region.
    let leaf: SyntaxNode = first;
    while (leaf.childCount > 0 && leaf.child(0)) leaf = leaf.child(0)!;
    const leafText = this.src(leaf);
    const firstText = this.src(first);
    const token = leafText.length > 40 ? `${leafText.slice(0, 40)}…` : leafText;
    const message =
      first.endIndex >= this.text.length && first.startIndex < this.text.length && /\{/.test(firstText) && !/\}/.test(firstText)
        ? 'Syntax error: this block is not closed; add "}".'
        : `Syntax error: unexpected ${token ? JSON.stringify(token) : 'end of file'}.`;
    const at = leafText ? leaf : first;
    return { at: at.startIndex, error: { message, range: this.range(at) } };
  }
}

/** The first error or missing node in document order (a loop with its own stack: trees can be very deep). */
function findFirstError(root: SyntaxNode): SyntaxNode | undefined {
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.isError || n.isMissing) return n;
    const flagged = n.children.filter((c): c is SyntaxNode => !!c && (c.hasError || c.isMissing || c.isError));
    for (let i = flagged.length - 1; i >= 0; i--) stack.push(flagged[i]!);
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

const COMMENT_START = /#|\/[/*]/;

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
  return raw.replace(/\$\$\{|%%\{/g, (m) => m.slice(1));
}

/** Directive nodes whose children are the sequences and literals of the template. */
const CONTAINERS = new Set(['template_directive', 'template_if', 'template_for']);

/** `${~ … ~}` / `%{~ … ~}`: a marker right after the opener or right before the closer. */
function stripMarkers(n: SyntaxNode): { stripBefore: boolean; stripAfter: boolean } {
  const kids = n.children;
  return {
    stripBefore: kids[1]?.type === 'strip_marker',
    stripAfter: kids.length > 3 && kids[kids.length - 2]?.type === 'strip_marker',
  };
}
