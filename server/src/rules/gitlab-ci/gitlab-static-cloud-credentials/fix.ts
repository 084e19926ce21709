import { fixAtPath } from '../../../fixes/cifix-pipelines';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { yamlFlow } from '../../../fixes/yaml';

/**
 * `id_tokens: {<token_name>: {aud: <audience>}}` in each job the finding
 * names. The key variables stay (removing them is the author's step once the
 * role assumption works), so their findings stay: a placeholder fix, as is
 * one with a REPLACE_ME audience.
 */
export function addIdTokens(ctx: YamlFixContext<unknown>): Fix[] {
  const { data } = ctx;
  const tokens = data.value as Record<string, unknown> | undefined;
  const [name, token] = Object.entries(tokens ?? {})[0] ?? [];
  if (data.fix !== 'insert' || !Array.isArray(data.jobs) || !name || data.jobs.length === 0) return [];
  const edits = [];
  for (const job of data.jobs as string[]) {
    const fix = fixAtPath(ctx, [job, 'id_tokens', name], { value: token })[0];
    if (!fix) return [];
    edits.push(...fix.edits);
  }
  const who = (data.jobs as string[]).map((j) => `"${j}"`).join(', ');
  const then = data.keysStay ? ' (then assume a role with it and remove the keys)' : '';
  const placeholder = data.placeholder === true || data.keysStay === true;
  return [{ title: `Add id_tokens: ${yamlFlow(tokens)} to job${data.jobs.length > 1 ? 's' : ''} ${who}${then}`, edits, ...(placeholder ? { placeholder } : {}) }];
}
