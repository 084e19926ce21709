import type { HclBody, HclExpr, TemplatePart } from '../model/hcl';

/** Visits `expr` and every expression nested in it. */
export function walkExpr(expr: HclExpr, visit: (e: HclExpr) => void): void {
  visit(expr);
  switch (expr.type) {
    case 'tuple':
      expr.items.forEach((e) => walkExpr(e, visit));
      break;
    case 'object':
      for (const item of expr.items) {
        walkExpr(item.keyExpr, visit);
        walkExpr(item.value, visit);
      }
      break;
    case 'template':
      walkParts(expr.parts, visit);
      break;
    case 'traversal':
      for (const s of expr.steps) if (s.kind === 'index') walkExpr(s.key, visit);
      break;
    case 'literal':
      break;
    default:
      expr.children.forEach((e) => walkExpr(e, visit));
  }
}

function walkParts(parts: readonly TemplatePart[], visit: (e: HclExpr) => void): void {
  for (const p of parts) {
    if (p.kind === 'interpolation') walkExpr(p.expr, visit);
    else if (p.kind === 'if') {
      walkExpr(p.condition, visit);
      walkParts(p.then, visit);
      walkParts(p.else, visit);
    } else if (p.kind === 'for') {
      walkExpr(p.collection, visit);
      walkParts(p.body, visit);
    }
  }
}

/** Visits every expression of every attribute in a body, nested blocks included. */
export function walkBodyExprs(body: HclBody, visit: (e: HclExpr) => void): void {
  for (const a of body.attributes) walkExpr(a.expr, visit);
  for (const b of body.blocks) walkBodyExprs(b.body, visit);
}
