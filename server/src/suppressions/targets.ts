import type { HclAttribute, HclBlock, HclBody, HclExpr, HclFile } from '../model/hcl';
import type { Range } from '../model/location';
import type { YamlFile, YamlNode } from '../model/yaml';

/** A file whose comments may hold directives. */
export type SuppressibleFile = HclFile | YamlFile;

export function isHcl(file: SuppressibleFile): file is HclFile {
  return 'body' in file;
}

/** An element a directive can cover, by its whole range. */
export interface Target {
  readonly range: Range;
}

/**
 * Every element that can be a directive's target, outermost first in
 * document order: HCL blocks, attributes and object items; YAML mapping
 * pairs and sequence items. A directive covers the first one that starts on
 * the line below it, which is the outermost there (a `- name: x` line is the
 * sequence item, not its first key).
 */
export function targetsOf(file: SuppressibleFile): Target[] {
  const out: Target[] = [];
  if (isHcl(file)) hclBody(file.body, out);
  else for (const doc of file.documents) yamlNode(doc.root, out);
  return out;
}

function hclBody(body: HclBody, out: Target[]): void {
  const members: (HclAttribute | HclBlock)[] = [...body.attributes, ...body.blocks];
  members.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  for (const m of members) {
    out.push({ range: m.range });
    if (m.kind === 'block') hclBody(m.body, out);
    else hclExpr(m.expr, out);
  }
}

function hclExpr(expr: HclExpr, out: Target[]): void {
  if (expr.type !== 'object') return;
  for (const item of expr.items) {
    out.push({ range: item.range });
    hclExpr(item.value, out);
  }
}

function yamlNode(node: YamlNode | undefined, out: Target[]): void {
  if (node?.kind === 'map') {
    for (const p of node.pairs) {
      out.push({ range: p.range });
      yamlNode(p.value, out);
    }
  } else if (node?.kind === 'seq') {
    for (const item of node.items) {
      out.push({ range: item.range });
      yamlNode(item, out);
    }
  }
}

/** The first (outermost) target starting on `line`. */
export function targetOnLine(targets: readonly Target[], line: number): Target | undefined {
  return targets.find((t) => t.range.start.line === line);
}

/**
 * Lines made of nothing but comments: a directive may be separated from its
 * target by these and nothing else.
 */
export function commentOnlyLines(lines: readonly string[], comments: readonly { readonly range: Range }[]): Set<number> {
  const out = new Set<number>();
  for (const c of comments) {
    if (!startsItsLine(lines, c.range)) continue;
    for (let l = c.range.start.line; l <= c.range.end.line; l++) out.add(l);
  }
  return out;
}

/** Whether the comment is the first thing on its line (a trailing comment is not). */
export function startsItsLine(lines: readonly string[], range: Range): boolean {
  return (lines[range.start.line] ?? '').slice(0, range.start.character).trim() === '';
}
