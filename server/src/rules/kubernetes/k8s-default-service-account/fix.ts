import { documentAt, standardYamlFix, type NodePath } from '../../../fixes/standard';
import { eolOf, endOfLine, insertAt, lineText } from '../../../fixes/text';
import type { Range } from '../../../model/location';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';
import { yamlBlockLines } from '../../../fixes/yaml';

/**
 * (ph) Points the pod at a new ServiceAccount and declares it, with the token
 * not mounted, as a document after the workload's. Its name is a placeholder:
 * naming the identity is the author's call.
 */
export function serviceAccountFix(ctx: YamlFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  const podSpecPath = data.podSpecPath as NodePath | undefined;
  const doc = documentAt(file.documents, finding.range);
  if (!podSpecPath || !doc?.root) return [];
  const fieldPath = [...podSpecPath, typeof data.field === 'string' ? data.field : 'serviceAccountName'];
  const point = standardYamlFix({ ...ctx, data: { fix: 'set', path: fieldPath, value: PLACEHOLDER } });
  if (point.length === 0) return [];
  const eol = eolOf(file.text);
  const account = [
    '---',
    'apiVersion: v1',
    'kind: ServiceAccount',
    ...yamlBlockLines('metadata', { name: PLACEHOLDER, ...(typeof data.namespace === 'string' ? { namespace: data.namespace } : {}) }, ''),
    'automountServiceAccountToken: false',
  ];
  const declare = insertAt(file.uri, endOfLine(file.text, lastContentLine(file.text, doc.root.range)), account.map((l) => eol + l).join(''));
  return [{ title: `Use a new ServiceAccount ${PLACEHOLDER} (automountServiceAccountToken: false) instead of "default"`, edits: [...point[0]!.edits, declare], placeholder: true }];
}

/** The root's last line of YAML: its range may run on over blank lines, comments and the next `---`. */
function lastContentLine(text: string, range: Range): number {
  let line = range.end.line;
  while (line > range.start.line && /^\s*(#.*)?$|^(---|\.\.\.)\s*$/.test(lineText(text, line).slice(0, line === range.end.line ? range.end.character : undefined))) line--;
  return line;
}
