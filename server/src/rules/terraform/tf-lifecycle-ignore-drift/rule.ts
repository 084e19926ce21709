import { defineRule } from '../../../engine/rule';
import type { HclBlock, HclExpr } from '../../../model/hcl';
import { address, attribute, nestedBlocks, resourceType, valueOf } from '../../../terraform/module';

interface Params {
  governed_attributes: string[];
  allowed_ignores: Record<string, string[]>;
}

const DEFAULT_GOVERNED = [
  'tags',
  'labels',
  '*kms*',
  '*encryption*',
  'versioning*',
  'policy',
  '*public*',
  'image_tag_mutability',
  'guardrail_configuration',
  'data_capture_config',
];

export function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
}

/** An `ignore_changes` entry as written, without whitespace: `tags["CreatorId"]`. */
function entryText(e: HclExpr): string {
  return e.source.replace(/\s+/g, '');
}

/** The top-level attribute an entry names (`tags` for `tags["CreatorId"]`), or undefined if it is not a reference. */
function entryRoot(e: HclExpr): string | undefined {
  if (e.type === 'traversal') return e.root;
  if (e.type === 'literal' && typeof e.value === 'string') return e.value.split(/[.[]/)[0]; // pre-0.12 string form
  return undefined;
}

export default defineRule<Params>({
  id: 'tf-lifecycle-ignore-drift',
  title: 'lifecycle.ignore_changes does not hide drift of governed attributes',
  severity: 'medium',
  domain: 'terraform',
  mappings: { nist: ['CM-3', 'CM-6', 'SI-7'], euAiAct: ['Art.12', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      governed_attributes: {
        type: 'array',
        items: { type: 'string' },
        default: DEFAULT_GOVERNED,
        description: 'Globs (* = any characters) over top-level attribute names whose drift must not be ignored.',
      },
      allowed_ignores: {
        type: 'object',
        additionalProperties: { type: 'array', items: { type: 'string' } },
        default: {},
        description:
          'Per resource type ("*" for any), ignore_changes entries that are accepted exactly as written without spaces, e.g. { "aws_s3_bucket": ["tags[\\"CreatorId\\"]"] }.',
      },
    },
  },
  check({ module, params, report, unknown, memo }) {
    const governed = params.governed_attributes.map(globToRegExp);
    // Each resource's lifecycle block on its own: kept across edits of other resources.
    for (const res of module.resources()) memo(res, () => checkResource(res));

    function checkResource(res: HclBlock): void {
      const type = resourceType(res);
      const allowed = new Set([...(params.allowed_ignores[type] ?? []), ...(params.allowed_ignores['*'] ?? [])].map((s) => s.replace(/\s+/g, '')));
      for (const lc of nestedBlocks(res, 'lifecycle')) {
        const attr = attribute(lc, 'ignore_changes');
        if (!attr) continue;
        const e = attr.expr;
        if ((e.type === 'traversal' && e.root === 'all' && e.steps.length === 0) || (e.type === 'literal' && e.value === 'all')) {
          report({
            at: valueOf(attr),
            message: `${address(res)} ignores changes to all attributes: the configuration is no longer authoritative and any drift (encryption, access, tags) is masked. List only the attributes another system legitimately manages.`,
            data: { fix: 'none', reason: 'which attributes may drift is intent' },
          });
          continue;
        }
        if (e.type !== 'tuple') {
          unknown(valueOf(attr), `ignore_changes is ${e.source.replace(/\s+/g, ' ')}, not a list of attributes`);
          continue;
        }
        for (const item of e.items) {
          const root = entryRoot(item);
          if (root === undefined) {
            unknown({ uri: attr.uri, range: item.range }, `ignore_changes entry ${item.source} is not an attribute reference`);
            continue;
          }
          if (!governed.some((g) => g.test(root))) continue;
          if (allowed.has(entryText(item))) continue;
          report({
            at: { uri: attr.uri, range: item.range },
            message: `${address(res)} ignores changes to ${entryText(item)}, a governed attribute: drift there (made outside Terraform) goes unnoticed. Remove the entry, or allow this exact entry for ${type} in allowed_ignores if another system owns it.`,
            data: { fix: 'none', reason: 'which attributes may drift is intent', action: 'remove-entry', entry: entryText(item) },
          });
        }
      }
    }
  },
});
