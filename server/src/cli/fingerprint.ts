import { createHash } from 'node:crypto';
import type { Finding } from '../engine/finding';
import type { HclFile } from '../model/hcl';
import { LineIndex, rangeContains, type Range } from '../model/location';
import { get, str, type YamlDocument, type YamlFile, type YamlNode } from '../model/yaml';

/**
 * Finding fingerprints: an identity for a finding that survives edits that do
 * not touch it, so a baseline (and SARIF's partialFingerprints) can say "this
 * one was already there" after the file has moved on.
 *
 * A fingerprint hashes, and never includes line numbers:
 *   1. the rule id;
 *   2. the file path relative to the directory the check ran from;
 *   3. a structural anchor — in HCL the enclosing top-level block's type and
 *      labels (`resource aws_s3_bucket data`); in YAML the document's identity
 *      (Kubernetes apiVersion/kind/namespace/name; pipelines have their job
 *      in the key path) plus the key path from the document root to the node
 *      (sequence items by their `name:`, `id:` or `uses:` when they have one,
 *      else by position);
 *   4. the text of the finding's range with whitespace normalised (runs of
 *      blanks collapsed, blanks beside punctuation dropped), so re-indenting
 *      or `a="x"` → `a = "x"` keeps it;
 *   5. an occurrence index among findings of the same file that agree on 1–4.
 * Moving a block, re-indenting, or adding an unrelated block above keep every
 * fingerprint; changing the offending value changes it.
 */
export const FINGERPRINT_VERSION = 'plumbline/v1';

/** The parsed file a finding belongs to, whichever language it is in. */
export type ParsedFile = { readonly hcl: HclFile } | { readonly yaml: YamlFile } | { readonly text: string };

/** Fingerprints of one file's findings, in the order given. */
export function fingerprintFindings(file: string, findings: readonly Finding[], parsed: ParsedFile | undefined): string[] {
  const text = parsed ? ('hcl' in parsed ? parsed.hcl.text : 'yaml' in parsed ? parsed.yaml.text : parsed.text) : undefined;
  const index = text === undefined ? undefined : new LineIndex(text);
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const anchor = parsed && 'hcl' in parsed ? hclAnchor(parsed.hcl, f.range) : parsed && 'yaml' in parsed ? yamlAnchor(parsed.yaml, f.range) : '';
    const snippet = text !== undefined && index ? normaliseText(text.slice(index.offset(f.range.start), index.offset(f.range.end))) : '';
    const key = [FINGERPRINT_VERSION, f.ruleId, file, anchor, snippet].join('\u0000');
    const occurrence = seen.get(key) ?? 0;
    seen.set(key, occurrence + 1);
    return createHash('sha256').update(`${key}\u0000${occurrence}`).digest('hex').slice(0, 32);
  });
}

/** Whitespace-insensitive text: blanks collapsed to one space, none beside punctuation. */
export function normaliseText(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/ ?([^\w ]) ?/g, '$1');
}

/** `type label…` of the top-level block that holds the range, or '' outside any block. */
export function hclAnchor(file: HclFile, range: Range): string {
  const block = file.body.blocks.find((b) => rangeContains(b.range, range));
  return block ? [block.type, ...block.labels.map((l) => l.value)].join(' ') : '';
}

/** Document identity and key path of the deepest node that holds the range. */
export function yamlAnchor(file: YamlFile, range: Range): string {
  const doc = file.documents.find((d) => rangeContains(d.range, range)) ?? file.documents.find((d) => d.root && rangeContains(d.root.range, range));
  if (!doc) return '';
  return `${documentIdentity(doc)}|${keyPath(doc.root, range).join('/')}`;
}

function documentIdentity(doc: YamlDocument): string {
  if (doc.kind !== 'kubernetes') return doc.kind;
  const meta = get(doc.root, 'metadata');
  return ['k8s', str(get(doc.root, 'apiVersion')), str(get(doc.root, 'kind')), str(get(meta, 'namespace')) ?? '', str(get(meta, 'name')) ?? ''].join(':');
}

function keyPath(node: YamlNode | undefined, range: Range): string[] {
  const out: string[] = [];
  for (let n = node; n; ) {
    let next: YamlNode | undefined;
    if (n.kind === 'map') {
      const p = n.pairs.find((x) => rangeContains(x.range, range) || rangeContains(x.keyRange, range));
      if (!p) break;
      out.push(p.key);
      next = p.value && rangeContains(p.value.range, range) ? p.value : undefined;
    } else if (n.kind === 'seq') {
      const i = n.items.findIndex((x) => rangeContains(x.range, range));
      if (i < 0) break;
      const item = n.items[i]!;
      // Items known by a name (containers, steps, env entries) keep their identity when others are inserted before them.
      const name = item.kind === 'map' ? (str(get(item, 'name')) ?? str(get(item, 'id')) ?? str(get(item, 'uses'))) : undefined;
      out.push(name !== undefined ? `[${name}]` : `[${i}]`);
      next = item;
    }
    n = next;
  }
  return out;
}
