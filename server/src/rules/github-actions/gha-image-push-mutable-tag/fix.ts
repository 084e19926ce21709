import { fixAtPath, ghaPath, lastLineOf } from '../../../fixes/cifix-pipelines';
import { nodeAt, documentAt } from '../../../fixes/standard';
import { endOfLine, eolOf, indentOf, insertAt, lineText } from '../../../fixes/text';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import type { YamlScalar } from '../../../model/yaml';
import { isFlow } from '../../../fixes/yaml';

/**
 * Appends `<image>:${{ github.sha }}` to `tags`, in the form the tags are
 * written in: a list gets an item, a `|` block a line, a one-line string a
 * comma-separated entry. Folded (`>`) text is left alone: a new line there
 * would join the previous tag with a space.
 */
export function appendImmutableTag(ctx: YamlFixContext<unknown>): Fix[] {
  const { data } = ctx;
  const path = ghaPath(data);
  const doc = documentAt(ctx.file.documents, ctx.finding.range);
  if (!path || !doc || typeof data.value !== 'string') return [];
  const title = `Add the tag ${data.value}`;
  const tags = nodeAt(doc.root, path).node;
  if (tags?.kind === 'seq' && isFlow(ctx.file, tags)) {
    // `{` and `}` end a plain scalar in flow context, so the new entry is quoted.
    const end = tags.range.end;
    return [{ title, edits: [insertAt(ctx.file.uri, { line: end.line, character: end.character - 1 }, `${tags.items.length ? ', ' : ''}${JSON.stringify(data.value)}`)] }];
  }
  if (tags?.kind === 'seq') return fixAtPath(ctx, path, { fix: 'insert', append: true }).map((f) => ({ ...f, title }));
  if (tags?.kind !== 'scalar') return [];
  const edit = appendToText(ctx, tags, data.value);
  return edit ? [{ title, edits: [edit] }] : [];
}

function appendToText(ctx: YamlFixContext<unknown>, tags: YamlScalar, tag: string): TextEdit | undefined {
  const { file } = ctx;
  if (tags.source.startsWith('>')) return undefined;
  if (tags.source.startsWith('|')) {
    let last = lastLineOf(tags);
    while (last > tags.range.start.line && lineText(file.text, last).trim() === '') last--;
    if (last === tags.range.start.line) return undefined;
    return insertAt(file.uri, endOfLine(file.text, last), `${eolOf(file.text)}${indentOf(file.text, last)}${tag}`);
  }
  if (tags.range.start.line !== tags.range.end.line) return undefined;
  const quoted = /^["']/.test(tags.source);
  const end = tags.range.end;
  const at = quoted ? { line: end.line, character: end.character - 1 } : end;
  return insertAt(file.uri, at, `,${tag}`);
}
