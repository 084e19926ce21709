import { documentAt, nodeAt, standardYamlFix, type NodePath } from '../../../fixes/standard';
import { retitled, scalarLike } from '../../../fixes/k8sfix-yaml';
import { insertAt } from '../../../fixes/text';
import type { Fix, YamlFixContext } from '../../../fixes/types';
import { deleteItem, deletePair, isFlow } from '../../../fixes/yaml';
import { asMap, asSeq } from '../../../model/yaml';

/**
 * The capability fixes keep the list's own quoting (`["NET_RAW", "ALL"]`)
 * and name the capability they touch; removing the only added capability
 * removes the `add:` key instead of leaving an empty list behind.
 */
export function capabilitiesFix(ctx: YamlFixContext<unknown>): Fix[] {
  const { data, file, finding } = ctx;
  const path = data.path as NodePath | undefined;
  const root = documentAt(file.documents, finding.range)?.root;
  if (!path || !root) return [];
  if (data.fix === 'delete') {
    const seq = asSeq(nodeAt(root, path.slice(0, -1)).node);
    const index = path[path.length - 1] as number;
    const item = seq?.items[index];
    if (!seq || !item) return [];
    const name = item.kind === 'scalar' ? String(item.value) : 'the capability';
    if (seq.items.length > 1) return [{ title: `Remove ${name} from capabilities.add`, edits: [deleteItem(file, seq, index)] }];
    const { pair, parent } = nodeAt(root, path.slice(0, -1));
    const capabilities = asMap(parent);
    if (!pair || !capabilities) return [];
    return [{ title: `Remove capabilities.add (it only adds ${name})`, edits: [deletePair(file, capabilities, pair)] }];
  }
  if (data.fix === 'set') {
    const item = nodeAt(root, path).node;
    if (!item) return [];
    return [{ title: 'Write "ALL" in upper case in capabilities.drop', edits: [{ uri: file.uri, range: item.range, newText: scalarLike(item, 'ALL') }] }];
  }
  if (data.append) {
    const seq = asSeq(nodeAt(root, path).node);
    if (!seq) return [];
    const title = 'Add "ALL" to capabilities.drop';
    if (!isFlow(file, seq)) return retitled(standardYamlFix(ctx), title);
    const last = seq.items[seq.items.length - 1];
    const end = seq.range.end;
    return [{ title, edits: [insertAt(file.uri, { line: end.line, character: end.character - 1 }, `${last ? ', ' : ''}${scalarLike(last, 'ALL')}`)] }];
  }
  return retitled(standardYamlFix(ctx), 'Add securityContext.capabilities.drop: ["ALL"]');
}
