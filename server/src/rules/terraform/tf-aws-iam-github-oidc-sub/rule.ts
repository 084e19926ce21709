import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { fixSubject } from './fix';
import type { Severity } from '../../../engine/severity';
import type { Located } from '../../../model/location';
import {
  listItems,
  policyDataBlocks,
  policyDataRef,
  policyFromDataBlock,
  policyFromExpr,
  str,
  type PolicyCondition,
  type PolicyDocument,
  type PolicyNode,
  type PolicyStatement,
} from '../../../terraform/aws/iamPolicy';
import { address, attribute, valueOf, type TerraformModule } from '../../../terraform/module';

interface Params {
  allowed_subjects: string[];
  allow_org_wildcard: boolean;
  require_ref_or_environment: boolean;
  sub_claim_template: string | null;
  github_repo: string | null;
  environment: string | null;
}

const GITHUB_HOST = 'token.actions.githubusercontent.com';
const PROVIDER_ARN = /oidc-provider\/token\.actions\.githubusercontent\.com(\/[^/]+)?$/;
const SUB_KEY = /^token\.actions\.githubusercontent\.com(\/[^:]+)?:sub$/;
const AUD_KEY = /^token\.actions\.githubusercontent\.com(\/[^:]+)?:aud$/;

type Unknowns = (at: Located, origin: string) => void;
type Verdict = { severity: Severity; value: string; why: string } | undefined;

export default defineRule<Params>({
  id: 'tf-aws-iam-github-oidc-sub',
  title: 'Roles trusted by GitHub OIDC restrict the token subject to one repository and ref or environment',
  severity: 'critical',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AC-6', 'IA-5', 'IA-8'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_subjects: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description: 'Subject patterns accepted as they are (globs, * = any characters), e.g. "repo:acme/infra:environment:*".',
      },
      allow_org_wildcard: { type: 'boolean', default: false, description: 'Accept "repo:<org>/*" (any repository of the organization).' },
      require_ref_or_environment: {
        type: 'boolean',
        default: true,
        description: 'Fail "repo:<org>/<repo>:*", which admits pull_request runs and every branch; require a ref or environment.',
      },
      sub_claim_template: {
        type: ['string', 'null'],
        default: null,
        description:
          'The repository\'s customised subject format, with {repo} and {environment} placeholders (e.g. "repo:{repo}:environment:{environment}:job_workflow_ref:*"), used to render the quick fix; null = GitHub\'s default "repo:{repo}:environment:{environment}".',
      },
      github_repo: { type: ['string', 'null'], default: null, description: '"<org>/<repo>" that may assume the role; with environment, enables the quick fix.' },
      environment: { type: ['string', 'null'], default: null, description: 'GitHub environment that may assume the role; with github_repo, enables the quick fix.' },
    },
  },
  fix: fixSubject,
  check({ module, params, report, unknown }) {
    const fixValue =
      params.github_repo && params.environment
        ? (params.sub_claim_template ?? 'repo:{repo}:environment:{environment}').replace('{repo}', params.github_repo).replace('{environment}', params.environment)
        : undefined;
    const checkDoc = (doc: PolicyDocument, missingAt: (s: PolicyStatement) => Located, where: string) => {
      for (const s of doc.statements) checkStatement(module, s, missingAt(s), where, params, fixValue, report, unknown);
      // Statements Plumbline cannot see might trust GitHub without a condition; only say so when asked.
      if (doc.unknown && doc.statements.length === 0) unknown(doc.unknown.at, doc.unknown.origin);
    };
    for (const data of policyDataBlocks(module)) checkDoc(policyFromDataBlock(module, data), (s) => s.at, address(data));
    for (const role of module.resources('aws_iam_role')) {
      const trust = attribute(role, 'assume_role_policy');
      if (!trust || policyDataRef(module, trust.expr)) continue; // data documents are checked above
      checkDoc(policyFromExpr(module, trust.expr, role), () => valueOf(trust), address(role));
    }
  },
});

function checkStatement(
  module: TerraformModule,
  s: PolicyStatement,
  missingAt: Located,
  where: string,
  params: Params,
  fixValue: string | undefined,
  report: (f: ReportInput) => void,
  unknown: Unknowns,
): void {
  const effect = s.effect ? str(s.effect) : 'Allow';
  if (s.effect?.kind === 'unknown') return unknown(s.effect.at, s.effect.origin);
  if (effect !== 'Allow') return;
  const github = trustsGitHub(module, s);
  if (github !== true) {
    if (github) unknown(github.at, github.origin);
    return;
  }
  const actions = listItems(s.actions);
  const assumes = actions.items.some((a) => ['sts:AssumeRoleWithWebIdentity', 'sts:*', '*'].includes(str(a) ?? ''));
  if (!assumes) {
    const u = actions.unknown ?? actions.items.find((a): a is Extract<PolicyNode, { kind: 'unknown' }> => a.kind === 'unknown');
    if (u) unknown(u.at, u.origin);
    return;
  }
  const subs = s.conditions.filter((c) => SUB_KEY.test(str(c.variable) ?? '') && !/Not/.test(str(c.test) ?? ''));
  const fix = fixValue ? { fix: 'set', value: fixValue } : { fix: 'none', reason: 'which repository and ref may assume the role is intent' };
  if (subs.length === 0) {
    const unknownCondition = s.conditionsUnknown ?? s.conditions.map((c) => [c.variable, c.test].find((n) => n.kind === 'unknown')).find((n) => n !== undefined);
    if (unknownCondition) return unknown(unknownCondition.at, 'origin' in unknownCondition ? unknownCondition.origin : 'a condition cannot be evaluated');
    report({
      at: missingAt,
      message: `${where} lets GitHub Actions assume the role without a condition on ${GITHUB_HOST}:sub: any workflow of any repository on GitHub can obtain its credentials. Add a StringEquals condition on ${GITHUB_HOST}:sub such as "repo:<org>/<repo>:environment:<env>".`,
      data: fixValue ? { fix: 'insert', variable: `${GITHUB_HOST}:sub`, test: 'StringEquals', value: fixValue } : { fix: 'none', reason: 'which repository and ref may assume the role is intent' },
    });
  } else
    for (const c of subs) {
      const v = checkSub(c, params);
      if (v === 'unknown') {
        const u = listItems(c.values).unknown ?? (c.test.kind === 'unknown' ? { at: c.test.at, origin: c.test.origin } : { at: c.values.at, origin: 'a subject value cannot be evaluated' });
        unknown(u.at, u.origin);
      } else if (v)
        report({
          at: c.values.at,
          severity: v.severity,
          message: `${where}: subject "${v.value}" ${v.why} Restrict ${GITHUB_HOST}:sub to one repository and a ref or environment, e.g. "repo:<org>/<repo>:environment:<env>".`,
          data: fix,
        });
    }
  checkAudience(s, missingAt, where, report, unknown);
}

/** true: a Federated principal is GitHub's OIDC provider; an unknown location: it may be; undefined: it is not. */
function trustsGitHub(module: TerraformModule, s: PolicyStatement): true | { at: Located; origin: string } | undefined {
  let maybe: { at: Located; origin: string } | undefined = s.principalsUnknown;
  for (const p of s.principals) {
    const type = str(p.type);
    if (p.type.kind === 'unknown') {
      maybe ??= { at: p.type.at, origin: p.type.origin };
      continue;
    }
    if (type !== 'Federated') continue;
    const ids = listItems(p.identifiers);
    for (const id of ids.items) {
      if (id.kind === 'ref' && id.ref.type === 'aws_iam_openid_connect_provider') {
        const url = attribute(id.ref.block, 'url');
        const v = url ? module.evaluate(url.expr, id.ref.block) : undefined;
        if (typeof v === 'string' && v.replace(/^https:\/\//, '').startsWith(GITHUB_HOST)) return true;
        if (typeof v !== 'string') maybe ??= { at: id.at, origin: `the url of ${id.ref.type}.${id.ref.name} cannot be evaluated` };
      } else if (id.kind === 'unknown') maybe ??= { at: id.at, origin: id.origin };
      else if (PROVIDER_ARN.test(str(id) ?? '')) return true;
    }
    if (ids.unknown) maybe ??= ids.unknown;
  }
  return maybe;
}

/** The worst subject of a `sub` condition, 'unknown' when only unknown values could decide. */
function checkSub(c: PolicyCondition, params: Params): Verdict | 'unknown' {
  const test = str(c.test);
  if (test === undefined) return 'unknown';
  const like = /Like/.test(test);
  const values = listItems(c.values);
  let worst: Verdict;
  const rank = (v: Verdict) => (v ? { critical: 3, high: 2, medium: 1, low: 0, info: 0 }[v.severity] : -1);
  let sawUnknown = !!values.unknown;
  for (const item of values.items) {
    const value = str(item);
    if (value === undefined) {
      sawUnknown = true;
      continue;
    }
    const v = classify(value, like, params);
    if (rank(v) > rank(worst)) worst = v;
  }
  if (worst) return worst;
  return sawUnknown ? 'unknown' : undefined;
}

function classify(value: string, like: boolean, params: Params): Verdict {
  // Under StringEquals a `*` is a literal character: it matches no real subject.
  if (!like || !value.includes('*')) return undefined;
  if (params.allowed_subjects.some((g) => glob(g).test(value))) return undefined;
  const m = /^repo:([^/]*)(?:\/([^:]*))?(?::(.*))?$/.exec(value);
  if (!m || m[1]!.includes('*'))
    return { severity: 'critical', value, why: 'matches repositories of every GitHub user and organization: anyone can create a repository whose workflows assume this role.' };
  if (m[2] === undefined || m[2].includes('*')) {
    if (params.allow_org_wildcard) return undefined;
    return { severity: 'high', value, why: `admits every repository of the ${m[1]} organization, including forks and new repositories.` };
  }
  const rest = m[3] ?? '';
  if (params.require_ref_or_environment && (rest === '' || rest === '*' || /^[^:]*\*/.test(rest)))
    return { severity: 'medium', value, why: 'admits every branch, tag and pull_request run of the repository, so unreviewed code can assume the role.' };
  return undefined;
}

/** A missing or wrong `aud` condition is a medium note. */
function checkAudience(s: PolicyStatement, missingAt: Located, where: string, report: (f: ReportInput) => void, unknown: Unknowns): void {
  const aud = s.conditions.filter((c) => AUD_KEY.test(str(c.variable) ?? ''));
  if (aud.length === 0) {
    if (s.conditionsUnknown) return;
    report({
      at: missingAt,
      severity: 'medium',
      message: `${where} does not check ${GITHUB_HOST}:aud: add a StringEquals condition ${GITHUB_HOST}:aud = "sts.amazonaws.com" so that tokens minted for other audiences cannot be used.`,
      data: { fix: 'insert', variable: `${GITHUB_HOST}:aud`, test: 'StringEquals', value: 'sts.amazonaws.com' },
    });
    return;
  }
  for (const c of aud) {
    const values = listItems(c.values);
    const known = values.items.map(str);
    if (known.includes('sts.amazonaws.com')) continue;
    if (values.unknown || known.includes(undefined)) {
      const u = values.unknown ?? { at: c.values.at, origin: 'an audience value cannot be evaluated' };
      unknown(u.at, u.origin);
      continue;
    }
    report({
      at: c.values.at,
      severity: 'medium',
      message: `${GITHUB_HOST}:aud is ${JSON.stringify(known.length === 1 ? known[0] : known)}, not "sts.amazonaws.com" (the audience aws-actions/configure-aws-credentials requests). Set it to "sts.amazonaws.com".`,
      data: { fix: 'set', value: 'sts.amazonaws.com' },
    });
  }
}

function glob(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

