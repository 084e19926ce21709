import type { ParseError, Range } from './location';

/**
 * Position-aware HCL model. Every node knows the document it came from and its
 * exact range (UTF-16, LSP coordinates), so rules can point at the offending
 * attribute, object key or block header.
 */
export interface HclFile {
  readonly uri: string;
  readonly text: string;
  readonly body: HclBody;
  readonly errors: readonly ParseError[];
  readonly comments: readonly HclComment[];
}

export interface HclComment {
  readonly text: string;
  readonly range: Range;
}

export interface HclBody {
  readonly attributes: readonly HclAttribute[];
  readonly blocks: readonly HclBlock[];
}

export interface HclAttribute {
  readonly kind: 'attribute';
  readonly uri: string;
  readonly name: string;
  /** From the name to the end of the value. */
  readonly range: Range;
  readonly keyRange: Range;
  readonly expr: HclExpr;
}

export interface HclLabel {
  readonly value: string;
  readonly range: Range;
}

export interface HclBlock {
  readonly kind: 'block';
  readonly uri: string;
  readonly type: string;
  readonly labels: readonly HclLabel[];
  /** The whole block, header to closing brace. */
  readonly range: Range;
  /** Block type and labels: `resource "aws_s3_bucket" "data"`. */
  readonly headerRange: Range;
  readonly body: HclBody;
  /** True when a syntax error lies inside the block. */
  readonly hasError: boolean;
}

export type HclExpr =
  | HclLiteral
  | HclTemplate
  | HclTuple
  | HclObject
  | HclTraversal
  | HclOtherExpr;

interface ExprBase {
  readonly range: Range;
  /** The expression's source text. */
  readonly source: string;
}

/**
 * A string without interpolation, a number, a bool or null (unary minus folded in).
 * A string's value is what Terraform sees: escapes decoded (`$${` is `${`),
 * heredoc text exact, `<<-` indentation removed.
 */
export interface HclLiteral extends ExprBase {
  readonly type: 'literal';
  readonly value: string | number | boolean | null;
}

/**
 * A quoted string or heredoc containing interpolations or directives. Literal
 * parts are final text, as for `HclLiteral`: `~` strip markers and `<<-`
 * indentation are already applied (the way HCL applies them), and empty
 * literals are dropped.
 */
export interface HclTemplate extends ExprBase {
  readonly type: 'template';
  readonly parts: readonly TemplatePart[];
}

export type TemplatePart =
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'interpolation'; readonly expr: HclExpr }
  | {
      readonly kind: 'if';
      readonly condition: HclExpr;
      readonly then: readonly TemplatePart[];
      readonly else: readonly TemplatePart[];
    }
  | {
      readonly kind: 'for';
      readonly keyVar?: string;
      readonly valueVar: string;
      readonly collection: HclExpr;
      readonly body: readonly TemplatePart[];
    };

export interface HclTuple extends ExprBase {
  readonly type: 'tuple';
  readonly items: readonly HclExpr[];
}

export interface HclObjectItem {
  /** The key as a name when it is an identifier or a plain string; undefined for `(expr)` keys. */
  readonly key: string | undefined;
  readonly keyExpr: HclExpr;
  readonly keyRange: Range;
  readonly value: HclExpr;
  /** From the key to the end of the value. */
  readonly range: Range;
}

export interface HclObject extends ExprBase {
  readonly type: 'object';
  readonly items: readonly HclObjectItem[];
}

export type TraversalStep =
  | { readonly kind: 'attr'; readonly name: string; readonly range: Range }
  | { readonly kind: 'index'; readonly key: HclExpr; readonly range: Range }
  | { readonly kind: 'splat'; readonly range: Range };

/** `var.x`, `aws_s3_bucket.data.id`, `each.value["k"]`, `local.a[*].b`. */
export interface HclTraversal extends ExprBase {
  readonly type: 'traversal';
  readonly root: string;
  readonly rootRange: Range;
  readonly steps: readonly TraversalStep[];
}

/** Function calls, operators, conditionals, `for` expressions, parentheses. */
export interface HclOtherExpr extends ExprBase {
  readonly type: 'call' | 'operation' | 'conditional' | 'for' | 'parens' | 'error';
  /** Function name for calls. */
  readonly name?: string;
  /** Sub-expressions in source order (arguments, operands, branches). */
  readonly children: readonly HclExpr[];
}

export function findAttribute(body: HclBody, name: string): HclAttribute | undefined {
  return body.attributes.find((a) => a.name === name);
}

export function findBlocks(body: HclBody, type: string): HclBlock[] {
  return body.blocks.filter((b) => b.type === type);
}
