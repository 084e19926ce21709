import type { Fix, YamlFixContext } from '../../../fixes/types';
import { ensurePairs } from '../../../fixes/yaml';
import { asMap, get } from '../../../model/yaml';

/**
 * `regex: REPLACE_ME` under the input's spec (the header document of the
 * file): the author writes the pattern the value must match.
 */
export function constrainInput(ctx: YamlFixContext<unknown>): Fix[] {
  const { data, file } = ctx;
  if (data.fix !== 'insert' || typeof data.under !== 'string' || typeof data.key !== 'string') return [];
  const path = data.under.split('.');
  const header = file.documents.map((d) => asMap(d.root)).find((root) => asMap(get(root, path[0]!)));
  if (!header) return [];
  const edit = ensurePairs(file, header, path, { [data.key]: data.value });
  return [{ title: `Add ${data.key}: ${String(data.value)} to ${path.join(':')}`, edits: [edit], placeholder: true }];
}
