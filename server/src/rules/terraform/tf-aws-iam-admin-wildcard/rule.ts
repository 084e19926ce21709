import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { listItems, policyDataRef, policyFromDataBlock, policyFromExpr, str, type PolicyDocument, type PolicyNode } from '../../../terraform/aws/iamPolicy';
import { address, attribute, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown, ResourceRef } from '../../../terraform/value';

interface Params {
  flag_service_wildcards: boolean;
}

/** Identity-policy resources and the attribute holding the document. */
const IDENTITY_POLICIES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
const ADMIN_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/AdministratorAccess$/;
/** Trusted principals that make an AdministratorAccess role critical: CI OIDC providers and AI services. */
const CI_OIDC = /token\.actions\.githubusercontent\.com|gitlab/;
const AI_SERVICES = ['sagemaker.amazonaws.com', 'bedrock.amazonaws.com'];

type Unknowns = (at: Located, origin: string) => void;

export default defineRule<Params>({
  id: 'tf-aws-iam-admin-wildcard',
  title: 'IAM policies do not grant administrator wildcards',
  severity: 'critical',
  domain: 'terraform',
  mappings: { cis: ['AWS Foundations v1.5.0 1.16'], nist: ['AC-6', 'AC-6(10)'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      flag_service_wildcards: {
        type: 'boolean',
        default: true,
        description: 'Also report service-wide wildcards ("iam:*", "s3:*") on Resource "*" (high).',
      },
    },
  },
  check({ module, params, report, unknown }) {
    const seenDocs = new Set<HclBlock>();
    const policies: { doc: PolicyDocument; owner: HclBlock }[] = [];
    const add = (owner: HclBlock, attrOwner: HclBlock) => {
      const a = attribute(attrOwner, 'policy');
      if (!a) return;
      const data = policyDataRef(module, a.expr);
      if (data) {
        if (seenDocs.has(data)) return;
        seenDocs.add(data);
        policies.push({ doc: policyFromDataBlock(module, data), owner });
      } else policies.push({ doc: policyFromExpr(module, a.expr, owner), owner });
    };
    for (const type of IDENTITY_POLICIES) for (const r of module.resources(type)) add(r, r);
    for (const role of module.resources('aws_iam_role')) for (const inline of nestedBlocks(role, 'inline_policy')) add(role, inline);
    for (const { doc, owner } of policies) checkDocument(doc, owner, params, report, unknown);
    checkAdminAttachments(module, report, unknown);
  },
});

function checkDocument(doc: PolicyDocument, owner: HclBlock, params: Params, report: (f: ReportInput) => void, unknown: Unknowns): void {
  const where = doc.dataBlock ? `${address(doc.dataBlock)} (used by ${address(owner)})` : address(owner);
  for (const s of doc.statements) {
    const effect = s.effect ? str(s.effect) : doc.dataBlock ? 'Allow' : undefined;
    if (s.effect?.kind === 'unknown') {
      unknown(s.effect.at, s.effect.origin);
      continue;
    }
    if (effect !== 'Allow') continue;
    const resources = listItems(s.resources);
    const allResources = resources.items.some((r) => str(r) === '*');
    if (!allResources) {
      if (resources.unknown) unknown(resources.unknown.at, resources.unknown.origin);
      for (const r of resources.items) if (r.kind === 'unknown') unknown(r.at, r.origin);
      continue;
    }
    const notActions = listItems(s.notActions);
    if (s.notActions) {
      const at = notActions.items[0]?.at ?? s.notActions.at;
      report({
        at,
        message: `${where} allows every action except those in NotAction on Resource "*": that includes iam:* and any new service, i.e. administrator access. List the actions the workload needs in Action, on specific resources.`,
        data: { fix: 'none', reason: 'required permissions are intent' },
      });
    }
    const actions = listItems(s.actions);
    for (const a of actions.items) {
      if (a.kind === 'unknown') {
        unknown(a.at, a.origin);
        continue;
      }
      const v = str(a);
      if (v === '*')
        report({
          at: a.at,
          message: `${where} allows Action "*" on Resource "*": full administrator access, so a leaked pipeline or model-serving credential controls the whole account. Grant only the actions and resources the workload needs.`,
          data: { fix: 'none', reason: 'required permissions are intent' },
        });
      else if (v !== undefined && params.flag_service_wildcards && /^[A-Za-z0-9-]+:\*$/.test(v))
        report({
          at: a.at,
          severity: 'high',
          message: `${where} allows every ${v.split(':')[0]} action ("${v}") on Resource "*". Grant only the ${v.split(':')[0]} actions the workload needs, on specific resources.`,
          data: { fix: 'none', reason: 'required permissions are intent' },
        });
    }
    if (actions.unknown) unknown(actions.unknown.at, actions.unknown.origin);
  }
  if (doc.unknown) unknown(doc.unknown.at, doc.unknown.origin);
}

/** AdministratorAccess attached to roles that CI OIDC providers or SageMaker/Bedrock can assume. */
function checkAdminAttachments(module: TerraformModule, report: (f: ReportInput) => void, unknown: Unknowns): void {
  const flag = (at: Located, role: HclBlock, why: string) =>
    report({
      at,
      message: `AdministratorAccess is attached to ${address(role)}, which ${why} can assume: a compromised pipeline or AI workload gets full control of the account. Attach a policy with only the permissions it needs.`,
      related: [{ at: header(role), message: `The role: ${address(role)}` }],
      data: { fix: 'none', reason: 'required permissions are intent' },
    });
  for (const att of module.resources('aws_iam_role_policy_attachment')) {
    const arnAttr = attribute(att, 'policy_arn');
    const roleAttr = attribute(att, 'role');
    if (!arnAttr || !roleAttr) continue;
    const arn = module.evaluate(arnAttr.expr, att);
    if (isUnknown(arn)) {
      unknown(valueOf(arnAttr), arn.origin);
      continue;
    }
    if (typeof arn !== 'string' || !ADMIN_POLICY.test(arn)) continue;
    const roleValue = module.evaluate(roleAttr.expr, att);
    const role =
      roleValue instanceof ResourceRef && roleValue.type === 'aws_iam_role'
        ? roleValue.block
        : typeof roleValue === 'string'
          ? module.resources('aws_iam_role').find((r) => {
              const n = attribute(r, 'name');
              return n !== undefined && module.evaluate(n.expr, r) === roleValue;
            })
          : undefined;
    if (!role) {
      if (isUnknown(roleValue)) unknown(valueOf(roleAttr), roleValue.origin);
      continue;
    }
    const why = trustedBy(module, role, unknown);
    if (why) flag(valueOf(arnAttr), role, why);
  }
  for (const role of module.resources('aws_iam_role')) {
    const managed = attribute(role, 'managed_policy_arns');
    if (!managed) continue;
    const items = managed.expr.type === 'tuple' ? managed.expr.items : [];
    for (const item of items) {
      const v = module.evaluate(item, role);
      if (typeof v !== 'string' || !ADMIN_POLICY.test(v)) continue;
      const why = trustedBy(module, role, unknown);
      if (why) flag({ uri: role.uri, range: item.range }, role, why);
    }
  }
}

/** Who makes an admin role critical: "a CI OIDC provider" or "sagemaker.amazonaws.com"; undefined when neither (or unknown). */
function trustedBy(module: TerraformModule, role: HclBlock, unknown: Unknowns): string | undefined {
  const trust = attribute(role, 'assume_role_policy');
  if (!trust) return undefined;
  const doc = policyFromExpr(module, trust.expr, role);
  let firstUnknown: { at: Located; origin: string } | undefined = doc.unknown;
  for (const s of doc.statements)
    for (const p of s.principals) {
      const type = str(p.type);
      const ids = listItems(p.identifiers);
      if (ids.unknown) firstUnknown ??= ids.unknown;
      for (const id of ids.items) {
        const v = identifierText(module, id);
        if (v === undefined) {
          if (id.kind === 'unknown') firstUnknown ??= { at: id.at, origin: id.origin };
          continue;
        }
        if (type === 'Federated' && CI_OIDC.test(v)) return 'a CI OIDC provider';
        if (type === 'Service' && AI_SERVICES.includes(v)) return v;
      }
    }
  if (firstUnknown) unknown(firstUnknown.at, firstUnknown.origin);
  return undefined;
}

/** An identifier's text; a reference to an OIDC provider resolves to its `url`. */
function identifierText(module: TerraformModule, id: PolicyNode): string | undefined {
  if (id.kind === 'ref' && id.ref.type === 'aws_iam_openid_connect_provider') {
    const url = attribute(id.ref.block, 'url');
    const v = url ? module.evaluate(url.expr, id.ref.block) : undefined;
    return typeof v === 'string' ? v : undefined;
  }
  return str(id);
}
