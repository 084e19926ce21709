import type { Fix, TerraformFixContext, YamlFixContext } from '../fixes/types';
import type { HclBlock } from '../model/hcl';
import type { YamlDocument, YamlFile } from '../model/yaml';
import type { TerraformModule } from '../terraform/module';
import type { Located } from '../model/location';
import type { ReportInput } from './finding';
import type { Severity } from './severity';

export type Domain = 'terraform' | 'kubernetes' | 'github-actions' | 'gitlab-ci';

/** A JSON Schema for a rule's `params`; `default`s are applied before `check`. */
export interface ParamsSchema {
  readonly type: 'object';
  readonly properties: Record<string, Record<string, unknown> & { default?: unknown; description: string }>;
  readonly additionalProperties?: boolean;
}

/** Indicative control mappings (catalog column "Mappings"). */
export interface Mappings {
  readonly nist?: readonly string[];
  readonly cis?: readonly string[];
  readonly euAiAct?: readonly string[];
  readonly gdpr?: readonly string[];
  readonly scorecard?: readonly string[];
  readonly aiRmf?: readonly string[];
}

export interface RuleMeta {
  readonly id: string;
  readonly title: string;
  /** Default severity; a finding may carry another where the catalog gives a range. */
  readonly severity: Severity;
  readonly domain: Domain;
  /** Marked [AI] in the catalog. */
  readonly ai?: boolean;
  readonly params?: ParamsSchema;
  readonly mappings: Mappings;
  /**
   * `document` (YAML rules): what the rule reports on a document depends on
   * that document alone. The engine then runs it one document at a time and
   * reuses its findings for the documents an edit left unchanged.
   */
  readonly scope?: 'document';
}

export interface BaseContext<P> {
  readonly params: P;
  report(finding: ReportInput): void;
  /**
   * The rule needed a value it cannot know (catalog §3): no violation. With
   * `report_unknown: true` this becomes one info note at the value saying
   * what could not be evaluated and why; otherwise it is silent.
   */
  unknown(at: Located, origin: string): void;
}

/** Terraform rules see a whole module (one directory), so companions in other files link. */
export interface TerraformContext<P> extends BaseContext<P> {
  readonly module: TerraformModule;
  /**
   * `compute()` for one resource block, kept across edits of the module: the
   * next analysis reuses the result, and reports again what `compute`
   * reported, without running it, while the block is the same object, the
   * module's environment is unchanged (everything outside resource blocks,
   * see `TerraformModule.environment`) and so is each of `deps` (compared by
   * identity: the companion blocks and flags the result also depends on).
   * So `compute` may read only the block, that environment, values
   * evaluated within the block and what `deps` lists. An edit then costs the
   * blocks it touched, not the whole module.
   */
  memo<T>(block: HclBlock, compute: () => T, deps?: readonly unknown[]): T;
}

/** YAML rules see one file and the documents of their kind in it. */
export interface YamlContext<P> extends BaseContext<P> {
  readonly file: YamlFile;
  readonly documents: readonly YamlDocument[];
}

/**
 * `check` reports findings; `fix`, when the catalog names a quick fix,
 * proposes edits for one of them (the engine verifies each before offering it).
 */
export type Rule<P = Record<string, unknown>> =
  | (RuleMeta & {
      readonly domain: 'terraform';
      check(ctx: TerraformContext<P>): void;
      fix?(ctx: TerraformFixContext<P>): Fix[];
    })
  | (RuleMeta & {
      readonly domain: Exclude<Domain, 'terraform'>;
      check(ctx: YamlContext<P>): void;
      fix?(ctx: YamlFixContext<P>): Fix[];
    });

export type AnyRule = Rule<any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Declares a rule. Registration is explicit: see rules/index.ts. */
export function defineRule<P = Record<string, unknown>>(rule: Rule<P>): Rule<P> {
  return rule;
}

/** The schema of a param that is a list of strings (names, globs or patterns). */
export function stringListParam(defaultValue: readonly string[], description: string): ParamsSchema['properties'][string] {
  return { type: 'array', items: { type: 'string' }, default: [...defaultValue], description };
}

/** The rule's params with the schema's defaults filled in. */
export function defaultParams(rule: RuleMeta): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(rule.params?.properties ?? {})) if ('default' in s) out[k] = structuredClone(s.default);
  return out;
}
