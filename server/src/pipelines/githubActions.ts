/**
 * The GitHub Actions reading of a workflow document: triggers, jobs, steps,
 * `uses:` references, permissions, environments and deploy signals, each with
 * the exact place a rule reports at (catalog §1: `job`, `step`, `ref`, `val(x)`).
 *
 * Nothing here decides a violation. Values GitHub only knows at run time
 * (`${{ … }}`) are surfaced as expressions so rules can treat them as Unknown
 * (catalog §3).
 */
import type { Located } from '../model/location';
import { asMap, get, items, keyOf, pair, scalarSpanAt, scalarText, str } from '../model/yaml';
import type { YamlComment, YamlDocument, YamlMap, YamlNode, YamlPair, YamlScalar } from '../model/yaml';
import { compilePattern } from './signals';

// ---- workflow ---------------------------------------------------------------

export interface Workflow {
  readonly document: YamlDocument;
  readonly root: YamlMap;
  /** The `on:` pair. YAML 1.2 reads the key as the string "on" (1.1 parsers read `true`). */
  readonly on: YamlPair | undefined;
  readonly triggers: readonly Trigger[];
  /** The top-level `permissions:` pair. */
  readonly permissions: YamlPair | undefined;
  readonly jobs: readonly Job[];
}

export interface Trigger {
  readonly event: string;
  /** The event name as written: the scalar, the list item or the map key. */
  readonly at: Located;
  /** What the map form holds under the event (`push: {branches: […]}`); undefined otherwise. */
  readonly config: YamlNode | undefined;
}

export interface Job {
  readonly id: string;
  readonly pair: YamlPair;
  /** The job-id key: the catalog's `job` location. */
  readonly at: Located;
  /** Undefined when the job's value is not a mapping (`build:` still being typed). */
  readonly map: YamlMap | undefined;
  /** Job-level `uses:`: a call to a reusable workflow. Such a job has no steps of its own. */
  readonly uses: Uses | undefined;
  readonly steps: readonly Step[];
}

export interface Step {
  readonly index: number;
  readonly map: YamlMap;
  /** The step item's first line (its first pair, cut at the end of that line): the catalog's `step` location. */
  readonly at: Located;
  readonly id: string | undefined;
  readonly uses: Uses | undefined;
  readonly run: YamlScalar | undefined;
  readonly with: YamlMap | undefined;
}

/** The workflows among a file's GitHub Actions documents (documents whose root is a mapping). */
export function workflows(documents: readonly YamlDocument[]): Workflow[] {
  const out: Workflow[] = [];
  for (const d of documents) {
    const wf = workflowOf(d);
    if (wf) out.push(wf);
  }
  return out;
}

export function workflowOf(document: YamlDocument): Workflow | undefined {
  const root = asMap(document.root);
  if (!root) return undefined;
  const on = pair(root, 'on');
  return {
    document,
    root,
    on,
    triggers: on ? triggersOf(on.value) : [],
    permissions: pair(root, 'permissions'),
    jobs: jobsOf(get(root, 'jobs')),
  };
}

/** `on: push`, `on: [push, pull_request]` and `on: {push: {…}, release: …}`. */
export function triggersOf(on: YamlNode | undefined): Trigger[] {
  if (!on) return [];
  if (on.kind === 'scalar') {
    const event = str(on);
    return event ? [{ event, at: on, config: undefined }] : [];
  }
  if (on.kind === 'seq') {
    const out: Trigger[] = [];
    for (const item of on.items) {
      const event = str(item);
      if (event) out.push({ event, at: item, config: undefined });
    }
    return out;
  }
  return on.pairs.map((p) => ({ event: p.key, at: keyOf(p), config: p.value }));
}

export function trigger(wf: Workflow, event: string): Trigger | undefined {
  return wf.triggers.find((t) => t.event === event);
}

export function hasTrigger(wf: Workflow, events: readonly string[]): boolean {
  return wf.triggers.some((t) => events.includes(t.event));
}

export function jobsOf(jobs: YamlNode | undefined): Job[] {
  const map = asMap(jobs);
  if (!map) return [];
  return map.pairs.map((p) => {
    const jobMap = asMap(p.value);
    const usesNode = get(jobMap, 'uses');
    return {
      id: p.key,
      pair: p,
      at: keyOf(p),
      map: jobMap,
      uses: usesNode?.kind === 'scalar' ? parseUses(usesNode) : undefined,
      steps: stepsOf(get(jobMap, 'steps')),
    };
  });
}

/** The steps of a `steps:` sequence (a job's, or a composite action's `runs.steps`). */
export function stepsOf(steps: YamlNode | undefined): Step[] {
  const out: Step[] = [];
  items(steps).forEach((item, index) => {
    if (item.kind !== 'map') return;
    const usesNode = get(item, 'uses');
    const run = get(item, 'run');
    out.push({
      index,
      map: item,
      at: stepLocation(item),
      id: str(get(item, 'id')),
      uses: usesNode?.kind === 'scalar' ? parseUses(usesNode) : undefined,
      run: run?.kind === 'scalar' ? run : undefined,
      with: asMap(get(item, 'with')),
    });
  });
  return out;
}

/** Every step of every job of the workflow, with its job. */
export function allSteps(wf: Workflow): { job: Job; step: Step }[] {
  return wf.jobs.flatMap((job) => job.steps.map((step) => ({ job, step })));
}

function stepLocation(map: YamlMap): Located {
  const first = map.pairs[0];
  if (!first) return map;
  if (first.range.start.line === first.range.end.line) return first;
  // `- run: |` and friends: the first line only, not the whole script.
  const v = first.value;
  if (v?.kind === 'scalar' && v.range.start.line === first.keyRange.start.line) {
    const line = v.source.split(/\r\n|\r|\n/)[0]!.trimEnd();
    return { uri: first.uri, range: { start: first.keyRange.start, end: { line: v.range.start.line, character: v.range.start.character + line.length } } };
  }
  return keyOf(first);
}

// ---- uses -------------------------------------------------------------------

/** A `uses:` value: local path, Docker image, remote action or reusable workflow, or an expression. */
export type Uses = LocalUses | DockerUses | RemoteUses | ExpressionUses;

interface UsesBase {
  readonly node: YamlScalar;
  /** The value as GitHub reads it (quotes and escapes resolved). */
  readonly value: string;
}

export interface LocalUses extends UsesBase {
  readonly kind: 'local';
  /** The path after `./`. */
  readonly path: string;
}

export interface DockerUses extends UsesBase {
  readonly kind: 'docker';
  /** The image after `docker://`. */
  readonly image: string;
}

export interface RemoteUses extends UsesBase {
  readonly kind: 'remote';
  readonly owner: string;
  /** Empty when the value has no `/` (not a valid reference). */
  readonly repo: string;
  /** `owner/repo`, the identity of the action or workflow repository. */
  readonly slug: string;
  /** The path inside the repository (`.github/workflows/deploy.yml`, `sub/action`), if any. */
  readonly path: string | undefined;
  /** Everything before `@`: `owner/repo[/path]`. */
  readonly name: string;
  /** The text after `@` and its exact range in the file (the catalog's `ref`); undefined without `@`. */
  readonly ref: { readonly text: string; readonly at: Located } | undefined;
}

/** `uses:` does not accept expressions; one there is left to the rules as Unknown. */
export interface ExpressionUses extends UsesBase {
  readonly kind: 'expression';
}

export function parseUses(node: YamlScalar): Uses | undefined {
  // As written: a plain value YAML would read as a number keeps its text.
  const raw = scalarText(node);
  const value = raw?.trim();
  if (!raw || !value) return undefined;
  if (value.includes('${{')) return { kind: 'expression', node, value };
  if (value.startsWith('./') || value.startsWith('../')) return { kind: 'local', node, value, path: value.replace(/^\.\//, '') };
  if (value.startsWith('docker://')) return { kind: 'docker', node, value, image: value.slice('docker://'.length) };
  const at = raw.indexOf('@');
  const name = at < 0 ? value : raw.slice(0, at).trim();
  const [owner = '', repo = '', ...rest] = name.split('/');
  let ref: RemoteUses['ref'];
  if (at >= 0) {
    const text = raw.slice(at + 1).trim();
    const start = raw.indexOf(text, at + 1);
    ref = { text, at: scalarSpanAt(node, start, start + text.length) };
  }
  return {
    kind: 'remote',
    node,
    value,
    owner,
    repo,
    slug: `${owner}/${repo}`,
    path: rest.length ? rest.join('/') : undefined,
    name,
    ref,
  };
}

/** A full commit SHA: 40 hex digits (SHA-1), or 64 in SHA-256 repositories. */
export function isFullCommitSha(ref: string): boolean {
  return /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i.test(ref);
}

/** Whether a remote `uses:` names this action (`owner/repo`, or `owner/repo/path`), case-insensitively as GitHub does. */
export function usesAction(uses: Uses | undefined, action: string): boolean {
  return uses?.kind === 'remote' && uses.name.toLowerCase() === action.toLowerCase();
}

// ---- expressions ----------------------------------------------------------------

/** Whether a value contains a `${{ … }}` expression, i.e. is only known at run time. */
export function isExpression(node: YamlNode | undefined): boolean {
  return node?.kind === 'scalar' && typeof node.value === 'string' && node.value.includes('${{');
}

export interface Expression {
  /** `${{ … }}` as written in the value. */
  readonly text: string;
  /** What is between the braces, trimmed. */
  readonly body: string;
  readonly at: Located;
}

/** The `${{ … }}` expressions in a scalar, each with its exact range (an unterminated one runs to the end). */
export function expressions(node: YamlScalar): Expression[] {
  const value = typeof node.value === 'string' ? node.value : '';
  const out: Expression[] = [];
  let from = 0;
  for (;;) {
    const start = value.indexOf('${{', from);
    if (start < 0) break;
    const end = expressionEnd(value, start + 3);
    const text = value.slice(start, end);
    const body = text.slice(3, text.endsWith('}}') ? -2 : undefined).trim();
    out.push({ text, body, at: scalarSpanAt(node, start, end) });
    from = end;
  }
  return out;
}

/** Offset after the `}}` that closes an expression; `}}` inside a '…' string literal does not close it. */
function expressionEnd(value: string, from: number): number {
  let inString = false;
  for (let i = from; i < value.length; i++) {
    const c = value[i];
    if (c === "'") {
      if (inString && value[i + 1] === "'") i++;
      else inString = !inString;
    } else if (!inString && c === '}' && value[i + 1] === '}') return i + 2;
  }
  return value.length;
}

// ---- permissions -------------------------------------------------------------------

export interface PermissionScope {
  readonly scope: string;
  /** `read`, `write`, `none` (anything else as written). */
  readonly level: string;
  readonly pair: YamlPair;
  /** The level's value. */
  readonly at: Located;
}

/** A `permissions:` value: `read-all` / `write-all`, a map of scopes (`{}` = none), or something else. */
export type Permissions =
  | { readonly kind: 'all'; readonly level: 'read-all' | 'write-all'; readonly pair: YamlPair; readonly at: Located }
  | { readonly kind: 'scopes'; readonly pair: YamlPair; readonly scopes: readonly PermissionScope[] }
  | { readonly kind: 'unknown'; readonly pair: YamlPair };

/** The `permissions` of a workflow root or a job map; undefined when not declared. */
export function permissionsOf(map: YamlMap | undefined): Permissions | undefined {
  const p = pair(map, 'permissions');
  if (!p) return undefined;
  const v = p.value;
  if (v?.kind === 'scalar' && (v.value === 'read-all' || v.value === 'write-all')) return { kind: 'all', level: v.value, pair: p, at: v };
  if (v?.kind === 'map') {
    const scopes: PermissionScope[] = [];
    for (const s of v.pairs) {
      const level = str(s.value);
      if (level !== undefined && s.value) scopes.push({ scope: s.key, level, pair: s, at: s.value });
    }
    return { kind: 'scopes', pair: p, scopes };
  }
  return { kind: 'unknown', pair: p };
}

// ---- environment ------------------------------------------------------------------

export interface Environment {
  readonly pair: YamlPair;
  /** The name; undefined when `environment:` is a map without `name`. */
  readonly name: string | undefined;
  /** The name's value (the string, or `name:` of the map form); else the `environment` key. */
  readonly at: Located;
  /** The name is (or contains) a `${{ … }}` expression: Unknown. */
  readonly expression: boolean;
}

/** A job's `environment:` as a string or `{name, url}`; undefined when absent. */
export function environmentOf(job: Job): Environment | undefined {
  const p = pair(job.map, 'environment');
  if (!p) return undefined;
  const nameNode = p.value?.kind === 'map' ? get(p.value, 'name') : p.value;
  const name = str(nameNode);
  return {
    pair: p,
    name,
    at: nameNode ?? keyOf(p),
    expression: isExpression(nameNode),
  };
}

// ---- matrix and inputs -------------------------------------------------------------

export interface MatrixValues {
  /** The known scalar values of the job's `strategy.matrix` (axes and `include` entries, not `exclude`). */
  readonly values: readonly YamlScalar[];
  /** False when the matrix, or a value in it, is a `${{ … }}` expression: more values may exist. */
  readonly complete: boolean;
}

export function matrixValues(job: Job): MatrixValues {
  const matrix = get(get(job.map, 'strategy'), 'matrix');
  if (!matrix) return { values: [], complete: true };
  const values: YamlScalar[] = [];
  let complete = true;
  const collect = (n: YamlNode | undefined): void => {
    if (!n) return;
    if (n.kind === 'scalar') {
      if (isExpression(n)) complete = false;
      else values.push(n);
    } else if (n.kind === 'seq') n.items.forEach(collect);
    else n.pairs.forEach((p) => collect(p.value));
  };
  if (matrix.kind === 'map') {
    for (const p of matrix.pairs) if (p.key !== 'exclude') collect(p.value);
  } else collect(matrix);
  return { values, complete };
}

export interface WorkflowInput {
  readonly name: string;
  readonly pair: YamlPair;
  readonly default: YamlScalar | undefined;
  /** `options:` of a `type: choice` input. */
  readonly options: readonly YamlScalar[];
}

/** The inputs of a `workflow_dispatch` (or `workflow_call`) trigger. */
export function triggerInputs(wf: Workflow, event: 'workflow_dispatch' | 'workflow_call' = 'workflow_dispatch'): WorkflowInput[] {
  const inputs = asMap(get(trigger(wf, event)?.config, 'inputs'));
  if (!inputs) return [];
  return inputs.pairs.map((p) => {
    const def = get(p.value, 'default');
    return {
      name: p.key,
      pair: p,
      default: def?.kind === 'scalar' ? def : undefined,
      options: items(get(p.value, 'options')).filter((o): o is YamlScalar => o.kind === 'scalar'),
    };
  });
}

// ---- refs ---------------------------------------------------------------------

/**
 * Whether a `push` (or `pull_request`…) trigger can run for a ref matching one of
 * `refPatterns` (`main` = `refs/heads/main`; full `refs/…` globs as written).
 * GitHub's rules: no branch/tag filter runs on every ref; only branch filters
 * means no tags, only tag filters means no branches. Path filters narrow a run
 * but never rule a ref out, so they are ignored.
 */
export function triggerMayRunOnRefs(t: Trigger, refPatterns: readonly string[]): boolean {
  const filter = refFilter(t.config);
  const targets = refPatterns.map((p) => (p.startsWith('refs/') ? p : `refs/heads/${p}`));
  return targets.some((target) => {
    const re = refGlob(target);
    const candidates = [globSample(target), ...filter.samples].filter((c) => re.test(c));
    return candidates.some((c) => filter.includes(c));
  });
}

interface RefFilter {
  includes(ref: string): boolean;
  /** Refs the filter's patterns stand for, to intersect with glob targets. */
  readonly samples: readonly string[];
}

function refFilter(config: YamlNode | undefined): RefFilter {
  const list = (key: string) => {
    const n = get(config, key);
    if (!n) return undefined;
    return (n.kind === 'seq' ? n.items : [n]).map(str).filter((s): s is string => s !== undefined);
  };
  const branches = list('branches');
  const branchesIgnore = list('branches-ignore');
  const tags = list('tags');
  const tagsIgnore = list('tags-ignore');
  const hasBranchFilter = branches !== undefined || branchesIgnore !== undefined;
  const hasTagFilter = tags !== undefined || tagsIgnore !== undefined;
  const side = (prefix: string, include: string[] | undefined, ignore: string[] | undefined, filtered: boolean, otherFiltered: boolean) => ({
    includes(ref: string): boolean {
      if (!ref.startsWith(prefix)) return false;
      if (!filtered) return !otherFiltered;
      const name = ref.slice(prefix.length);
      if (include) return filterList(include, name);
      return !filterList(ignore ?? [], name);
    },
    samples: (include ?? []).filter((p) => !p.startsWith('!')).map((p) => prefix + globSample(p)),
  });
  const b = side('refs/heads/', branches, branchesIgnore, hasBranchFilter, hasTagFilter);
  const t = side('refs/tags/', tags, tagsIgnore, hasTagFilter, hasBranchFilter);
  return { includes: (ref) => b.includes(ref) || t.includes(ref), samples: [...b.samples, ...t.samples] };
}

/** A name passes a filter list when the last pattern that matches it is not negated (`!`). */
function filterList(patterns: readonly string[], name: string): boolean {
  let included = false;
  for (const p of patterns) {
    const negated = p.startsWith('!');
    if (refGlob(negated ? p.slice(1) : p).test(name)) included = !negated;
  }
  return included;
}

/**
 * GitHub's filter pattern syntax: `*` (no `/`), `**`, `?` and `+` (zero-or-one
 * and one-or-more of the preceding character), `[…]`, and `\` to escape.
 */
export function refGlob(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]!);
    else if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?' || c === '+') re += re ? c : escapeRegExp(c);
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 1);
      if (close < 0) re += '\\[';
      else {
        re += `[${pattern.slice(i + 1, close)}]`;
        i = close;
      }
    } else re += escapeRegExp(c);
  }
  return new RegExp(`^${re}$`);
}

/** One name a pattern matches: wildcards and classes replaced by a plain character. */
function globSample(pattern: string): string {
  return pattern
    .replace(/\\(.)/g, '$1')
    .replace(/\*\*?/g, 'x')
    .replace(/\[([^\]])[^\]]*\]/g, '$1')
    .replace(/[?+]/g, '');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** owner/repo globs (`my-org/*`, `actions/**`): `*` stops at `/`, case-insensitive like GitHub names. */
export function matchesRepoGlob(slug: string, globs: readonly string[]): boolean {
  return globs.some((g) => new RegExp(refGlob(g).source, 'i').test(slug));
}

// ---- deploy signals -------------------------------------------------------------------

export interface DeploySignal {
  readonly step: Step;
  /** The matching command inside `run`, or the step. */
  readonly at: Located;
  /** What matched, for messages: the command text or the action. */
  readonly what: string;
  /** False when the signal hangs on an expression (`push: ${{ … }}`): Unknown. */
  readonly known: boolean;
}

/**
 * The steps that deploy (catalog §4 `deploy_signals`): a pattern matching a
 * step's `run` text or its action (`owner/repo[/path]`), or an image push by
 * `docker/build-push-action` with `push: true`.
 */
export function deploySignals(steps: readonly Step[], patterns: readonly string[]): DeploySignal[] {
  const regexes = patterns.map((p) => compilePattern(p));
  const out: DeploySignal[] = [];
  for (const step of steps) {
    const run = step.run && scalarText(step.run);
    if (run && step.run) {
      for (const re of regexes) {
        const m = re.exec(run);
        if (!m) continue;
        out.push({ step, at: scalarSpanAt(step.run, m.index, m.index + m[0].length), what: m[0], known: true });
        break;
      }
    }
    const uses = step.uses;
    if (uses?.kind !== 'remote') continue;
    if (usesAction(uses, 'docker/build-push-action')) {
      const push = get(step.with, 'push');
      if (isExpression(push)) out.push({ step, at: step.at, what: `${uses.name} with push: ${str(push)}`, known: false });
      else if (push?.kind === 'scalar' && String(push.value).toLowerCase() === 'true')
        out.push({ step, at: step.at, what: `${uses.name} with push: true`, known: true });
      continue;
    }
    if (regexes.some((re) => re.test(uses.name))) out.push({ step, at: step.at, what: uses.name, known: true });
  }
  return out;
}

// ---- untrusted input --------------------------------------------------------------

/**
 * Events a pull request from a fork (or any GitHub user, through issues and
 * comments) can trigger (catalog §7).
 */
export const FORK_REACHABLE_TRIGGERS: readonly string[] = [
  'pull_request',
  'pull_request_target',
  'issue_comment',
  'issues',
  'discussion',
  'discussion_comment',
  'pull_request_review',
  'pull_request_review_comment',
  'workflow_run',
];

/** Triggers whose runs get a write token and secrets although the data they carry comes from a fork. */
export const PRIVILEGED_FORK_TRIGGERS: readonly string[] = ['pull_request_target', 'workflow_run'];

const ANY_INDEX = String.raw`(?:\[[^\]]*\]|\.\*)`;

/**
 * Contexts an attacker controls (catalog §7, GitHub Security Lab / actionlint /
 * zizmor consensus), as regular expressions over an expression's body.
 * Context names are case-insensitive in GitHub expressions.
 */
export const UNTRUSTED_CONTEXT_PATTERNS: readonly string[] = [
  String.raw`\bgithub\.event\.(issue|pull_request|discussion)\.(title|body)\b`,
  String.raw`\bgithub\.event\.(comment|review|review_comment)\.body\b`,
  String.raw`\bgithub\.event\.pages${ANY_INDEX}\.page_name\b`,
  String.raw`\bgithub\.event\.commits${ANY_INDEX}\.(message|author\.email|author\.name)\b`,
  String.raw`\bgithub\.event\.head_commit\.(message|author\.email|author\.name)\b`,
  String.raw`\bgithub\.event\.pull_request\.head\.(ref|label|repo\.default_branch)\b`,
  String.raw`\bgithub\.head_ref\b`,
  String.raw`\bgithub\.event\.workflow_run\.(head_branch|head_commit\.(message|author\.email|author\.name)|head_repository\.description|pull_requests${ANY_INDEX}\.head\.ref)\b`,
  // Object filters reach every event's body/title.
  String.raw`\bgithub\.event\.\*\.(title|body)\b`,
  // A whole object that holds untrusted fields, e.g. toJSON(github.event.issue).
  String.raw`\bgithub\.event(\.(issue|pull_request|discussion|comment|review|review_comment|head_commit|commits|pages|workflow_run))?(?![\w.[])`,
];

/** `inputs.*` and `github.event.inputs.*`: whoever may start the workflow chooses them (lower trust). */
export const INPUT_CONTEXT_PATTERN = String.raw`\b(github\.event\.)?inputs\.[\w-]+`;

export interface UntrustedUse {
  /** `untrusted`: attacker-controlled event data; `input`: a workflow input. */
  readonly trust: 'untrusted' | 'input';
  /** The context as written in the expression. */
  readonly context: string;
}

/** The first untrusted (else input) context an expression body reads; undefined when none. */
export function untrustedUse(expressionBody: string, extraUntrusted: readonly string[] = []): UntrustedUse | undefined {
  // Index syntax reads the same property: github.event['issue']['title'] = github.event.issue.title.
  const body = expressionBody.replace(/\[\s*'([\w-]+)'\s*\]/g, '.$1');
  for (const p of [...UNTRUSTED_CONTEXT_PATTERNS, ...extraUntrusted]) {
    const m = new RegExp(p.replace(/^\(\?i\)/, ''), 'i').exec(body);
    if (m) return { trust: 'untrusted', context: m[0] };
  }
  const m = new RegExp(INPUT_CONTEXT_PATTERN, 'i').exec(body);
  if (m) return { trust: 'input', context: m[0] };
  return undefined;
}

/** Contexts whose value is computed at run time from data this file does not show (Unknown, catalog §3). */
export function opaqueContext(body: string): string | undefined {
  return /\b(steps\.[\w-]+\.outputs\.[\w-]+|needs\.[\w-]+\.outputs\.[\w-]+|matrix\.[\w-]+|vars\.[\w-]+)/i.exec(body)?.[0];
}

// ---- env ------------------------------------------------------------------------

export interface EnvEntry {
  readonly name: string;
  readonly pair: YamlPair;
  /** The value's scalar; undefined for a map/sequence value or an empty one. */
  readonly value: YamlScalar | undefined;
  readonly level: 'workflow' | 'job' | 'step';
}

/** The entries of an `env:` mapping (of a workflow root, job or step). */
export function envOf(map: YamlMap | undefined, level: EnvEntry['level']): EnvEntry[] {
  const env = asMap(get(map, 'env'));
  if (!env) return [];
  return env.pairs.map((p) => ({ name: p.key, pair: p, value: p.value?.kind === 'scalar' ? p.value : undefined, level }));
}

/** Every `env:` entry of a workflow: top level, each job, each step. */
export function allEnv(wf: Workflow): EnvEntry[] {
  return [
    ...envOf(wf.root, 'workflow'),
    ...wf.jobs.flatMap((job) => [...envOf(job.map, 'job'), ...job.steps.flatMap((s) => envOf(s.map, 'step'))]),
  ];
}

/** The env entry a step sees for `name` (step over job over workflow), as GitHub resolves it. */
export function envVisibleTo(wf: Workflow, job: Job, step: Step | undefined, name: string): EnvEntry | undefined {
  const levels = [step ? envOf(step.map, 'step') : [], envOf(job.map, 'job'), envOf(wf.root, 'workflow')];
  for (const l of levels) {
    const e = l.find((x) => x.name === name);
    if (e) return e;
  }
  return undefined;
}

// ---- runners and flags -------------------------------------------------------------

/** Whether a boolean-like scalar is literally true (`true`, `"true"`, any case). */
export function isLiteralTrue(node: YamlNode | undefined): boolean {
  return node?.kind === 'scalar' && !isExpression(node) && String(node.value).trim().toLowerCase() === 'true';
}

/** Whether a boolean-like scalar is literally false. */
export function isLiteralFalse(node: YamlNode | undefined): boolean {
  return node?.kind === 'scalar' && !isExpression(node) && String(node.value).trim().toLowerCase() === 'false';
}

/**
 * The major version a remote `uses:` pins, when it can be told: a tag ref
 * (`v6`, `v6.0.1`), or for a commit SHA the version comment on the same line
 * (`@<sha> # v6.0.1`, the convention of pinning tools). Undefined otherwise.
 */
export function actionMajorVersion(uses: Uses | undefined, comments: readonly YamlComment[]): number | undefined {
  if (uses?.kind !== 'remote' || !uses.ref) return undefined;
  const fromText = (t: string) => {
    const m = /^v?(\d+)(?:\.\d+){0,2}\b/i.exec(t.trim());
    return m ? Number(m[1]) : undefined;
  };
  if (!isFullCommitSha(uses.ref.text)) return fromText(uses.ref.text);
  const line = uses.node.range.end.line;
  const comment = comments.find((c) => c.range.start.line === line && c.range.start.character >= uses.node.range.end.character);
  return comment ? fromText(comment.text.replace(/^#\s*/, '').replace(/^(?:tag[:=]?\s*)?/i, '')) : undefined;
}

// ---- needs ----------------------------------------------------------------------

export interface Needs {
  readonly pair: YamlPair;
  /** The job ids listed (a string or a sequence), each with its scalar. */
  readonly ids: readonly { readonly id: string; readonly at: YamlScalar }[];
}

/** A job's `needs:` (string or list); undefined when absent. */
export function needsOf(job: Job): Needs | undefined {
  const p = pair(job.map, 'needs');
  if (!p) return undefined;
  const nodes = p.value?.kind === 'seq' ? p.value.items : p.value ? [p.value] : [];
  const ids = nodes.filter((n): n is YamlScalar => n.kind === 'scalar' && str(n) !== undefined).map((n) => ({ id: str(n)!, at: n }));
  return { pair: p, ids };
}

/** Every job a job waits for, directly or through other jobs (cycles tolerated). */
export function needsClosure(wf: Workflow, job: Job): Job[] {
  const byId = new Map(wf.jobs.map((j) => [j.id, j]));
  const seen = new Set<string>([job.id]);
  const out: Job[] = [];
  const queue = [job];
  while (queue.length) {
    const cur = queue.shift()!;
    for (const n of needsOf(cur)?.ids ?? []) {
      const dep = byId.get(n.id);
      if (!dep || seen.has(dep.id)) continue;
      seen.add(dep.id);
      out.push(dep);
      queue.push(dep);
    }
  }
  return out;
}

/** An `if:` that runs the job even when a job it needs failed: `always()`, `failure()`, `!cancelled()`. */
export function runsDespiteFailedNeeds(job: Job): YamlPair | undefined {
  const p = pair(job.map, 'if');
  const text = scalarText(p?.value);
  return text && /\balways\s*\(\s*\)|\bfailure\s*\(\s*\)|!\s*cancelled\s*\(\s*\)/.test(text) ? p : undefined;
}
