import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { PLACEHOLDER } from '../../../fixes/types';
import { fixProviderVersion } from './fix';
import type { HclBlock, HclExpr } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { attribute, header, valueOf, type TerraformModule } from '../../../terraform/module';
import {
  hasUpperBound,
  isExact,
  lockedVersion,
  lockFileOf,
  parseConstraint,
  pessimisticFrom,
  providerLocalName,
  requiredProviders,
} from '../../../terraform/requiredProviders';
import { isUnknown } from '../../../terraform/value';

interface Params {
  constraint_style: 'pessimistic' | 'exact';
  require_terraform_version: boolean;
  require_lockfile: boolean;
}

export default defineRule<Params>({
  id: 'tf-provider-version-pinned',
  title: 'Providers are declared with a bounded version constraint',
  severity: 'medium',
  domain: 'terraform',
  mappings: { nist: ['CM-2', 'CM-3', 'SR-3'], euAiAct: ['Art.15', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      constraint_style: {
        type: 'string',
        enum: ['pessimistic', 'exact'],
        default: 'pessimistic',
        description:
          '"pessimistic": a provider version constraint needs an upper bound (~>, <, <= or an exact version); "exact": it must select exactly one version (1.2.3 or = 1.2.3).',
      },
      require_terraform_version: {
        type: 'boolean',
        default: true,
        description: 'Report (low) a module without terraform { required_version } or with one that has no upper bound.',
      },
      require_lockfile: {
        type: 'boolean',
        default: false,
        description: 'Note (info) a module that uses providers without a .terraform.lock.hcl beside it.',
      },
    },
  },
  fix: fixProviderVersion,
  check({ module, params, report, unknown }) {
    const users = new Map<string, HclBlock>(); // provider local name → first block using it
    for (const b of [...module.topLevel('resource'), ...module.topLevel('data')]) {
      const name = providerLocalName(b);
      if (name && !users.has(name)) users.set(name, b);
    }
    checkLegacyProviderVersions(module, report);
    if (users.size === 0) return;

    const declared = requiredProviders(module);
    const tfBlock = module.topLevel('terraform')[0];
    const lock = lockFileOf(module);

    for (const [name, user] of users) {
      const entry = declared.get(name);
      const source = `hashicorp/${name}`;
      const fix = (src: string) => {
        const locked = lockedVersion(lock, src);
        return locked
          ? { fix: 'insert', attribute: 'version', value: pessimisticFrom(locked), provider: name }
          : { fix: 'none', reason: 'no .terraform.lock.hcl: the tested provider version is unknowable', provider: name };
      };
      if (!entry) {
        report({
          at: header(tfBlock ?? user),
          message: `Provider "${name}" is used but not declared in terraform { required_providers } (Terraform implies ${source}, any version): a new major release can change resources on the next init. Add ${name} = { source = "${source}", version = "~> X.Y" }.`,
          data: { ...fix(source), block: 'required_providers', source },
        });
        continue;
      }
      if (entry.opaque) {
        unknown(valueOf(entry.attr), `depends on ${entry.attr.expr.source}`);
        continue;
      }
      const src = sourceOf(module, entry.source) ?? source;
      if (!entry.version) {
        report({
          at: { uri: entry.attr.uri, range: entry.attr.keyRange },
          message: `required_providers entry "${name}" has no version: any release of ${src}, including a new major version, may be installed. Add version = "~> X.Y" (the version you tested).`,
          data: fix(src),
        });
        continue;
      }
      checkConstraint(module, entry.attr.uri, entry.version, `provider "${name}"`, params.constraint_style, 'medium', report, unknown, fix(src));
    }

    if (params.require_terraform_version) {
      const rv = module.topLevel('terraform').map((b) => attribute(b, 'required_version')).find((a) => a);
      if (!rv)
        report({
          at: header(tfBlock ?? [...users.values()][0]!),
          severity: 'low',
          message: 'No terraform { required_version }: any Terraform CLI release may plan and apply this module. Add required_version = "~> 1.X" (or ">= 1.X, < 2.0").',
          data: { fix: 'insert', attribute: 'required_version', value: PLACEHOLDER, placeholder: true },
        });
      else checkConstraint(module, rv.uri, rv.expr, 'required_version', 'pessimistic', 'low', report, unknown, { fix: 'none', reason: 'the tested Terraform version is unknowable' });
    }

    // The lock file cannot be read by this engine version (see lockFileOf): its absence is unknown, never a finding.
    if (params.require_lockfile && !lock)
      unknown(header(tfBlock ?? [...users.values()][0]!), 'the .terraform.lock.hcl beside this module is not visible to the engine');
  },
});

function sourceOf(module: TerraformModule, expr: HclExpr | undefined): string | undefined {
  if (!expr) return undefined;
  const v = module.evaluate(expr);
  return typeof v === 'string' ? v : undefined;
}

type Report = (f: ReportInput) => void;

function checkConstraint(
  module: TerraformModule,
  uri: string,
  expr: HclExpr,
  what: string,
  style: Params['constraint_style'],
  severity: 'medium' | 'low',
  report: Report,
  unknown: (at: Located, origin: string) => void,
  fix: Record<string, unknown>,
): void {
  const at: Located = { uri, range: expr.range };
  const v = module.evaluate(expr);
  if (isUnknown(v)) {
    unknown(at, v.origin);
    return;
  }
  if (typeof v !== 'string') return;
  const parts = parseConstraint(v);
  if (!parts) {
    unknown(at, `version constraint ${JSON.stringify(v)} is not valid syntax`);
    return;
  }
  const ok = style === 'exact' ? isExact(parts) : hasUpperBound(parts);
  if (ok) return;
  report({
    at,
    severity,
    message:
      style === 'exact'
        ? `${what} version ${JSON.stringify(v)} is not exact: constraint_style "exact" requires one version, e.g. "5.31.0".`
        : `${what} version ${JSON.stringify(v)} has no upper bound: the next major release is picked up silently. Use a pessimistic constraint such as "~> 5.31" or ">= 5.31, < 6.0".`,
    data: { ...fix, ...(fix.fix === 'insert' ? { fix: 'set' } : {}) },
  });
}

/** Legacy `provider "x" { version = … }` (deprecated since Terraform 0.13). */
function checkLegacyProviderVersions(module: TerraformModule, report: Report): void {
  for (const p of module.topLevel('provider')) {
    const v = attribute(p, 'version');
    if (!v) continue;
    const name = p.labels[0]?.value ?? '';
    report({
      at: valueOf(v),
      message: `version inside provider "${name}" is deprecated and ignored by current Terraform for source selection. Move the constraint to terraform { required_providers { ${name} = { source = "hashicorp/${name}", version = ${v.expr.source} } } } and delete it here.`,
      data: { fix: 'delete', attribute: 'version', moveTo: 'required_providers', provider: name },
    });
  }
}
