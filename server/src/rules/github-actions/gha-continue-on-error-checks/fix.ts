import { deleteScriptSpan, fixAtPath, ghaPath } from '../../../fixes/cifix-pipelines';
import type { Fix, YamlFixContext } from '../../../fixes/types';

/** `continue-on-error` / `soft_fail` / `exit-code` are set through their keys; `|| true`, `set +e` and `--soft-fail` are cut from the script. */
export function failClosed(ctx: YamlFixContext<unknown>): Fix[] {
  const { data } = ctx;
  if (data.fix === 'delete' && typeof data.text === 'string') {
    const edit = deleteScriptSpan(ctx, ctx.finding.range);
    return edit ? [{ title: `Remove \`${data.text.trim()}\` from the script`, edits: [edit] }] : [];
  }
  const key = typeof data.key === 'string' ? data.key : '';
  const value = JSON.stringify(data.value);
  const title = `${data.fix === 'insert' ? 'Add' : 'Set'} ${key}: ${value}`;
  return fixAtPath(ctx, ghaPath(data)).map((f) => ({ ...f, title }));
}
