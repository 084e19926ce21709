import type { Range } from '../model/location';
import { asMap, get, str, type YamlFile, type YamlMap, type YamlNode } from '../model/yaml';
import type { Declaration, JsonValue, KubeObjectRef } from './types';

/**
 * The Kubernetes objects the workspace's manifests declare, for the
 * Kubernetes and Argo CD drift sources and for mapping their results back to
 * the exact key: one entry per YAML document with `apiVersion`, `kind` and
 * `metadata.name`, in multi-document files too.
 */
export interface Manifest {
  readonly uri: string;
  /** Position of the document in its file, from 0. */
  readonly index: number;
  readonly object: KubeObjectRef;
  /** The document as plain JSON (what `kubectl apply` would send). */
  readonly body: { readonly [key: string]: JsonValue };
  /** The document's YAML text, for an `application/apply-patch+yaml` body. */
  readonly text: string;
  /** The document's model, to map a field path to the key that writes it. */
  readonly root: YamlMap;
}

/** Manifests per parsed file: a file object is replaced when its text changes, so this never goes stale. */
const byFile = new WeakMap<YamlFile, readonly Manifest[]>();

/** The manifests of a set of YAML files (Kubernetes documents only). */
export function manifestsOf(files: readonly YamlFile[]): Manifest[] {
  return files.flatMap((file) => {
    let ms = byFile.get(file);
    if (!ms) byFile.set(file, (ms = manifestsOfFile(file)));
    return ms;
  });
}

function manifestsOfFile(file: YamlFile): Manifest[] {
  const out: Manifest[] = [];
  for (const doc of file.documents) {
    const root = asMap(doc.root);
    if (doc.kind !== 'kubernetes' || !root) continue;
    const apiVersion = str(get(root, 'apiVersion'));
    const kind = str(get(root, 'kind'));
    const name = str(get(get(root, 'metadata'), 'name'));
    if (!apiVersion || !kind || !name) continue;
    const namespace = str(get(get(root, 'metadata'), 'namespace'));
    const body = toJson(root);
    if (!isRecord(body)) continue;
    out.push({
      uri: file.uri,
      index: doc.index,
      object: { apiVersion, kind, ...(namespace ? { namespace } : {}), name },
      body,
      text: sliceRange(file.text, root.range),
      root,
    });
  }
  return out;
}

/**
 * The manifest declaring an object: same group (the version may differ),
 * kind, name and namespace; failing that, a manifest that names no
 * namespace (it is applied to the context's namespace, whichever that is).
 */
export function findManifest(manifests: readonly Manifest[], o: KubeObjectRef): Manifest | undefined {
  const group = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.lastIndexOf('/')) : '');
  const same = (m: Manifest) => m.object.kind === o.kind && m.object.name === o.name && group(m.object.apiVersion) === group(o.apiVersion);
  return manifests.find((m) => same(m) && m.object.namespace === o.namespace) ?? manifests.find((m) => same(m) && m.object.namespace === undefined);
}

/**
 * The declaration of a manifest: the document's `kind` key (the header of a
 * Kubernetes object), and per changed field path the key that writes it, or
 * the deepest key of the path the manifest has. Paths are dotted with list
 * indexes in brackets: `spec.template.spec.containers[0].image`;
 * `metadata.labels.app\.kubernetes\.io/name` escapes dots inside a key.
 */
export function manifestDeclaration(m: Manifest, paths: readonly string[]): Declaration {
  const kindPair = m.root.pairs.find((p) => p.key === 'kind');
  const header = kindPair?.range ?? m.root.range;
  const attributes: Record<string, Range> = {};
  for (const p of paths) {
    const r = rangeOfField(m.root, fieldSteps(p));
    if (r) attributes[p] = r;
  }
  return { uri: m.uri, range: header, ...(Object.keys(attributes).length ? { attributes } : {}) };
}

/** `a.b[0].c\.d` → ['a', 'b', 0, 'c.d']. */
export function fieldSteps(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  let current = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i]!;
    if (c === '\\' && i + 1 < path.length) current += path[++i];
    else if (c === '.') {
      if (current) out.push(current);
      current = '';
    } else if (c === '[') {
      if (current) out.push(current);
      current = '';
      const end = path.indexOf(']', i);
      const inner = path.slice(i + 1, end < 0 ? path.length : end);
      out.push(/^\d+$/.test(inner) ? Number(inner) : inner);
      i = end < 0 ? path.length : end;
    } else current += c;
  }
  if (current) out.push(current);
  return out;
}

/** A field path in the notation of fieldSteps (dots in keys escaped). */
export function fieldPath(steps: readonly (string | number)[]): string {
  return steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i > 0 ? '.' : ''}${s.replace(/[.\\[\]]/g, (c) => `\\${c}`)}`)).join('');
}

function rangeOfField(root: YamlNode, steps: readonly (string | number)[]): Range | undefined {
  let node: YamlNode | undefined = root;
  let found: Range | undefined;
  for (const step of steps) {
    if (!node) break;
    if (typeof step === 'number') {
      if (node.kind !== 'seq') break;
      node = node.items[step];
      if (node) found = node.range;
      continue;
    }
    if (node.kind !== 'map') break;
    const p: YamlMap['pairs'][number] | undefined = node.pairs.find((x) => x.key === step);
    if (!p) break;
    found = p.range;
    node = p.value;
  }
  return found;
}

function toJson(node: YamlNode | undefined): JsonValue {
  if (!node) return null;
  if (node.kind === 'scalar') return node.value;
  if (node.kind === 'seq') return node.items.map(toJson);
  const out: { [key: string]: JsonValue } = {};
  for (const p of node.pairs) out[p.key] = toJson(p.value);
  return out;
}

function isRecord(v: JsonValue): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sliceRange(text: string, range: Range): string {
  const lines = text.split(/\r?\n/);
  const part = lines.slice(range.start.line, range.end.line + 1);
  if (part.length === 0) return '';
  // The end first: on a one-line range both cuts apply to the same line, in its own coordinates.
  part[part.length - 1] = part[part.length - 1]!.slice(0, range.end.character);
  part[0] = part[0]!.slice(range.start.character);
  return part.join('\n');
}
