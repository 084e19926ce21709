import { LineIndex } from '../../../model/location';
import type { Fix, TerraformFixContext } from '../../../fixes/types';

/**
 * Replaces the condition value the finding points at, wherever the policy is
 * written (an HCL list or string in a policy document or jsonencode, or JSON
 * in a heredoc): a list becomes a one-item list, a string a string. Only
 * `set` is offered; adding a missing condition is left to the author.
 */
export function fixSubject(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  if (data.fix !== 'set' || typeof data.value !== 'string') return [];
  const index = new LineIndex(file.text);
  const current = file.text.slice(index.offset(finding.range.start), index.offset(finding.range.end));
  const quoted = JSON.stringify(data.value);
  if (!/^\s*[["]/.test(current)) return [];
  const newText = current.trimStart().startsWith('[') ? `[${quoted}]` : quoted;
  return [{ title: `Set the condition value to ${quoted}`, edits: [{ uri: file.uri, range: finding.range, newText }] }];
}
