import { findingDocument, insertAfterPair, pairChainAt } from '../../../fixes/cifix-pipelines';
import { endOfLine, eolOf } from '../../../fixes/text';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { deletePair, insertPairs, isFlow, yamlBlockLines } from '../../../fixes/yaml';
import { asMap, pair, type YamlMap, type YamlPair } from '../../../model/yaml';
import { permissionsOf } from '../../../pipelines/githubActions';

type Ctx = YamlFixContext<unknown>;

/**
 * The key inputs of the login action are replaced by its OIDC inputs (the
 * first key's lines take the new inputs, the other keys go), and the job gets
 * the `permissions` the token exchange needs. Env findings get no fix: which
 * login step should replace the variable is for the author to decide.
 */
export function federatedLogin(ctx: Ctx): Fix[] {
  const { data } = ctx;
  if (data.fix !== 'replace-inputs' || !Array.isArray(data.remove) || !isRecord(data.insert) || !isRecord(data.jobPermissions)) return [];
  const chain = pairChainAt(findingDocument(ctx)?.root, ctx.finding.range);
  const withAt = chain?.findIndex((c) => c.pair.key === 'with') ?? -1;
  const jobs = chain?.findIndex((c) => c.pair.key === 'jobs') ?? -1;
  const withMap = asMap(chain?.[withAt]?.pair.value);
  const job = chain?.[jobs + 1]?.pair;
  const jobMap = asMap(job?.value);
  if (!chain || withAt < 0 || jobs < 0 || !withMap || !jobMap || isFlow(ctx.file, withMap)) return [];
  const removed = (data.remove as string[]).map((k) => pair(withMap, k)).filter((p): p is YamlPair => !!p);
  if (removed.length === 0) return [];
  const edits = [replacePair(ctx, removed[0]!, data.insert), ...removed.slice(1).map((p) => deletePair(ctx.file, withMap, p))];
  const grant = grantPermissions(ctx, jobMap, data.jobPermissions as Record<string, string>);
  if (grant === null) return [];
  if (grant) edits.push(grant);
  const inputs = Object.keys(data.insert).join(', ');
  return [{ title: `Replace ${removed.map((p) => p.key).join(', ')} with ${inputs} and grant the job id-token: write`, edits, ...(data.placeholder ? { placeholder: true } : {}) }];
}

function replacePair(ctx: Ctx, p: YamlPair, entries: Record<string, unknown>): TextEdit {
  const indent = ' '.repeat(p.keyRange.start.character);
  const lines = Object.entries(entries).flatMap(([k, v]) => yamlBlockLines(k, v, indent));
  const end = p.range.end.character === 0 && p.range.end.line > p.keyRange.start.line ? p.range.end.line - 1 : p.range.end.line;
  return { uri: ctx.file.uri, range: { start: p.keyRange.start, end: endOfLine(ctx.file.text, end) }, newText: lines.map((l) => l.slice(indent.length)).join(eolOf(ctx.file.text) + indent) };
}

/** The scopes the job lacks; null when its permissions are not a map of scopes this fix can extend. */
function grantPermissions(ctx: Ctx, job: YamlMap, wanted: Record<string, string>): TextEdit | undefined | null {
  const perms = permissionsOf(job);
  if (!perms) {
    const runsOn = pair(job, 'runs-on');
    return runsOn ? insertAfterPair(ctx, runsOn, { permissions: wanted }) : insertPairs(ctx.file, job, { permissions: wanted });
  }
  if (perms.kind !== 'scopes' || perms.pair.value?.kind !== 'map') return null;
  const have = new Map(perms.scopes.map((s) => [s.scope, s.level]));
  if (have.has('id-token') && have.get('id-token') !== 'write') return null;
  const missing = Object.fromEntries(Object.entries(wanted).filter(([k]) => !have.has(k)));
  if (Object.keys(missing).length === 0) return undefined;
  return perms.pair.value.pairs.length ? insertPairs(ctx.file, perms.pair.value, missing) : null;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
