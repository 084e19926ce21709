import { dataChangeFix, isPlaceholder } from '../../../fixes/aiml-terraform';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { HclBlock, HclExpr } from '../../../model/hcl';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isSet, readArg } from '../../../terraform/gcp';
import { isRecord, isUnknown } from '../../../terraform/value';

interface Params {
  allowed_repositories: string[];
  allowed_owners: string[];
  allowed_owner_ids: string[];
}

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
/** GitHub token claims that identify who may use the provider. */
const REPO_CLAIM = /\bassertion\.(repository_owner_id|repository_owner|repository_id|repository)\b/;
const WORKLOAD_IDENTITY_USER = 'roles/iam.workloadIdentityUser';

export default defineRule<Params>({
  id: 'tf-gcp-wif-github-condition',
  title: 'GitHub Workload Identity Federation is restricted to your repositories',
  severity: 'critical',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AC-6', 'IA-5', 'IA-8'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_repositories: stringListParam([], 'Repositories (`org/repo`, `*` wildcards) the attribute_condition may admit; when set, the condition must name at least one of them and no other `org/repo`.'),
      allowed_owners: stringListParam([], 'GitHub organisations/users the condition may admit (by repository_owner); when set, the condition must name one of them.'),
      allowed_owner_ids: stringListParam([], 'Numeric GitHub owner ids (repository_owner_id, immune to renamed organisations); when exactly one is set the quick fix inserts a condition on it.'),
    },
  },
  // Catalog: the condition only; the subject mapping and bindings are left to the author.
  fix: (ctx) => (ctx.data.attribute === 'attribute_condition' ? dataChangeFix(ctx) : []),
  check({ module, params, report, unknown }) {
    for (const p of module.resources('google_iam_workload_identity_pool_provider')) {
      if (hasDynamic(p, 'oidc')) continue;
      const oidc = nestedBlocks(p, 'oidc')[0];
      if (!oidc) continue;
      const issuer = readArg(module, p, oidc, 'issuer_uri');
      if (issuer.kind === 'unknown') {
        unknown(valueOf(issuer.attr), issuer.value.origin);
        continue;
      }
      if (issuer.kind !== 'known' || typeof issuer.value !== 'string' || issuer.value.replace(/\/+$/, '') !== GITHUB_ISSUER) continue;

      const condition = readArg(module, p, p, 'attribute_condition');
      const mapping = readArg(module, p, p, 'attribute_mapping');
      if (condition.kind === 'unknown') unknown(valueOf(condition.attr), condition.value.origin);
      else if (condition.kind === 'absent' || !isSet(condition.value))
        report({
          at: condition.kind === 'absent' ? header(p) : valueOf(condition.attr),
          message: `${address(p)} trusts GitHub's OIDC issuer without an attribute_condition: a workflow in ANY GitHub repository can exchange its token for your Google credentials. Set attribute_condition to restrict assertion.repository_owner_id (or assertion.repository) to your own.`,
          data: conditionFix(params, condition.kind === 'absent' ? 'insert' : 'set'),
        });
      else if (typeof condition.value === 'string') {
        const text = condition.value;
        const mapped = mappedRepoAttributes(mapping.kind === 'known' ? mapping.value : undefined);
        const constrains = REPO_CLAIM.test(text) || mapped.some((a) => new RegExp(`\\battribute\\.${a}\\b`).test(text));
        const problem = isPlaceholder(text)
          ? 'still holds the REPLACE_ME placeholder, so it names no owner or repository of yours'
          : !constrains
          ? 'does not constrain assertion.repository, assertion.repository_owner or assertion.repository_owner_id (or an attribute mapped from them), so workflows of any repository can authenticate'
          : allowListProblem(text, params);
        if (problem)
          report({
            at: valueOf(condition.attr),
            message: `attribute_condition of ${address(p)} ${problem}. Restrict it to your repositories, e.g. assertion.repository_owner_id == '<your org id>'.`,
            data: conditionFix(params, 'set'),
          });
      }

      if (mapping.kind === 'unknown') unknown(valueOf(mapping.attr), mapping.value.origin);
      else if (mapping.kind === 'absent' || !(isRecord(mapping.value) && 'google.subject' in mapping.value))
        report({
          at: mapping.kind === 'absent' ? header(p) : valueOf(mapping.attr),
          severity: 'high',
          message: `${address(p)} does not map google.subject in attribute_mapping: federated identities cannot be told apart in audit logs or IAM bindings. Map "google.subject" = "assertion.sub" (and attribute.repository = "assertion.repository").`,
          data: { fix: mapping.kind === 'absent' ? 'insert' : 'set', attribute: 'attribute_mapping', key: 'google.subject', value: 'assertion.sub' },
        });
    }

    for (const b of [...module.resources('google_service_account_iam_member'), ...module.resources('google_service_account_iam_binding')]) {
      const role = readArg(module, b, b, 'role');
      if (role.kind !== 'known' || role.value !== WORKLOAD_IDENTITY_USER) continue;
      for (const expr of memberExprs(b))
        if (poolWide(module, b, expr))
          report({
            at: { uri: b.uri, range: expr.range },
            severity: 'high',
            message: `${address(b)} lets every identity of the workload identity pool (principalSet …/*) impersonate the service account: any repository the pool's provider admits gets its permissions. Bind principalSet://iam.googleapis.com/<pool>/attribute.repository/<org>/<repo> instead.`,
            data: { fix: 'none', reason: 'which repository may impersonate the service account is intent' },
          });
    }
  },
});

function conditionFix(params: Params, fix: 'insert' | 'set'): Record<string, unknown> {
  const [id, ...rest] = params.allowed_owner_ids;
  return id !== undefined && rest.length === 0
    ? { fix, attribute: 'attribute_condition', value: `assertion.repository_owner_id == '${id}'` }
    : { fix, attribute: 'attribute_condition', value: "assertion.repository_owner_id == 'REPLACE_ME'", placeholder: true };
}

/** `attribute.<x>` names whose mapping reads a repository claim. */
function mappedRepoAttributes(mapping: unknown): string[] {
  if (!mapping || typeof mapping !== 'object') return [];
  return Object.entries(mapping as Record<string, unknown>).flatMap(([k, v]) =>
    k.startsWith('attribute.') && typeof v === 'string' && REPO_CLAIM.test(v) ? [k.slice('attribute.'.length)] : [],
  );
}

/** With allow-lists configured, the condition must name an allowed value and no other repository. */
function allowListProblem(text: string, params: Params): string | undefined {
  const literals = [...text.matchAll(/'([^']*)'|"([^"]*)"/g)].map((m) => m[1] ?? m[2] ?? '');
  const allowed = [...params.allowed_repositories, ...params.allowed_owners, ...params.allowed_owner_ids];
  if (allowed.length === 0) return undefined;
  const matches = (pattern: string, s: string) => new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, 'i').test(s);
  const foreign = literals.filter((l) => l.includes('/') && !params.allowed_repositories.some((p) => matches(p, l)));
  if (foreign.length) return `admits ${foreign.map((f) => `'${f}'`).join(', ')}, which is not in allowed_repositories`;
  if (!literals.some((l) => allowed.some((p) => matches(p, l)))) return 'names none of the allowed repositories, owners or owner ids';
  return undefined;
}

function memberExprs(b: HclBlock): HclExpr[] {
  const member = attribute(b, 'member');
  if (member) return [member.expr];
  const members = attribute(b, 'members');
  if (!members) return [];
  return members.expr.type === 'tuple' ? [...members.expr.items] : [members.expr];
}

/** `principalSet://iam.googleapis.com/<pool>/*`: proven from the known text even when the pool name is interpolated. */
function poolWide(module: TerraformModule, b: HclBlock, expr: HclExpr): boolean {
  const v = module.evaluate(expr, b);
  if (typeof v === 'string') return /^principalSet:\/\/iam\.googleapis\.com\/.*\/workloadIdentityPools\/[^/]+\/\*$/.test(v);
  if (!isUnknown(v) || expr.type !== 'template') return false;
  const first = expr.parts[0];
  const last = expr.parts[expr.parts.length - 1];
  return first?.kind === 'literal' && first.value.startsWith('principalSet://iam.googleapis.com/') && last?.kind === 'literal' && /^\/?\*$|\/\*$/.test(last.value) && !last.value.includes('attribute.');
}
