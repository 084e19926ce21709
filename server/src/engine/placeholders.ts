import { LineIndex, comparePos, type Range } from '../model/location';
import type { Finding } from './finding';

export const PLACEHOLDER_ID = 'plumbline-placeholder';

const TOKEN = 'REPLACE_ME';

/**
 * A `REPLACE_ME` left in a value (by a placeholder quick fix, or copied from
 * a template) is reported where it stands until someone writes the real
 * value: a placeholder must never look like a finished fix. Comments are
 * left alone (a suppression's placeholder reason is the directive's business).
 */
export function placeholderFindings(file: { readonly uri: string; readonly text: string; readonly comments: readonly { readonly range: Range }[] }): Finding[] {
  if (!file.text.includes(TOKEN)) return [];
  const lines = new LineIndex(file.text);
  const out: Finding[] = [];
  for (let i = file.text.indexOf(TOKEN); i !== -1; i = file.text.indexOf(TOKEN, i + TOKEN.length)) {
    const range = lines.range(i, i + TOKEN.length);
    if (file.comments.some((c) => comparePos(c.range.start, range.start) <= 0 && comparePos(range.end, c.range.end) <= 0)) continue;
    out.push({
      ruleId: PLACEHOLDER_ID,
      severity: 'medium',
      message: 'REPLACE_ME is a placeholder a quick fix inserted: write the real value here. Until then the control it stands for is not in place.',
      uri: file.uri,
      range,
    });
  }
  return out;
}
