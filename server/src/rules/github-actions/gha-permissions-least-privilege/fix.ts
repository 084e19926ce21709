import { findingDocument, findingWorkflow, insertAfterPair, pairChainAt } from '../../../fixes/cifix-pipelines';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { setPairValue, yamlFlow } from '../../../fixes/yaml';

/**
 * A missing top-level `permissions` goes in right after `on:`; `write-all`
 * becomes `contents: read` in block style under its key.
 */
export function leastPrivilege(ctx: YamlFixContext<unknown>): Fix[] {
  const { data } = ctx;
  if (typeof data.value !== 'object' || data.value === null) return [];
  const value = data.value as Record<string, unknown>;
  if (data.fix === 'insert') {
    const on = findingWorkflow(ctx)?.on;
    return on ? [{ title: `Add permissions: ${yamlFlow(value)} after on:`, edits: [insertAfterPair(ctx, on, { permissions: value })] }] : [];
  }
  if (data.fix !== 'set') return [];
  const chain = pairChainAt(findingDocument(ctx)?.root, ctx.finding.range);
  const permissions = chain?.[chain.length - 1]?.pair;
  if (permissions?.key !== 'permissions') return [];
  return [{ title: `Replace write-all with ${yamlFlow(value)} (grant write scopes on the jobs that need them)`, edits: [setPairValue(ctx.file, permissions, value)] }];
}
