import { CompletionItemKind, InsertTextFormat, MarkupKind, type CompletionItem, type Position, type Range } from 'vscode-languageserver-types';
import type { AnyRule } from '../engine/rule';
import { isBlock, keysOf, ruleOfPath, schemaAt, schemaOf, valuesOf, type ConfigPath, type Schema } from './configSchemaWalk';

/**
 * Completion in a `.plumbline.yaml`: top-level keys and global parameters,
 * rule ids under `rules:`, a rule's settings and its params, severities,
 * booleans and preset names.
 *
 * Where the cursor is comes from the lines as the user sees them
 * (indentation and `key:`), not from a parse: half-typed YAML such as
 * `rules:\n  tf-aws-` parses as the scalar value of `rules`, and an empty
 * line parses as nothing at all, yet both are plainly "a key under rules".
 */
export function configCompletion(text: string, position: Position, rules: readonly AnyRule[]): CompletionItem[] {
  const lines = text.split(/\r\n|\r|\n/);
  const line = lines[position.line];
  if (line === undefined) return [];
  const before = line.slice(0, position.character);
  if (/#/.test(before.replace(/"[^"]*"|'[^']*'/g, ''))) return []; // inside a comment
  const wordEnd = position.character + (/^[\w.-]*/.exec(line.slice(position.character))?.[0].length ?? 0);
  const root = schemaOf(rules);

  const asKey = /^(\s*)(-\s+)?([\w.-]*)$/.exec(before);
  if (asKey) {
    const dash = asKey[2] ?? '';
    const indent = asKey[1]!.length;
    const parent = [...ancestors(lines, position.line, indent), ...(dash ? ['-'] : [])];
    const range = wordRange(position, asKey[3]!.length, wordEnd);
    const schema = schemaAt(root, parent);
    // `- ` under a list of values (extends): complete the value.
    if (dash && keysOf(schema).length === 0) return valueItems(root, parent, range);
    const present = siblingKeys(lines, position.line, indent + dash.length);
    const colonFollows = line.slice(wordEnd).trimStart().startsWith(':');
    return keysOf(schema)
      .filter(([key]) => !present.has(key))
      .map(([key, s]) => keyItem(key, s, parent, rules, range, indent + dash.length, colonFollows));
  }

  // `key: val|` or `key: [a, val|`: a value, or an item of a flow list.
  const asValue = /^(\s*)(-\s+)?([\w.-]+):\s+(\[(?:[^\]]*,)?\s*)?([\w.-]*)$/.exec(before);
  if (asValue) {
    const path = [...ancestors(lines, position.line, asValue[1]!.length), ...(asValue[2] ? ['-'] : []), asValue[3]!, ...(asValue[4] ? ['-'] : [])];
    return valueItems(root, path, wordRange(position, asValue[5]!.length, wordEnd));
  }
  return [];
}

function wordRange(position: Position, typed: number, end: number): Range {
  return { start: { line: position.line, character: position.character - typed }, end: { line: position.line, character: end } };
}

interface KeyLine {
  /** Column of the line's first character, or of its `-`. */
  readonly indent: number;
  /** Column of the key (after `- ` for an item's first key). */
  readonly keyIndent: number;
  readonly dash: boolean;
  readonly key?: string;
}

function readLine(text: string): KeyLine | undefined {
  if (/^\s*(#.*)?$/.test(text)) return undefined;
  const m = /^(\s*)(-(?:\s+|$))?(?:("[^"]*"|'[^']*'|[^\s#:'"][^#:]*?)\s*:(?:\s|$))?/.exec(text)!;
  const indent = m[1]!.length;
  const key = m[3]?.replace(/^["']|["']$/g, '');
  return { indent, keyIndent: indent + (m[2]?.length ?? 0), dash: !!m[2], ...(key !== undefined ? { key } : {}) };
}

/** The keys (and list items, as '-') enclosing column `indent` of line `lineNo`, outermost first. */
function ancestors(lines: readonly string[], lineNo: number, indent: number): string[] {
  const path: string[] = [];
  let threshold = indent;
  for (let l = lineNo - 1; l >= 0 && threshold > 0; l--) {
    const info = readLine(lines[l]!);
    if (!info) continue;
    if (info.key !== undefined && info.keyIndent < threshold) {
      path.unshift(info.key);
      threshold = info.keyIndent;
    }
    if (info.dash && info.indent < threshold) {
      path.unshift('-');
      threshold = info.indent;
    }
  }
  return path;
}

/** Keys already written in the mapping the cursor's line belongs to (not offered again). */
function siblingKeys(lines: readonly string[], lineNo: number, keyIndent: number): Set<string> {
  const out = new Set<string>();
  const scan = (from: number, step: 1 | -1) => {
    for (let l = from; l >= 0 && l < lines.length; l += step) {
      const info = readLine(lines[l]!);
      if (!info) continue;
      if (info.keyIndent < keyIndent || (info.dash && info.indent < keyIndent)) {
        // The first key of this list item is a sibling; the item's dash ends the mapping.
        if (info.dash && info.keyIndent === keyIndent && info.key !== undefined && step === -1) out.add(info.key);
        return;
      }
      if (info.keyIndent === keyIndent && info.key !== undefined) out.add(info.key);
    }
  };
  scan(lineNo - 1, -1);
  scan(lineNo + 1, 1);
  return out;
}

function keyItem(key: string, schema: Schema, parent: ConfigPath, rules: readonly AnyRule[], range: Range, indent: number, colonFollows: boolean): CompletionItem {
  const rule = parent.length === 1 && parent[0] === 'rules' ? rules.find((r) => r.id === key) : undefined;
  const owner = ruleOfPath(parent, rules);
  const param = owner && parent.length === 3 && parent[2] === 'params' ? owner.params?.properties[key] : undefined;
  const docs: string[] = [];
  if (typeof schema.description === 'string') docs.push(schema.description);
  if (param) docs.push(`Default: \`${JSON.stringify(param.default ?? null)}\``);
  // A mapping or list goes on the lines below its key; a scalar after it.
  const block = isBlock(schema);
  const insert = colonFollows ? key : block ? `${key}:\n${' '.repeat(indent + 2)}$0` : `${key}: $0`;
  return {
    label: key,
    kind: rule ? CompletionItemKind.Module : CompletionItemKind.Property,
    ...(rule ? { detail: `${rule.title} (${rule.severity})` } : param ? { detail: `param of ${owner!.id}` } : {}),
    ...(docs.length ? { documentation: { kind: MarkupKind.Markdown, value: docs.join('\n\n') } } : {}),
    textEdit: { range, newText: insert },
    insertTextFormat: InsertTextFormat.Snippet,
  };
}

/** Values at `path`; an item of a list takes the list's examples too (`extends: [strict, …]`). */
function valueItems(root: Schema, path: ConfigPath, range: Range): CompletionItem[] {
  const preset = path[0] === 'extends';
  const own = valuesOf(schemaAt(root, path));
  const values = own.length || path[path.length - 1] !== '-' ? own : valuesOf(schemaAt(root, path.slice(0, -1)));
  return values.map((value) => ({
    label: value,
    kind: preset ? CompletionItemKind.Module : CompletionItemKind.EnumMember,
    ...(preset ? { detail: 'Plumbline preset' } : {}),
    textEdit: { range, newText: value },
  }));
}
