import { chainUpTo, deleteScriptSpan, findingDocument, pairChainAt } from '../../../fixes/cifix-pipelines';
import { insertAt } from '../../../fixes/text';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { replaceNode, setPairValue } from '../../../fixes/yaml';

type Ctx = YamlFixContext<unknown>;

/**
 * Makes the check fail the pipeline: `allow_failure: false` (replacing an
 * `exit_codes` map too), or a script edit at the offending flag — `|| true`
 * and `--soft-fail` cut, `--exit-code 1` added or set.
 */
export function failClosed(ctx: Ctx): Fix[] {
  const { data, finding } = ctx;
  if (data.key === 'allow_failure') {
    const chain = chainUpTo(pairChainAt(findingDocument(ctx)?.root, finding.range), 'allow_failure');
    const p = chain?.[chain.length - 1]?.pair;
    if (!p?.value) return [];
    const edit = p.value.kind === 'scalar' ? replaceNode(p.value, 'false') : setPairValue(ctx.file, p, false);
    return [{ title: 'Set allow_failure: false', edits: [edit] }];
  }
  if (typeof data.text !== 'string') return [];
  if (data.fix === 'delete') {
    const edit = deleteScriptSpan(ctx, finding.range);
    return edit ? [{ title: `Remove \`${data.text.trim()}\` from the script`, edits: [edit] }] : [];
  }
  if (data.fix === 'insert') return [{ title: `Add \`${data.text.trim()}\` to the scanner command`, edits: [insertAt(finding.uri, finding.range.end, data.text)] }];
  if (data.fix === 'set') return [{ title: `Set --exit-code ${data.text}`, edits: [{ uri: finding.uri, range: finding.range, newText: data.text }] }];
  return [];
}
