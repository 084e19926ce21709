import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { attribute, header, nestedBlocks, valueOf } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  allowed_mutable_tag_patterns: string[];
}

export default defineRule<Params>({
  id: 'tf-aws-ecr-tag-immutability',
  title: 'ECR repositories keep image tags immutable',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['CM-2', 'SI-7'], euAiAct: ['Art.12', 'Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_mutable_tag_patterns: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Tag filters that may stay mutable under IMMUTABLE_WITH_EXCLUSION: a filter passes when it equals a pattern or a pattern (a regular expression) matches it whole.',
      },
    },
  },
  fix: standardTerraformFix,
  check({ module, params, report, unknown }) {
    for (const repo of module.resources('aws_ecr_repository')) {
      const attr = attribute(repo, 'image_tag_mutability');
      if (!attr) {
        report({
          at: header(repo),
          message:
            'ECR repository allows tags to be overwritten (image_tag_mutability defaults to "MUTABLE"): a model image tag can silently point at a different build. Set image_tag_mutability = "IMMUTABLE".',
          data: { fix: 'insert', attribute: 'image_tag_mutability', value: 'IMMUTABLE' },
        });
        continue;
      }
      const value = module.evaluate(attr.expr, repo);
      if (isUnknown(value)) {
        unknown(valueOf(attr), value.origin);
        continue;
      }
      if (value === 'IMMUTABLE') continue;
      if (value === 'IMMUTABLE_WITH_EXCLUSION') {
        for (const filterBlock of nestedBlocks(repo, 'image_tag_mutability_exclusion_filter')) {
          const filter = attribute(filterBlock, 'filter');
          if (!filter) continue;
          const f = module.evaluate(filter.expr, repo);
          if (typeof f !== 'string') continue;
          const allowed = params.allowed_mutable_tag_patterns.some((p) => p === f || new RegExp(`^(?:${p})$`).test(f));
          if (!allowed)
            report({
              at: valueOf(filter),
              message: `Tags matching "${f}" stay mutable, and "${f}" is not in allowed_mutable_tag_patterns. Remove the exclusion or add the pattern to the rule's allowed_mutable_tag_patterns.`,
            });
        }
        continue;
      }
      report({
        at: valueOf(attr),
        message: `image_tag_mutability is ${JSON.stringify(value)}: pushed tags can be overwritten, so a deployed model image is not traceable to one build. Set it to "IMMUTABLE".`,
        data: { fix: 'set', attribute: 'image_tag_mutability', value: 'IMMUTABLE' },
      });
    }
  },
});
