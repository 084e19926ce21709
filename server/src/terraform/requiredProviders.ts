import type { HclAttribute, HclBlock, HclExpr, HclFile } from '../model/hcl';
import type { Range } from '../model/location';
import { attribute, nestedBlocks, type TerraformModule } from './module';

/** Resource types of Terraform's built-in provider (`terraform.io/builtin/terraform`): never declared. */
const BUILTIN_TYPES = new Set(['terraform_data', 'terraform_remote_state']);

/**
 * The local name of the provider a `resource`/`data` block uses: the root of
 * its `provider = aws.west` argument, else the prefix of its type before the
 * first underscore (Terraform's implied provider). Undefined for built-ins.
 */
export function providerLocalName(block: HclBlock): string | undefined {
  // Blocks are immutable and survive edits elsewhere: a rule reading every resource on each edit finds it here.
  if (localNames.has(block)) return localNames.get(block);
  const name = localNameOf(block);
  localNames.set(block, name);
  return name;
}

const localNames = new WeakMap<HclBlock, string | undefined>();

function localNameOf(block: HclBlock): string | undefined {
  const type = block.labels[0]?.value ?? '';
  if (BUILTIN_TYPES.has(type)) return undefined;
  const provider = attribute(block, 'provider');
  if (provider?.expr.type === 'traversal') return provider.expr.root;
  const name = type.split('_')[0];
  return name || undefined;
}

/** One entry of `terraform { required_providers { … } }`. */
export interface RequiredProvider {
  readonly name: string;
  readonly attr: HclAttribute;
  /** The `version` expression (object form), or the whole value in the legacy string shorthand `aws = "~> 5.0"`. */
  readonly version?: HclExpr;
  readonly source?: HclExpr;
  /** The entry's value is neither an object nor a string (a variable, a call): what it declares is unknown. */
  readonly opaque: boolean;
}

/** Every `required_providers` entry of the module, by local name (the first declaration wins, as in Terraform). */
export function requiredProviders(module: TerraformModule): ReadonlyMap<string, RequiredProvider> {
  return module.cached('required-providers', () => {
    const out = new Map<string, RequiredProvider>();
    for (const tf of module.topLevel('terraform'))
      for (const rp of nestedBlocks(tf, 'required_providers'))
        for (const attr of rp.body.attributes) {
          if (out.has(attr.name)) continue;
          const e = attr.expr;
          if (e.type === 'object') {
            const item = (k: string) => e.items.find((i) => i.key === k)?.value;
            out.set(attr.name, { name: attr.name, attr, version: item('version'), source: item('source'), opaque: false });
          } else if (e.type === 'literal' && typeof e.value === 'string') {
            out.set(attr.name, { name: attr.name, attr, version: e, opaque: false });
          } else out.set(attr.name, { name: attr.name, attr, opaque: true });
        }
    return out;
  });
}

export interface ConstraintPart {
  readonly op: '=' | '!=' | '>' | '>=' | '<' | '<=' | '~>';
  readonly version: string;
}

/** Parses a Terraform version constraint (`">= 5.0, < 6.0"`); undefined when it is not valid syntax. */
export function parseConstraint(text: string): ConstraintPart[] | undefined {
  const parts: ConstraintPart[] = [];
  for (const raw of text.split(',')) {
    const m = /^\s*(=|!=|>=|<=|>|<|~>)?\s*v?(\d+(?:\.\d+){0,2}(?:-[0-9A-Za-z.-]+)?)\s*$/.exec(raw);
    if (!m) return undefined;
    parts.push({ op: (m[1] ?? '=') as ConstraintPart['op'], version: m[2]! });
  }
  return parts;
}

/** Whether the constraint caps the versions Terraform may select (`~>`, `<`, `<=`, exact). */
export function hasUpperBound(parts: readonly ConstraintPart[]): boolean {
  return parts.some((p) => p.op === '~>' || p.op === '<' || p.op === '<=' || p.op === '=');
}

/** Whether the constraint selects exactly one version (`1.2.3` or `= 1.2.3`, alone). */
export function isExact(parts: readonly ConstraintPart[]): boolean {
  return parts.length === 1 && parts[0]!.op === '=' && /^\d+\.\d+\.\d+/.test(parts[0]!.version);
}

/** `~> X.Y` from a selected version `X.Y.Z` (what the quick fix inserts). */
export function pessimisticFrom(version: string): string {
  const [major, minor] = version.split('.');
  return `~> ${major}.${minor ?? '0'}`;
}

/** One `provider "<address>" { version = … }` block of `.terraform.lock.hcl`. */
export interface LockedProvider {
  /** `registry.terraform.io/hashicorp/aws` */
  readonly address: string;
  readonly version?: string;
  readonly range: Range;
}

/** The providers a parsed `.terraform.lock.hcl` selects. */
export function parseLockFile(file: HclFile): LockedProvider[] {
  return file.body.blocks
    .filter((b) => b.type === 'provider' && b.labels[0])
    .map((b) => {
      const v = attribute(b, 'version')?.expr;
      const version = v?.type === 'literal' && typeof v.value === 'string' ? v.value : undefined;
      return { address: b.labels[0]!.value, ...(version ? { version } : {}), range: b.headerRange };
    });
}

/**
 * The module's `.terraform.lock.hcl`, when the workspace has one beside it
 * (the language service reads it with the module). Without one there is no
 * tested version to offer, so the version quick fix is not offered.
 */
export function lockFileOf(module: TerraformModule): HclFile | undefined {
  return module.installed.lockFile;
}

/**
 * The version `terraform init` installed for a registry module call, from
 * `.terraform/modules/modules.json` (entries `{ Key, Source, Version, Dir }`,
 * Key = the call name). Undefined without the file or the entry.
 */
export function installedModuleVersion(module: TerraformModule, callName: string): string | undefined {
  const json = module.installed.modulesJson;
  if (json === undefined) return undefined;
  try {
    const entries = (JSON.parse(json) as { Modules?: { Key?: unknown; Version?: unknown }[] }).Modules ?? [];
    const hit = entries.find((m) => m.Key === callName);
    return typeof hit?.Version === 'string' && hit.Version !== '' ? hit.Version : undefined;
  } catch {
    return undefined; // a half-written or foreign file: no version to offer
  }
}

/** The version the lock file selects for a provider source (`hashicorp/aws`), if any. */
export function lockedVersion(lock: HclFile | undefined, source: string): string | undefined {
  if (!lock) return undefined;
  const full = source.split('/').length === 2 ? `registry.terraform.io/${source}` : source;
  return parseLockFile(lock).find((p) => p.address.toLowerCase() === full.toLowerCase())?.version;
}
