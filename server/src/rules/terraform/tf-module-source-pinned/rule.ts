import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import { attribute, valueOf, type TerraformModule } from '../../../terraform/module';
import { installedModuleVersion, isExact, parseConstraint } from '../../../terraform/requiredProviders';
import { isUnknown } from '../../../terraform/value';

interface Params {
  allow_tags: boolean;
  allowed_registry_hosts: string[];
  allowed_git_hosts: string[];
  allow_archive_sources: boolean;
}

const SHA = /^[0-9a-f]{40}$/i;
const SEMVER_TAG = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;
const PUBLIC_REGISTRY = 'registry.terraform.io';

export type SourceKind =
  | { kind: 'local' }
  | { kind: 'git'; host: string; ref: string | undefined }
  | { kind: 'registry'; host: string }
  | { kind: 'archive'; scheme: string };

/** Classifies a module `source` the way Terraform's getter does (local, git, registry, archive/other). */
export function classifySource(source: string): SourceKind {
  if (source.startsWith('./') || source.startsWith('../')) return { kind: 'local' };
  const query = source.includes('?') ? new URLSearchParams(source.slice(source.indexOf('?') + 1)) : undefined;
  const ref = query?.get('ref') ?? undefined;
  const git = (host: string): SourceKind => ({ kind: 'git', host: host.toLowerCase(), ref });
  let m = /^git::(?:[a-z+]+:\/\/)?(?:[^@/]+@)?([^/:?]+)/i.exec(source);
  if (m) return git(m[1]!);
  m = /^git@([^:/]+):/i.exec(source);
  if (m) return git(m[1]!);
  m = /^(github\.com|bitbucket\.org)\//i.exec(source);
  if (m) return git(m[1]!);
  m = /^([a-z0-9]+)::/i.exec(source) ?? /^(https?|s3|gcs):\/\//i.exec(source);
  if (m) return { kind: 'archive', scheme: m[1]!.toLowerCase() };
  const path = source.split('//')[0]!.split('?')[0]!;
  const parts = path.split('/');
  if (parts.length === 3 && parts.every((p) => /^[\w-]+$/.test(p))) return { kind: 'registry', host: PUBLIC_REGISTRY };
  if (parts.length === 4 && parts[0]!.includes('.')) return { kind: 'registry', host: parts[0]!.toLowerCase() };
  return { kind: 'archive', scheme: 'unknown' };
}

export default defineRule<Params>({
  id: 'tf-module-source-pinned',
  title: 'Module sources are pinned to an immutable version',
  severity: 'high',
  domain: 'terraform',
  mappings: { nist: ['SR-3', 'SR-4', 'CM-2'], euAiAct: ['Art.15'], scorecard: ['Pinned-Dependencies'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allow_tags: {
        type: 'boolean',
        default: false,
        description: 'Accept a semantic-version tag (v1.2.3) as a git ?ref= instead of a full 40-hex commit SHA.',
      },
      allowed_registry_hosts: {
        type: 'array',
        items: { type: 'string' },
        default: ['registry.terraform.io', 'app.terraform.io'],
        description: 'Module registries modules may come from (a source ns/name/provider is registry.terraform.io).',
      },
      allowed_git_hosts: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description: 'Git hosts modules may come from; an empty list allows any host.',
      },
      allow_archive_sources: {
        type: 'boolean',
        default: false,
        description: 'Accept HTTP(S), S3, GCS and other archive sources, whose content cannot be pinned by the source string.',
      },
    },
  },
  // Offered only when .terraform/modules/modules.json records the installed version;
  // git refs need the network to resolve to a SHA and get none.
  fix: standardTerraformFix,
  check({ module, params, report, unknown }) {
    for (const call of module.topLevel('module')) {
      const sourceAttr = attribute(call, 'source');
      if (!sourceAttr) continue;
      const name = call.labels[0]?.value ?? '';
      const source = module.evaluate(sourceAttr.expr, call);
      if (isUnknown(source)) {
        unknown(valueOf(sourceAttr), source.origin);
        continue;
      }
      if (typeof source !== 'string') continue;
      const at = valueOf(sourceAttr);
      const kind = classifySource(source);
      switch (kind.kind) {
        case 'local':
          break;
        case 'git': {
          if (params.allowed_git_hosts.length > 0 && !params.allowed_git_hosts.map((h) => h.toLowerCase()).includes(kind.host)) {
            report({
              at,
              message: `module "${name}" comes from git host ${kind.host}, which is not in allowed_git_hosts (${params.allowed_git_hosts.join(', ')}). Use a module from an approved host.`,
              data: { fix: 'none', reason: 'which host to use is intent' },
            });
            break;
          }
          if (kind.ref === undefined) {
            report({
              at,
              message: `module "${name}" has a git source without ?ref=, so it follows the default branch: any push changes what is deployed. Pin it with ?ref=<full 40-hex commit SHA>.`,
              data: { fix: 'set', attribute: 'source', resolve: 'ref-to-sha', network: true },
            });
          } else if (!SHA.test(kind.ref) && !(params.allow_tags && SEMVER_TAG.test(kind.ref))) {
            report({
              at,
              message: `module "${name}" is pinned to git ref "${kind.ref}", which can be moved or re-pointed. Pin it to the full 40-hex commit SHA (?ref=<sha>, with the tag in a trailing comment)${params.allow_tags ? ' or a semantic-version tag' : ''}.`,
              data: { fix: 'set', attribute: 'source', resolve: 'ref-to-sha', ref: kind.ref, network: true },
            });
          }
          break;
        }
        case 'registry': {
          if (!params.allowed_registry_hosts.map((h) => h.toLowerCase()).includes(kind.host)) {
            report({
              at,
              message: `module "${name}" comes from registry ${kind.host}, which is not in allowed_registry_hosts (${params.allowed_registry_hosts.join(', ')}). Use a module from an approved registry.`,
              data: { fix: 'none', reason: 'which registry to use is intent' },
            });
            break;
          }
          const versionAttr = attribute(call, 'version');
          if (!versionAttr) {
            report({
              at,
              message: `module "${name}" comes from a registry without version: every init may fetch a newer release. Add version = "<exact version>" (e.g. "5.8.1").`,
              data: installedFix('insert', module, name),
            });
            break;
          }
          const version = module.evaluate(versionAttr.expr, call);
          if (isUnknown(version)) {
            unknown(valueOf(versionAttr), version.origin);
            break;
          }
          if (typeof version !== 'string') break;
          const parts = parseConstraint(version);
          if (parts && isExact(parts)) break;
          report({
            at: valueOf(versionAttr),
            severity: 'medium',
            message: `module "${name}" version ${JSON.stringify(version)} is a range: the selected release can change without a code change. Pin one exact version, e.g. "5.8.1".`,
            data: installedFix('set', module, name),
          });
          break;
        }
        case 'archive':
          if (params.allow_archive_sources) break;
          report({
            at,
            message: `module "${name}" is fetched from a ${kind.scheme === 'unknown' ? 'source Plumbline does not recognise' : `${kind.scheme} archive`}: its content can change behind the same address. Use a registry module with an exact version or a git source pinned to a commit SHA.`,
            data: { fix: 'none', reason: 'the replacement source is intent' },
          });
          break;
      }
    }
  },
});

/** Pin to the version `terraform init` installed (modules.json), or no fix when it is not known. */
function installedFix(fix: 'insert' | 'set', module: TerraformModule, call: string): Record<string, unknown> {
  const version = installedModuleVersion(module, call);
  return version
    ? { fix, attribute: 'version', value: version, from: '.terraform/modules/modules.json' }
    : { fix: 'none', reason: 'no .terraform/modules/modules.json entry: the installed version is unknowable offline' };
}
