import { defineRule } from '../../../engine/rule';
import { address, attribute, header, valueOf } from '../../../terraform/module';
import { isUnknown, ResourceRef } from '../../../terraform/value';

interface Params {
  allowed_users: string[];
}

export default defineRule<Params>({
  id: 'tf-aws-iam-user-access-key',
  title: 'No long-lived IAM user access keys',
  severity: 'high',
  domain: 'terraform',
  mappings: { nist: ['IA-5', 'AC-2'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_users: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description: 'IAM user names that may have access keys (break-glass or legacy integrations with an expiring waiver).',
      },
    },
  },
  check({ module, params, report, unknown }) {
    for (const key of module.resources('aws_iam_access_key')) {
      const userAttr = attribute(key, 'user');
      if (userAttr && params.allowed_users.length > 0) {
        let user = module.evaluate(userAttr.expr, key);
        // `user = aws_iam_user.x.name` resolves to the user's declared name.
        if (user instanceof ResourceRef && user.type === 'aws_iam_user') {
          const name = attribute(user.block, 'name');
          user = name ? module.evaluate(name.expr, user.block) : user;
        }
        if (isUnknown(user) || user instanceof ResourceRef) {
          unknown(valueOf(userAttr), isUnknown(user) ? user.origin : `${userAttr.expr.source} cannot be resolved to a user name`);
          continue;
        }
        if (typeof user === 'string' && params.allowed_users.includes(user)) continue;
      }
      const pgp = attribute(key, 'pgp_key');
      report({
        at: header(key),
        severity: pgp ? 'high' : 'critical',
        message: pgp
          ? `${address(key)} creates a long-lived access key; it never expires and is a standing credential for whoever holds it. Use role assumption instead: OIDC federation for CI (see tf-aws-iam-github-oidc-sub), instance or task roles for workloads.`
          : `${address(key)} creates a long-lived access key without pgp_key, so its secret is stored in plain text in the Terraform state. Remove the key and use role assumption: OIDC federation for CI (see tf-aws-iam-github-oidc-sub), instance or task roles for workloads.`,
        data: { fix: 'none', reason: 'replace the key with role assumption or OIDC federation', relatedRule: 'tf-aws-iam-github-oidc-sub' },
      });
    }
  },
});
