import { findingDocument, insertAfterPair, pairChainAt } from '../../../fixes/cifix-pipelines';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { insertPairs, replaceNode } from '../../../fixes/yaml';
import { asMap, items, pair, scalarText, type YamlMap } from '../../../model/yaml';

type Ctx = YamlFixContext<unknown>;

/** `when` values that start a job without anyone approving it. */
const AUTOMATIC = new Set(['on_success', 'always', 'delayed', 'on_failure']);

/**
 * The job (or the template that holds its environment) waits for a person:
 * `when: manual` + `allow_failure: false` after `environment:`, or
 * `when: manual` in each rules: entry that would start it automatically;
 * a non-blocking manual gate gets `allow_failure: false`.
 */
export function gateDeploy(ctx: Ctx): Fix[] {
  const { data } = ctx;
  const chain = pairChainAt(findingDocument(ctx)?.root, ctx.finding.range);
  const last = chain?.[chain.length - 1];
  if (!last) return [];
  if (data.fix === 'set' && last.pair.key === 'allow_failure' && last.pair.value) {
    return [{ title: 'Set allow_failure: false', edits: [replaceNode(last.pair.value, 'false')] }];
  }
  if (data.fix === 'insert' && data.after === 'when' && last.pair.key === 'when') {
    if (pair(last.map, 'allow_failure')) return [];
    return [{ title: 'Add allow_failure: false after when: manual', edits: [insertAfterPair(ctx, last.pair, { allow_failure: false })] }];
  }
  if (data.fix === 'insert' && data.after === 'environment' && last.pair.key === 'environment') return manualAfterEnvironment(ctx, last.map, last.pair);
  if (data.fix === 'insert-into-rule' && last.pair.key === 'environment') return manualRules(ctx, last.map);
  return [];
}

function manualAfterEnvironment(ctx: Ctx, job: YamlMap, environment: NonNullable<YamlMap['pairs'][number]>): Fix[] {
  const when = pair(job, 'when');
  const allowFailure = pair(job, 'allow_failure');
  const edits: TextEdit[] = [];
  const add: Record<string, unknown> = {};
  if (when?.value) edits.push(replaceNode(when.value, 'manual'));
  else if (when) return [];
  else add.when = 'manual';
  if (allowFailure?.value) edits.push(replaceNode(allowFailure.value, 'false'));
  else if (allowFailure) return [];
  else add.allow_failure = false;
  if (Object.keys(add).length) edits.push(insertAfterPair(ctx, environment, add));
  return [{ title: 'Add when: manual and allow_failure: false', edits }];
}

function manualRules(ctx: Ctx, job: YamlMap): Fix[] {
  const edits: TextEdit[] = [];
  for (const item of items(pair(job, 'rules')?.value)) {
    const rule = asMap(item);
    if (!rule || rule.pairs.length === 0) continue;
    const when = pair(rule, 'when');
    const value = scalarText(when?.value);
    if (when?.value && value !== undefined && AUTOMATIC.has(value)) edits.push(replaceNode(when.value, 'manual'));
    else if (!when) edits.push(insertPairs(ctx.file, rule, { when: 'manual' }));
  }
  return edits.length ? [{ title: `Make ${edits.length > 1 ? 'the rules: entries that start the job' : 'the rules: entry that starts the job'} when: manual`, edits }] : [];
}
