import Ajv, { type ValidateFunction } from 'ajv';
import type { ConfigProblem } from '../config/load';
import { toJs } from '../config/load';
import { SEVERITIES, type Severity } from '../engine/severity';
import type { Range } from '../model/location';
import type { YamlMap, YamlNode, YamlPair } from '../model/yaml';
import { boundedRegExp, unsafePattern } from './regex';
import { segmentsOf, type Policy, type PolicyMatch } from './types';

const FIELDS = ['id', 'title', 'severity', 'message', 'match', 'assert'] as const;
const KINDS = ['terraform', 'kubernetes', 'github-actions', 'gitlab-ci'] as const;
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Every Terraform resource type is `<provider>_<name>`. */
const RESOURCE_TYPE = /^[a-z0-9]+_/;

/** Collects a policy's problems: errors skip the policy, warnings do not. */
class Problems {
  readonly list: ConfigProblem[] = [];
  errors = 0;
  constructor(private readonly file: string) {}

  error(range: Range, message: string): void {
    this.errors++;
    this.list.push({ file: this.file, range, severity: 'high', message: `${message} This policy is skipped.` });
  }

  warn(range: Range, message: string): void {
    this.list.push({ file: this.file, range, severity: 'medium', message });
  }
}

/**
 * Checks one entry of a `policies:` list and compiles its `assert`. Problems
 * land on the offending key or value; a policy with an error comes back
 * without `policy` (skipped), one with only warnings still runs.
 * `reserved` holds the ids a policy may not take (built-in rules, engine findings).
 */
export function readPolicy(file: string, item: YamlNode, reserved: ReadonlySet<string>): { policy?: Policy; problems: ConfigProblem[] } {
  const p = new Problems(file);
  if (item.kind !== 'map') {
    p.error(item.range, 'A policy is a mapping with id, title, severity, message, match and assert.');
    return { problems: p.list };
  }
  const missingAt = (pair(item, 'id')?.keyRange ?? item.pairs[0]?.keyRange ?? item.range);
  for (const f of item.pairs) if (!(FIELDS as readonly string[]).includes(f.key)) p.error(f.keyRange, `Unknown policy field "${f.key}": a policy has ${FIELDS.join(', ')}.`);
  for (const f of FIELDS) if (!pair(item, f)?.value) p.error(missingAt, `The policy has no ${f}: add \`${f}:\`${f === 'match' ? ' with one of terraform, kubernetes, github-actions, gitlab-ci' : ''}.`);

  const id = text(p, pair(item, 'id'), 'id');
  if (id !== undefined) {
    const at = pair(item, 'id')!.value!.range;
    if (!KEBAB.test(id)) p.error(at, `The policy id "${id}" is not kebab-case: use lower-case words joined by "-", such as acme-model-version-label.`);
    else if (reserved.has(id)) p.error(at, `The policy id "${id}" is a built-in Plumbline id: pick another, for example with your organisation as a prefix (acme-${id}).`);
  }
  const title = text(p, pair(item, 'title'), 'title');
  const message = text(p, pair(item, 'message'), 'message');
  const severityPair = pair(item, 'severity');
  const severity = text(p, severityPair, 'severity');
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity))
    p.error(severityPair!.value!.range, `severity must be one of ${SEVERITIES.join(', ')}, not "${severity}".`);
  const matchPair = pair(item, 'match');
  const match = matchPair?.value ? readMatch(p, matchPair) : undefined;
  const assertPair = pair(item, 'assert');
  const validate = assertPair?.value ? compileAssert(p, assertPair) : undefined;

  if (p.errors > 0 || !id || !title || !message || !severity || !match || !validate) return { problems: p.list };
  return {
    policy: { id, title, severity: severity as Severity, message, match, validate, file, idRange: pair(item, 'id')!.value!.range },
    problems: p.list,
  };
}

function pair(map: YamlNode | undefined, key: string): YamlPair | undefined {
  return map?.kind === 'map' ? map.pairs.find((x) => x.key === key) : undefined;
}

function text(p: Problems, at: YamlPair | undefined, name: string): string | undefined {
  const v = at?.value;
  if (!v) return undefined;
  if (v.kind !== 'scalar' || typeof v.value !== 'string' || v.value.trim() === '') {
    p.error(v.range, `${name} must be a non-empty string.`);
    return undefined;
  }
  return v.value;
}

// ---- match ------------------------------------------------------------------

function readMatch(p: Problems, matchPair: YamlPair): PolicyMatch | undefined {
  const node = matchPair.value!;
  if (node.kind !== 'map' || node.pairs.length === 0) {
    p.error(node.range, `match must be a mapping with exactly one of ${KINDS.join(', ')}.`);
    return undefined;
  }
  for (const k of node.pairs) if (!(KINDS as readonly string[]).includes(k.key)) p.error(k.keyRange, `Unknown file kind "${k.key}": match one of ${KINDS.join(', ')}.`);
  const kinds = node.pairs.filter((k) => (KINDS as readonly string[]).includes(k.key));
  if (kinds.length > 1) {
    p.error(kinds[1]!.keyRange, `match names ${kinds.length} file kinds: a policy matches exactly one; split it into one policy per kind.`);
    return undefined;
  }
  const kind = kinds[0];
  if (!kind) return undefined;
  const selector = kind.value;
  if (selector?.kind !== 'map') {
    p.error(selector?.range ?? kind.keyRange, `match.${kind.key} must be a mapping (see docs/policies.md).`);
    return undefined;
  }
  switch (kind.key) {
    case 'terraform':
      return terraformMatch(p, kind, selector);
    case 'kubernetes':
      return kubernetesMatch(p, kind, selector);
    case 'github-actions':
      return githubMatch(p, kind, selector);
    default:
      return gitlabMatch(p, kind, selector);
  }
}

function onlyFields(p: Problems, where: string, map: YamlMap, allowed: readonly string[]): void {
  for (const k of map.pairs) if (!allowed.includes(k.key)) p.error(k.keyRange, `Unknown field "${k.key}" in match.${where}: use ${allowed.join(', ')}.`);
}

/**
 * A list of strings, or one string (`"*"`: every one). An empty list is a
 * warning: the policy can never match.
 */
function stringList(p: Problems, at: YamlPair, what: string): string[] | '*' | undefined {
  const v = at.value;
  if (v?.kind === 'scalar' && typeof v.value === 'string' && v.value !== '') return v.value === '*' ? '*' : [v.value];
  if (v?.kind !== 'seq') {
    p.error(v?.range ?? at.keyRange, `${at.key} must be a list of ${what}, or "*".`);
    return undefined;
  }
  const out: string[] = [];
  for (const item of v.items) {
    if (item.kind !== 'scalar' || item.value === null || typeof item.value === 'object') p.error(item.range, `Each entry of ${at.key} must be a string.`);
    else out.push(String(item.value));
  }
  if (v.items.length === 0) p.warn(v.range, `${at.key} is empty, so this policy can never match: list at least one ${what.replace(/s$/, '')}.`);
  return out;
}

/** Exactly one of `keys` in `map`. */
function oneOf(p: Problems, where: YamlPair, map: YamlMap, keys: readonly string[]): YamlPair | undefined {
  const present = map.pairs.filter((k) => keys.includes(k.key));
  if (present.length === 0) p.error(where.keyRange, `match.${where.key} needs one of ${keys.join(', ')}.`);
  else if (present.length > 1) p.error(present[1]!.keyRange, `match.${where.key} takes only one of ${keys.join(', ')}: write one policy for each.`);
  return present.length === 1 ? present[0] : undefined;
}

function terraformMatch(p: Problems, kind: YamlPair, map: YamlMap): PolicyMatch | undefined {
  onlyFields(p, 'terraform', map, ['resources', 'data_sources']);
  const which = oneOf(p, kind, map, ['resources', 'data_sources']);
  if (!which) return undefined;
  const types = stringList(p, which, 'resource types');
  if (!types) return undefined;
  const written = which.value?.kind === 'seq' ? which.value.items : which.value && types !== '*' ? [which.value] : [];
  written.forEach((item) => {
    const t = item.kind === 'scalar' ? String(item.value) : '';
    if (item.kind === 'scalar' && !RESOURCE_TYPE.test(t))
      p.warn(item.range, `"${t}" is not a Terraform ${which.key === 'resources' ? 'resource' : 'data source'} type (those are <provider>_<name>, such as aws_s3_bucket), so it never matches.`);
  });
  return { kind: 'terraform', block: which.key === 'resources' ? 'resource' : 'data', types };
}

function kubernetesMatch(p: Problems, kind: YamlPair, map: YamlMap): PolicyMatch | undefined {
  onlyFields(p, 'kubernetes', map, ['kinds', 'apiVersions', 'labels']);
  const kindsPair = pair(map, 'kinds');
  if (!kindsPair) {
    p.error(kind.keyRange, 'match.kubernetes needs kinds: the object kinds it applies to, such as [Deployment, StatefulSet].');
    return undefined;
  }
  const kinds = stringList(p, kindsPair, 'kinds');
  const apiPair = pair(map, 'apiVersions');
  const apiVersions = apiPair ? stringList(p, apiPair, 'apiVersions') : undefined;
  const labelsPair = pair(map, 'labels');
  let labels: Record<string, string> | undefined;
  if (labelsPair) {
    const v = labelsPair.value;
    if (v?.kind !== 'map') p.error(v?.range ?? labelsPair.keyRange, 'labels must be a mapping of label names to values, such as { workload: model-serving }.');
    else {
      labels = {};
      for (const l of v.pairs) {
        if (l.value?.kind !== 'scalar' || l.value.value === null) p.error(l.value?.range ?? l.keyRange, `The value of label ${l.key} must be a string.`);
        else labels[l.key] = String(l.value.value);
      }
    }
  }
  if (!kinds) return undefined;
  return { kind: 'kubernetes', kinds, ...(apiVersions ? { apiVersions } : {}), ...(labels ? { labels } : {}) };
}

function jobsSelector(p: Problems, at: YamlPair, hidden: boolean): '*' | string[] | undefined {
  const names = stringList(p, at, 'job names');
  if (names && names !== '*' && hidden)
    (at.value?.kind === 'seq' ? at.value.items : at.value ? [at.value] : []).forEach((item) => {
      if (item.kind === 'scalar' && String(item.value).startsWith('.'))
        p.warn(item.range, `"${String(item.value)}" is a hidden template, not a job GitLab runs, so it never matches: name the jobs that extend it.`);
    });
  return names;
}

function githubMatch(p: Problems, kind: YamlPair, map: YamlMap): PolicyMatch | undefined {
  onlyFields(p, 'github-actions', map, ['jobs', 'steps']);
  const which = oneOf(p, kind, map, ['jobs', 'steps']);
  if (!which) return undefined;
  if (which.key === 'jobs') {
    const jobs = jobsSelector(p, which, false);
    return jobs ? { kind: 'github-actions', jobs } : undefined;
  }
  const v = which.value;
  if (v?.kind === 'scalar' && v.value === '*') return { kind: 'github-actions-steps', steps: '*' };
  if (v?.kind !== 'map') {
    p.error(v?.range ?? which.keyRange, 'steps must be "*" or a mapping with uses and/or run patterns, such as { uses: "actions/checkout@*" }.');
    return undefined;
  }
  onlyFields(p, 'github-actions.steps', v, ['uses', 'run']);
  const steps: { uses?: string; run?: string } = {};
  for (const k of ['uses', 'run'] as const) {
    const f = pair(v, k);
    if (!f) continue;
    if (f.value?.kind !== 'scalar' || typeof f.value.value !== 'string') p.error(f.value?.range ?? f.keyRange, `${k} must be a pattern string (* matches any text).`);
    else steps[k] = f.value.value;
  }
  return { kind: 'github-actions-steps', steps };
}

function gitlabMatch(p: Problems, kind: YamlPair, map: YamlMap): PolicyMatch | undefined {
  onlyFields(p, 'gitlab-ci', map, ['jobs']);
  const jobsPair = pair(map, 'jobs');
  if (!jobsPair) {
    p.error(kind.keyRange, 'match.gitlab-ci needs jobs: "*" or a list of job names.');
    return undefined;
  }
  const jobs = jobsSelector(p, jobsPair, true);
  return jobs ? { kind: 'gitlab-ci', jobs } : undefined;
}

// ---- assert -----------------------------------------------------------------

/** Keywords whose values are data, not schemas: a `pattern` key inside them is not a regular expression. */
const DATA_KEYWORDS = new Set(['const', 'enum', 'default', 'examples', 'description', 'title', '$comment']);

/**
 * One ajv for every policy: building one validates its meta-schema, which
 * costs tens of milliseconds, far more than compiling an assert. Compiled
 * asserts are kept by their JSON text, so re-reading a config after an edit
 * elsewhere in it compiles nothing.
 */
let ajvInstance: Ajv | undefined;
const compiled = new Map<string, { schema: Record<string, unknown> | boolean; validate: ValidateFunction }>();
const MAX_COMPILED = 256;

function sharedAjv(): Ajv {
  return (ajvInstance ??= new Ajv({ allErrors: true, strict: true, strictTypes: false, strictTuples: false, strictRequired: false, logger: false, code: { regExp: boundedRegExp } }));
}

function compileAssert(p: Problems, assertPair: YamlPair): ValidateFunction | undefined {
  const node = assertPair.value!;
  if (node.kind !== 'map' && !(node.kind === 'scalar' && typeof node.value === 'boolean')) {
    p.error(node.range, 'assert must be a JSON Schema (a mapping), such as { required: [tags] }.');
    return undefined;
  }
  const before = p.errors;
  checkPatterns(p, node);
  if (p.errors > before) return undefined;
  const schema = toJs(node) as Record<string, unknown> | boolean;
  const ajv = sharedAjv();
  const cacheKey = JSON.stringify(schema);
  const hit = compiled.get(cacheKey);
  if (hit) {
    // Most edits of a config leave each policy's assert as it was.
    compiled.delete(cacheKey);
    compiled.set(cacheKey, hit);
    return hit.validate;
  }
  if (!ajv.validateSchema(schema)) {
    // The meta-schema reports each branch of its anyOf: one problem per place is enough.
    const seen = new Set<string>();
    for (const e of ajv.errors ?? []) {
      if (seen.has(e.instancePath)) continue;
      seen.add(e.instancePath);
      const at = segmentsOf(e.instancePath);
      const where = ['assert', ...at].join('.');
      p.error(nodeAt(node, at)?.range ?? node.range, `assert is not a valid JSON Schema: ${where} ${e.message ?? 'is invalid'}.`);
    }
    return undefined;
  }
  try {
    const validate = ajv.compile(schema);
    compiled.set(cacheKey, { schema, validate });
    // Bounded: intermediate versions typed in the editor are evicted (and dropped from ajv's own cache).
    if (compiled.size > MAX_COMPILED) {
      const [oldest, entry] = compiled.entries().next().value as [string, { schema: Record<string, unknown> | boolean }];
      compiled.delete(oldest);
      if (typeof entry.schema === 'object') ajv.removeSchema(entry.schema);
    }
    return validate;
  } catch (e) {
    const message = (e as Error).message;
    // Strict mode names the keyword or format it does not know: point at it when it is written in the schema.
    const keyword = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
    const format = /unknown format "([^"]+)"/.exec(message)?.[1];
    const range = (keyword ? findKey(node, keyword) : undefined) ?? (format ? findKey(node, 'format') : undefined) ?? assertPair.keyRange;
    const hint = format ? ' Formats are not available in policies: use a pattern instead.' : keyword ? ' Check its spelling against JSON Schema draft-07.' : '';
    p.error(range, `assert does not compile: ${message.replace(/^strict mode: /, '')}.${hint}`);
    return undefined;
  }
}

/** Refuses regular expressions that could make evaluation hang (see regex.ts), at the pattern itself. */
function checkPatterns(p: Problems, node: YamlNode): void {
  if (node.kind === 'seq') node.items.forEach((i) => checkPatterns(p, i));
  if (node.kind !== 'map') return;
  for (const k of node.pairs) {
    if (DATA_KEYWORDS.has(k.key) || !k.value) continue;
    if (k.key === 'pattern' && k.value.kind === 'scalar' && typeof k.value.value === 'string') {
      const why = unsafePattern(k.value.value);
      if (why) p.error(k.value.range, `The pattern ${k.value.value} ${why}.`);
      continue;
    }
    if (k.key === 'patternProperties' && k.value.kind === 'map')
      for (const pp of k.value.pairs) {
        const why = unsafePattern(pp.key);
        if (why) p.error(pp.keyRange, `The pattern ${pp.key} ${why}.`);
      }
    checkPatterns(p, k.value);
  }
}

function nodeAt(root: YamlNode, segments: readonly string[]): YamlNode | undefined {
  let node: YamlNode | undefined = root;
  for (const s of segments) {
    if (node?.kind === 'map') node = node.pairs.find((x) => x.key === s)?.value;
    else if (node?.kind === 'seq') node = node.items[Number(s)];
    else return undefined;
  }
  return node;
}

/** The first key named `name` anywhere in the schema (depth first, in order). */
function findKey(node: YamlNode, name: string): Range | undefined {
  if (node.kind === 'seq') {
    for (const i of node.items) {
      const r = findKey(i, name);
      if (r) return r;
    }
  }
  if (node.kind !== 'map') return undefined;
  for (const k of node.pairs) {
    if (k.key === name) return k.keyRange;
    const r = k.value && findKey(k.value, name);
    if (r) return r;
  }
  return undefined;
}
