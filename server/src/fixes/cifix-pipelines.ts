import { asMap, pair, str, type YamlDocument, type YamlMap, type YamlNode, type YamlPair } from '../model/yaml';
import { isFullCommitSha, usesAction, workflowOf, type Job, type Workflow } from '../pipelines/githubActions';
import { documentAt, standardYamlFix, type NodePath } from './standard';
import { endOfLine, eolOf, insertAt, lineText } from './text';
import { PLACEHOLDER, type Fix, type TextEdit, type YamlFixContext } from './types';
import { comparePos, type Range } from '../model/location';
import { deletePair, insertPairs, isFlow, setPairValue, yamlBlockLines, yamlScalar } from './yaml';

/**
 * Helpers for the CI rules' fixes (GitHub Actions and GitLab CI). Their
 * findings record `job` / `step` / `key` rather than a document path, so the
 * path is rebuilt here and the standard YAML fix does the editing.
 */

type Ctx = YamlFixContext<unknown>;

/** The document the finding is in. */
export function findingDocument(ctx: Ctx): YamlDocument | undefined {
  return documentAt(ctx.file.documents, ctx.finding.range);
}

export function findingWorkflow(ctx: Ctx): Workflow | undefined {
  const doc = findingDocument(ctx);
  return doc ? workflowOf(doc) : undefined;
}

export function jobById(ctx: Ctx, id: unknown): Job | undefined {
  return typeof id === 'string' ? findingWorkflow(ctx)?.jobs.find((j) => j.id === id) : undefined;
}

/** `['jobs', job, 'steps', step, …key]` from the finding's `job`, `step` and dotted `key`. */
export function ghaPath(data: Readonly<Record<string, unknown>>, key = data.key): NodePath | undefined {
  if (typeof key !== 'string') return undefined;
  const base: (string | number)[] = [];
  if (typeof data.job === 'string') base.push('jobs', data.job);
  if (typeof data.step === 'number') base.push('steps', data.step);
  return [...base, ...key.split('.')];
}

/** The standard YAML fix on a path computed by the rule's fix (the finding's data is kept otherwise). */
export function fixAtPath(ctx: Ctx, path: NodePath | undefined, overrides: Record<string, unknown> = {}): Fix[] {
  if (!path) return [];
  return standardYamlFix({ ...ctx, data: { ...ctx.data, ...overrides, path } });
}

/** A fix whose title is replaced (the standard titles name only the last two keys). */
export function retitled(fixes: Fix[], title: string): Fix[] {
  return fixes.map((f) => ({ ...f, title }));
}

/**
 * Inserts `entries` into a block map right after the pair `after` (at the
 * pair's own indentation), so a key lands where the catalog puts it.
 */
export function insertAfterPair(ctx: Ctx, after: YamlPair, entries: Readonly<Record<string, unknown>>): TextEdit {
  const { file } = ctx;
  const indent = ' '.repeat(after.keyRange.start.character);
  const lines = Object.entries(entries).flatMap(([k, v]) => yamlBlockLines(k, v, indent));
  const eol = eolOf(file.text);
  return insertAt(file.uri, endOfLine(file.text, lastLineOf(after)), lines.map((l) => eol + l).join(''));
}

/** The last line holding text of a node or pair (block scalars end at the start of the next line). */
export function lastLineOf(x: { readonly range: { readonly start: { line: number }; readonly end: { line: number; character: number } } }): number {
  const { start, end } = x.range;
  return end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
}

/** The indentation unit a file uses under a map: the distance from a key to its children's keys. */
export function childIndent(map: YamlMap | undefined, fallback = 2): number {
  for (const p of map?.pairs ?? []) {
    const child = asMap(p.value);
    const first = child?.pairs[0];
    if (first && first.keyRange.start.line > p.keyRange.start.line) return first.keyRange.start.character - p.keyRange.start.character;
  }
  return fallback;
}

/** Lines of a template, re-indented from two-space steps to the file's unit and shifted by `base`. */
export function templateLines(template: readonly string[], base: string, unit: number): string[] {
  return template.map((l) => {
    const lead = /^ */.exec(l)![0].length;
    return base + ' '.repeat((lead / 2) * unit) + l.slice(lead);
  });
}

/** Appends lines after the last line of a node (a job, the document root, …). */
export function appendLinesAfter(ctx: Ctx, node: YamlNode | YamlPair, lines: readonly string[]): TextEdit {
  const eol = eolOf(ctx.file.text);
  return insertAt(ctx.file.uri, endOfLine(ctx.file.text, lastLineOf(node)), lines.map((l) => eol + l).join(''));
}

/** A pair and the maps holding it, outermost first (`chain[chain.length - 1].pair` is the pair itself). */
export type PairChain = { readonly map: YamlMap; readonly pair: YamlPair }[];

/** The chain down to the pair whose value (or key) range is exactly `range`. */
export function pairChainAt(root: YamlNode | undefined, range: Range): PairChain | undefined {
  const same = (a: Range, b: Range) => comparePos(a.start, b.start) === 0 && comparePos(a.end, b.end) === 0;
  const walk = (node: YamlNode | undefined, chain: PairChain): PairChain | undefined => {
    if (!node || node.kind === 'scalar') return undefined;
    if (node.kind === 'seq') {
      for (const item of node.items) {
        const found = walk(item, chain);
        if (found) return found;
      }
      return undefined;
    }
    for (const p of node.pairs) {
      const here = [...chain, { map: node, pair: p }];
      if ((p.value && same(p.value.range, range)) || same(p.keyRange, range)) return here;
      const found = walk(p.value, here);
      if (found) return found;
    }
    return undefined;
  };
  return walk(root, []);
}

/** Deletes a pair; when it is the only entry of its map, the parent key goes too (`env:` left empty is noise). */
export function deleteEntry(ctx: Ctx, chain: PairChain): TextEdit {
  const last = chain[chain.length - 1]!;
  const outer = chain[chain.length - 2];
  if (last.map.pairs.length === 1 && outer && !isFlow(ctx.file, last.map)) return deletePair(ctx.file, outer.map, outer.pair);
  return deletePair(ctx.file, last.map, last.pair);
}

/** The chain cut at the innermost pair named `key` (a long-form variable's `value:` → the variable). */
export function chainUpTo(chain: PairChain | undefined, key: string): PairChain | undefined {
  if (!chain) return undefined;
  for (let i = chain.length - 1; i >= 0; i--) if (chain[i]!.pair.key === key) return chain.slice(0, i + 1);
  return undefined;
}

/**
 * Deletes a span of a script line: the whole line when nothing else is on it
 * (`set +e`), else the span with the blanks before it (`cmd || true` → `cmd`).
 */
export function deleteScriptSpan(ctx: Ctx, range: Range): TextEdit | undefined {
  const { file } = ctx;
  if (range.start.line !== range.end.line) return undefined;
  const line = lineText(file.text, range.start.line);
  const rest = line.slice(0, range.start.character) + line.slice(range.end.character);
  if (rest.trim() === '') return { uri: file.uri, range: { start: { line: range.start.line, character: 0 }, end: { line: range.start.line + 1, character: 0 } }, newText: '' };
  let from = range.start.character;
  while (from > 0 && (line[from - 1] === ' ' || line[from - 1] === '\t')) from--;
  return { uri: file.uri, range: { start: { line: range.start.line, character: from }, end: range.end }, newText: '' };
}

/**
 * `<sha> # <comment>` of an action the workflow already pins by full commit
 * SHA, so a template step can reuse a pin the author chose; `REPLACE_ME #
 * full commit SHA` when there is none (resolving a tag needs the network).
 */
export function pinnedRef(ctx: Ctx, wf: Workflow, action: string): { ref: string; placeholder: boolean } {
  for (const job of wf.jobs) {
    for (const step of job.steps) {
      const uses = step.uses;
      if (!usesAction(uses, action) || uses?.kind !== 'remote' || !uses.ref || !isFullCommitSha(uses.ref.text)) continue;
      const line = uses.node.range.end.line;
      const comment = ctx.file.comments.find((c) => c.range.start.line === line && c.range.start.character >= uses.node.range.end.character);
      return { ref: comment ? `${uses.ref.text} ${comment.text}` : uses.ref.text, placeholder: false };
    }
  }
  return { ref: `${PLACEHOLDER} # full commit SHA`, placeholder: true };
}

/** Inserts `lines` (written as if at column 0) just above `before`, at its indentation. */
export function insertLinesBefore(ctx: Ctx, before: YamlPair, lines: readonly string[]): TextEdit | undefined {
  const { file } = ctx;
  const line = lineText(file.text, before.keyRange.start.line);
  if (line.slice(0, before.keyRange.start.character).trim() !== '') return undefined; // `- key:` shares its line with the dash
  const indent = ' '.repeat(before.keyRange.start.character);
  const eol = eolOf(file.text);
  return insertAt(file.uri, { line: before.keyRange.start.line, character: 0 }, lines.map((l) => indent + l + eol).join(''));
}

/**
 * Adds `id` to a `needs:` value: a string becomes a flow list, a list gets an
 * item in its own style.
 */
export function appendNeed(ctx: Ctx, needs: YamlPair, id: string): TextEdit | undefined {
  const v = needs.value;
  if (v?.kind === 'scalar') return { uri: ctx.file.uri, range: v.range, newText: `[${v.source}, ${yamlScalar(id)}]` };
  if (v?.kind !== 'seq') return undefined;
  if (isFlow(ctx.file, v)) {
    const end = v.range.end;
    return insertAt(ctx.file.uri, { line: end.line, character: end.character - 1 }, `${v.items.length ? ', ' : ''}${yamlScalar(id)}`);
  }
  const last = v.items[v.items.length - 1];
  if (!last) return undefined;
  return insertAt(ctx.file.uri, endOfLine(ctx.file.text, lastLineOf(last)), `${eolOf(ctx.file.text)}${' '.repeat(Math.max(0, last.range.start.character - 2))}- ${yamlScalar(id)}`);
}

/** The top-level pair of the finding's document that holds the finding (a GitLab job or template). */
export function topPairAt(ctx: Ctx): YamlPair | undefined {
  const root = asMap(findingDocument(ctx)?.root);
  const r = ctx.finding.range;
  return root?.pairs.find((p) => comparePos(p.keyRange.start, r.start) <= 0 && comparePos(r.end, p.range.end) <= 0);
}

/**
 * `when: manual` and `allow_failure: false` in a job map: values already
 * there are set, missing keys go after `when:` or at the end of the job.
 */
export function manualBlocking(ctx: Ctx, job: YamlMap): TextEdit[] | undefined {
  const when = pair(job, 'when');
  const allow = pair(job, 'allow_failure');
  if ((when && !when.value) || (allow && !allow.value) || isFlow(ctx.file, job)) return undefined;
  const edits: TextEdit[] = [];
  if (when?.value && str(when.value) !== 'manual') edits.push({ uri: ctx.file.uri, range: when.value.range, newText: 'manual' });
  if (allow?.value) {
    if (allow.value.kind !== 'scalar' || str(allow.value) !== 'false') edits.push(allow.value.kind === 'scalar' ? { uri: ctx.file.uri, range: allow.value.range, newText: 'false' } : setPairValue(ctx.file, allow, false));
  }
  const add: Record<string, unknown> = {};
  if (!when) add.when = 'manual';
  if (!allow) add.allow_failure = false;
  if (Object.keys(add).length) edits.push(when ? insertAfterPair(ctx, when, add) : insertPairs(ctx.file, job, add));
  return edits;
}
