import { LineIndex, type Located } from '../model/location';
import { asMap, get, pair, str, type YamlDocument, type YamlFile, type YamlMap, type YamlNode, type YamlPair } from '../model/yaml';

/**
 * Workloads of Kubernetes manifests (catalog §6): every pod spec an object
 * declares, with its containers, so that container rules share one notion of
 * "where the pod spec is", "which containers exist" and "what is Unknown".
 */

/** The files and documents a YAML rule receives (a `YamlContext` satisfies it). */
export interface KubernetesSource {
  readonly file: YamlFile;
  readonly documents: readonly YamlDocument[];
}

/** A path from a document root: map keys and sequence indexes. */
export type NodePath = readonly (string | number)[];

export interface KubernetesObject {
  readonly file: YamlFile;
  readonly document: YamlDocument;
  readonly root: YamlMap;
  /** Path of `root` in the document: `[]`, or `['items', i]` inside a `kind: List`. */
  readonly path: NodePath;
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: YamlMap | undefined;
  readonly name: string | undefined;
  /** Undefined when absent or templated: both are decided at deploy time. */
  readonly namespace: string | undefined;
}

export interface Workload {
  readonly object: KubernetesObject;
  /** The `spec:` pair whose value is the pod spec (its key is `key(spec)` in the catalog). */
  readonly podSpecPair: YamlPair;
  readonly podSpec: YamlMap;
  readonly podSpecPath: NodePath;
  /** The `template:` pair holding the pod spec; undefined for a bare Pod. */
  readonly template: YamlPair | undefined;
  /** Metadata of the pods: the template's `metadata`, or the Pod's own. */
  readonly podMetadata: YamlMap | undefined;
  /** Containers of all three lists, in document order per list. */
  readonly containers: readonly Container[];
}

export const CONTAINER_LISTS = ['containers', 'initContainers', 'ephemeralContainers'] as const;
export type ContainerList = (typeof CONTAINER_LISTS)[number];

export interface Container {
  readonly workload: Workload;
  readonly list: ContainerList;
  readonly index: number;
  /** The sequence item. */
  readonly node: YamlMap;
  readonly path: NodePath;
  readonly namePair: YamlPair | undefined;
  /** Undefined when absent or not a plain string. */
  readonly name: string | undefined;
}

export interface WorkloadOptions {
  /** Objects whose `metadata.namespace` is one of these are skipped (catalog default: kube-system). */
  readonly exemptNamespaces?: readonly string[];
}

export const DEFAULT_EXEMPT_NAMESPACES: readonly string[] = ['kube-system'];

/** The `exempt_namespaces` param, for rules to put in their params schema. */
export const exemptNamespacesParam = {
  type: 'array',
  items: { type: 'string' },
  default: [...DEFAULT_EXEMPT_NAMESPACES],
  description: 'Objects in these namespaces (metadata.namespace) are not checked.',
} as const;

interface BuiltinLocation {
  /** API groups the kind belongs to ('' = core). */
  readonly groups: readonly string[];
  readonly path: readonly string[];
}

const TEMPLATE_SPEC = ['spec', 'template', 'spec'];

const BUILTIN_POD_SPECS: Readonly<Record<string, BuiltinLocation>> = {
  Pod: { groups: [''], path: ['spec'] },
  ReplicationController: { groups: [''], path: TEMPLATE_SPEC },
  Deployment: { groups: ['apps', 'extensions'], path: TEMPLATE_SPEC },
  StatefulSet: { groups: ['apps'], path: TEMPLATE_SPEC },
  DaemonSet: { groups: ['apps', 'extensions'], path: TEMPLATE_SPEC },
  ReplicaSet: { groups: ['apps', 'extensions'], path: TEMPLATE_SPEC },
  Job: { groups: ['batch'], path: TEMPLATE_SPEC },
  CronJob: { groups: ['batch'], path: ['spec', 'jobTemplate', 'spec', 'template', 'spec'] },
};

/** Every object of the Kubernetes documents, with the items of `kind: List` expanded. */
export function kubernetesObjects(src: KubernetesSource): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  const add = (document: YamlDocument, node: YamlNode | undefined, path: NodePath): void => {
    if (node?.kind !== 'map') return;
    const apiVersion = str(get(node, 'apiVersion'));
    const kind = str(get(node, 'kind'));
    if (!apiVersion || !kind) return;
    if (kind === 'List' && apiVersion === 'v1') {
      const list = get(node, 'items');
      if (list?.kind === 'seq') list.items.forEach((item, i) => add(document, item, [...path, 'items', i]));
      return;
    }
    const metadata = asMap(get(node, 'metadata'));
    const namespace = str(get(metadata, 'namespace'));
    out.push({
      file: src.file,
      document,
      root: node,
      path,
      apiVersion,
      kind,
      metadata,
      name: str(get(metadata, 'name')),
      namespace: namespace === undefined || isTemplated(namespace) ? undefined : namespace,
    });
  };
  for (const d of src.documents) add(d, d.root, []);
  return out;
}

/** Every pod spec of the Kubernetes documents, except objects in exempt namespaces. */
const workloadMemo = new WeakMap<readonly YamlDocument[], Map<string, readonly Workload[]>>();

/**
 * The workloads of the documents, skipping exempt namespaces. Most Kubernetes
 * rules ask for them, so they are computed once per documents array (the
 * engine hands every rule of a run the same one) and exemption list.
 */
export function workloads(src: KubernetesSource, options: WorkloadOptions = {}): readonly Workload[] {
  const exempt = options.exemptNamespaces ?? DEFAULT_EXEMPT_NAMESPACES;
  let byExempt = workloadMemo.get(src.documents);
  if (!byExempt) workloadMemo.set(src.documents, (byExempt = new Map()));
  const key = JSON.stringify(exempt);
  let found = byExempt.get(key);
  if (!found) byExempt.set(key, (found = computeWorkloads(src, exempt)));
  return found;
}

function computeWorkloads(src: KubernetesSource, exempt: readonly string[]): readonly Workload[] {
  const out: Workload[] = [];
  for (const object of kubernetesObjects(src)) {
    // A templated namespace counts as absent: skipping it would silence every rule for it.
    if (object.namespace !== undefined && exempt.includes(object.namespace)) continue;
    const found = podSpecOf(object);
    if (found) out.push(workload(object, found));
  }
  return Object.freeze(out);
}

interface FoundSpec {
  readonly pair: YamlPair;
  readonly map: YamlMap;
  /** The map holding `pair`: the pod template, or the Pod itself. */
  readonly parent: YamlMap;
  /** The pair holding `parent` (`template:`); undefined for a Pod. */
  readonly parentPair: YamlPair | undefined;
  readonly path: NodePath;
}

/**
 * The pod spec at the kind's location. Kinds are matched with their API group,
 * so a custom resource that reuses a name (a Volcano `Job`) is not read as a pod.
 * (CRD locations, the catalog's global `pod_spec_paths`, would be added here.)
 */
function podSpecOf(object: KubernetesObject): FoundSpec | undefined {
  const builtin = BUILTIN_POD_SPECS[object.kind];
  if (!builtin) return undefined;
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  if (!builtin.groups.includes(group) && !isTemplated(object.apiVersion)) return undefined;
  let parent: YamlMap = object.root;
  let parentPair: YamlPair | undefined;
  const path: (string | number)[] = [...object.path];
  for (const [i, step] of builtin.path.entries()) {
    const p = pair(parent, step);
    if (p?.value?.kind !== 'map') return undefined;
    path.push(step);
    if (i === builtin.path.length - 1) return { pair: p, map: p.value, parent, parentPair, path };
    parent = p.value;
    parentPair = p;
  }
  return undefined;
}

function workload(object: KubernetesObject, found: FoundSpec): Workload {
  const containers: Container[] = [];
  const w: Workload = {
    object,
    podSpecPair: found.pair,
    podSpec: found.map,
    podSpecPath: found.path,
    template: found.parentPair,
    podMetadata: asMap(get(found.parent, 'metadata')),
    containers,
  };
  for (const list of CONTAINER_LISTS) {
    const seq = get(found.map, list);
    if (seq?.kind !== 'seq') continue;
    seq.items.forEach((node, index) => {
      if (node.kind !== 'map') return;
      const namePair = pair(node, 'name');
      const name = str(namePair?.value);
      containers.push({ workload: w, list, index, node, path: [...found.path, list, index], namePair, name: name && !isTemplated(name) ? name : undefined });
    });
  }
  return w;
}

// ---- locations -----------------------------------------------------------------

/** `ctr` of the catalog: the item's `name: …` pair, else its first pair. */
export function containerLocation(c: Container): Located {
  const target = c.namePair ?? c.node.pairs[0];
  return { uri: c.node.uri, range: target ? target.range : c.node.range };
}

/** For messages: `init container "migrate" in Deployment "trainer"`. */
export function describeContainer(c: Container): string {
  const list = c.list === 'initContainers' ? 'init container' : c.list === 'ephemeralContainers' ? 'ephemeral container' : 'container';
  const name = c.name !== undefined ? `"${c.name}"` : `#${c.index + 1}`;
  return `${list} ${name} in ${describeObject(c.workload.object)}`;
}

/** For messages: `Deployment "trainer"`. */
export function describeObject(o: KubernetesObject): string {
  return o.name !== undefined && !isTemplated(o.name) ? `${o.kind} "${o.name}"` : o.kind;
}

// ---- known, absent, unknown (catalog §3) ---------------------------------------

/** Helm `{{ … }}` expressions and envsubst `${…}` placeholders. */
const TEMPLATE = /\{\{|\$\{[^}]*\}/;

export function isTemplated(text: string): boolean {
  return TEMPLATE.test(text);
}

export type Setting =
  | { readonly state: 'known'; readonly pair: YamlPair; readonly value: YamlNode }
  | { readonly state: 'absent' }
  | { readonly state: 'unknown'; readonly at: Located };

const ABSENT: Setting = { state: 'absent' };

/**
 * Reads the value at a path of map keys below `node`. Absent when a key is
 * missing, empty or `null`, or a step is not a map; Unknown when the value or
 * a map on the way is a template expression.
 */
export function setting(file: YamlFile, node: YamlNode | undefined, path: readonly string[]): Setting {
  let cur = node;
  for (let i = 0; i < path.length; i++) {
    if (!cur) return ABSENT;
    if (isUnknownNode(file, cur)) return { state: 'unknown', at: cur };
    const p = pair(cur, path[i]!);
    if (!p?.value) return ABSENT;
    if (i === path.length - 1) {
      if (isUnknownNode(file, p.value)) return { state: 'unknown', at: p.value };
      if (p.value.kind === 'scalar' && p.value.value === null) return ABSENT;
      return { state: 'known', pair: p, value: p.value };
    }
    cur = p.value;
  }
  return ABSENT;
}

/**
 * A value the manifest does not state yet: a scalar with a template
 * expression, or an unquoted `{{ … }}` that YAML reads as a map with no
 * readable key (`resources: {{ toYaml .Values.resources }}`).
 */
export function isUnknownNode(file: YamlFile, node: YamlNode): boolean {
  if (node.kind === 'scalar') return typeof node.value === 'string' && isTemplated(node.value);
  if (node.kind === 'map' && node.pairs.length === 0) return isTemplated(sourceOf(file, node));
  return false;
}

const lineIndexes = new WeakMap<YamlFile, LineIndex>();

function sourceOf(file: YamlFile, node: YamlNode): string {
  let index = lineIndexes.get(file);
  if (!index) lineIndexes.set(file, (index = new LineIndex(file.text)));
  return file.text.slice(index.offset(node.range.start), index.offset(node.range.end));
}

/** Security context fields that exist on both the pod and the container. */
export type SharedSecurityField =
  | 'runAsUser'
  | 'runAsGroup'
  | 'runAsNonRoot'
  | 'seLinuxOptions'
  | 'seccompProfile'
  | 'appArmorProfile'
  | 'windowsOptions';

export type EffectiveSetting =
  | (Extract<Setting, { state: 'known' }> & { readonly level: 'container' | 'pod' })
  | Exclude<Setting, { state: 'known' }>;

/** The container's `securityContext.<field>`, else the pod's (catalog §6: the container overrides the pod). */
export function effectiveSecurityContext(c: Container, field: SharedSecurityField): EffectiveSetting {
  const file = c.workload.object.file;
  const own = setting(file, c.node, ['securityContext', field]);
  if (own.state === 'known') return { ...own, level: 'container' };
  if (own.state === 'unknown') return own;
  const pod = setting(file, c.workload.podSpec, ['securityContext', field]);
  return pod.state === 'known' ? { ...pod, level: 'pod' } : pod;
}

/** `spec.os.name: windows`; Unknown when templated. */
export function podOs(w: Workload): Setting {
  return setting(w.object.file, w.podSpec, ['os', 'name']);
}

/**
 * The workloads a Linux-only control applies to. Pod Security Standards exempt
 * Windows pods; a pod whose `spec.os.name` is templated may be one, so it is
 * Unknown (passed to `unknown`) rather than judged.
 */
export function linuxWorkloads(
  src: KubernetesSource,
  options: WorkloadOptions,
  unknown: (at: Located, origin: string) => void,
): readonly Workload[] {
  return workloads(src, options).filter((w) => {
    const os = podOs(w);
    if (os.state === 'unknown') {
      unknown(os.at, templatedOrigin(`spec.os.name of ${describeObject(w.object)} (Windows pods are exempt)`));
      return false;
    }
    return !(os.state === 'known' && str(os.value) === 'windows');
  });
}

// ---- quantities ------------------------------------------------------------------

/**
 * A Kubernetes resource quantity, exactly: `digits × 10^exp10 × 2^exp2`.
 * Kept exact (BigInt) so that `1Gi` and `1073741824` compare equal.
 */
export interface Quantity {
  readonly digits: bigint;
  readonly exp10: number;
  readonly exp2: number;
}

const SUFFIXES: Readonly<Record<string, readonly [exp10: number, exp2: number]>> = {
  Ki: [0, 10], Mi: [0, 20], Gi: [0, 30], Ti: [0, 40], Pi: [0, 50], Ei: [0, 60],
  n: [-9, 0], u: [-6, 0], m: [-3, 0], '': [0, 0], k: [3, 0], M: [6, 0], G: [9, 0], T: [12, 0], P: [15, 0], E: [18, 0],
};

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

/** Parses `512Mi`, `1.5G`, `250m`, `128e6`, `1e+21` (a YAML number is read as written by `String`); undefined if malformed. */
export function parseQuantity(text: string): Quantity | undefined {
  const m = QUANTITY.exec(text.trim());
  if (!m) return undefined;
  const [, sign, number, exponent, suffix] = m;
  const [whole, fraction = ''] = number!.split('.');
  const [s10, s2] = SUFFIXES[suffix ?? '']!;
  const exp10 = (exponent !== undefined ? Number(exponent) : s10) - fraction.length;
  if (Math.abs(exp10) > 1000) return undefined;
  const digits = BigInt(`${whole || '0'}${fraction}`);
  return { digits: sign === '-' ? -digits : digits, exp10, exp2: s2 };
}

/** The quantity of a known scalar (string or number). */
export function quantityOf(node: YamlNode): Quantity | undefined {
  if (node.kind !== 'scalar' || (typeof node.value !== 'string' && typeof node.value !== 'number')) return undefined;
  return parseQuantity(String(node.value));
}

/** Negative, zero or positive as a < b, a = b, a > b. */
export function compareQuantities(a: Quantity, b: Quantity): number {
  const e10 = Math.min(a.exp10, b.exp10);
  const e2 = Math.min(a.exp2, b.exp2);
  const scaled = (q: Quantity) => q.digits * 10n ** BigInt(q.exp10 - e10) * 2n ** BigInt(q.exp2 - e2);
  const x = scaled(a);
  const y = scaled(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

// ---- helpers shared by the container rules ----------------------------------------

/** The origin text of `ctx.unknown` for a templated value (catalog §3). */
export function templatedOrigin(what: string): string {
  return `${what} is a template expression (Helm \`{{ … }}\` or envsubst \`\${…}\`), decided at render or deploy time`;
}

/** The container's `image` when it is a known, non-empty, untemplated string. */
export function containerImage(c: Container): string | undefined {
  const image = setting(c.workload.object.file, c.node, ['image']);
  if (image.state !== 'known' || image.value.kind !== 'scalar' || typeof image.value.value !== 'string') return undefined;
  const ref = image.value.value.trim();
  return ref === '' || isTemplated(ref) ? undefined : ref;
}

// ---- labels ------------------------------------------------------------------------

/** The known string values of `metadata.labels` (or `annotations`), by key; templated values are left out. */
export function stringMap(metadata: YamlMap | undefined, field: 'labels' | 'annotations'): Map<string, string> {
  const out = new Map<string, string>();
  const m = asMap(get(metadata, field));
  for (const p of m?.pairs ?? []) {
    const v = str(p.value);
    if (v !== undefined && !isTemplated(v)) out.set(p.key, v);
  }
  return out;
}

/** The labels of a workload: its own `metadata.labels` and its pods' (template wins). */
export function workloadLabels(w: Workload): Map<string, string> {
  return new Map([...stringMap(w.object.metadata, 'labels'), ...stringMap(w.podMetadata, 'labels')]);
}

/**
 * An equality-based label selector as kubectl writes it: `key=value`, `key!=value`,
 * `key` (exists), `!key`, comma-separated terms all of which must hold.
 */
export function matchesSelector(labels: ReadonlyMap<string, string>, selector: string): boolean {
  const terms = selector.split(',').map((t) => t.trim()).filter(Boolean);
  if (terms.length === 0) return false;
  return terms.every((t) => {
    const ne = t.indexOf('!=');
    if (ne > 0) return labels.get(t.slice(0, ne).trim()) !== t.slice(ne + 2).trim();
    const eq = t.indexOf('=');
    if (eq > 0) return labels.get(t.slice(0, eq).trim()) === t.slice(eq + 1).replace(/^=/, '').trim();
    if (t.startsWith('!')) return !labels.has(t.slice(1).trim());
    return labels.has(t);
  });
}

/** The `exempt_selectors` param: workloads whose labels match one of these are not checked. */
export const exemptSelectorsParam = {
  type: 'array',
  items: { type: 'string' },
  default: [],
  description:
    'Workloads whose labels (the object\'s and its pod template\'s) match one of these label selectors are not checked: `key=value`, `key!=value`, `key`, `!key`, comma-separated terms that must all hold.',
} as const;
