import type { SuppressionEntry } from '../cli/suppressions';
import type { DirectiveStatus } from '../suppressions';
import type { AttributeChange, DriftProblem, DriftSourceKind, ResourceDriftStatus, StackDriftStatus } from '../drift/types';
import type { Range } from '../model/location';
import type { Mappings } from '../engine/rule';
import type { Severity } from '../engine/severity';
import type { GitSource } from './git';

/**
 * The governance evidence file (`plumbline report`, "Export Evidence
 * Report"): what was checked, with what, and what came out. Paths are
 * relative to the directory the report was made from, with `/` separators;
 * no absolute path, token or environment value is recorded.
 */
export interface Evidence {
  readonly schema: typeof EVIDENCE_SCHEMA;
  /** ISO 8601. */
  readonly generatedAt: string;
  readonly tool: { readonly name: 'plumbline'; readonly version: string };
  /** Null outside a git repository. */
  readonly source: GitSource | null;
  readonly scope: EvidenceScope;
  readonly config: EvidenceConfig;
  readonly rules: EvidenceRules;
  readonly findings: EvidenceFindings;
  readonly suppressions: EvidenceSuppressions;
  /** Null when no drift source was checked. */
  readonly drift: EvidenceDrift | null;
  readonly verdict: EvidenceVerdict;
}

export const EVIDENCE_SCHEMA = 'plumbline-evidence/1';

export interface EvidenceScope {
  /** The name (not the path) of the folder the report was made from: the current directory, or the workspace folders' common parent. */
  readonly folder: string;
  /** The paths given (the CLI's arguments, the editor's workspace folders). */
  readonly paths: readonly string[];
  /** Files analysed. */
  readonly fileCount: number;
}

export interface EvidenceConfigFile {
  readonly path: string;
  /** `config`: a .plumbline.yaml of the tree; `base`: the --config file; `extends`: a file a config extends; `policy`: .plumbline/policies/*.yaml. */
  readonly role: 'config' | 'base' | 'extends' | 'policy';
  /** SHA-256 of the file's bytes on disk, hex; what `sha256sum` prints. Null when it could not be read. */
  readonly sha256: string | null;
  readonly bytes: number | null;
  /** True when the editor held unsaved changes: the analysis used them, the hash is of the saved file. */
  readonly unsaved?: boolean;
}

export interface EvidenceConfig {
  readonly files: readonly EvidenceConfigFile[];
  /** Presets named by `extends:` (they ship with the tool version). */
  readonly presets: readonly string[];
  /** SHA-256 over the sorted "sha256  path" lines of the files, one per line. */
  readonly configHash: string;
}

export interface EvidenceRule {
  readonly id: string;
  readonly title: string;
  readonly domain: string;
  /** The severity findings get: the config's override, else the rule's default. */
  readonly severity: Severity;
  readonly defaultSeverity: Severity;
  /** Parameters in force (defaults merged with the config's). */
  readonly params: Readonly<Record<string, unknown>>;
  readonly mappings: Mappings;
  /**
   * Set only when the configuration differs between folders: the folders
   * this entry's severity and params apply to (the rule has one entry per variant).
   */
  readonly folders?: readonly string[];
}

export interface EvidenceRules {
  /** Built-in rules that ran on at least one analysed file, by id. Rules are versioned with the tool. */
  readonly list: readonly EvidenceRule[];
  /** SHA-256 over the canonical JSON of the sorted [id, severity, params, folders?] entries. */
  readonly rulesetHash: string;
}

export type SeverityCounts = Readonly<Record<Severity, number>>;

export interface EvidenceFinding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  /** 0-based LSP positions, as `plumbline check --format json`. */
  readonly range: Range;
}

export interface EvidenceFindings {
  readonly total: number;
  readonly bySeverity: SeverityCounts;
  readonly list: readonly EvidenceFinding[];
  /** Rules that threw on a file: their findings there are missing. */
  readonly ruleFailures: readonly { readonly ruleId: string; readonly file: string; readonly error: string }[];
}

/** One suppression directive, as `plumbline suppressions --format json` lists it. */
export type EvidenceSuppression = SuppressionEntry;

export interface EvidenceSuppressions {
  readonly total: number;
  readonly byStatus: Readonly<Record<DirectiveStatus, number>>;
  readonly list: readonly EvidenceSuppression[];
}

export interface EvidenceDriftResource {
  readonly address: string;
  readonly status: ResourceDriftStatus;
  /** Changed attributes as the source reported them; sensitive values are already masked. */
  readonly changes: readonly AttributeChange[];
  readonly message?: string;
  /** The declaring block, when found: file and 1-based line. */
  readonly file?: string;
  readonly line?: number;
}

export interface EvidenceDriftStack {
  readonly name: string;
  readonly source: DriftSourceKind;
  readonly root: string;
  readonly status: StackDriftStatus;
  readonly checkedAt?: string;
  readonly origin: string;
  readonly link?: string;
  readonly problem?: DriftProblem;
  /** All resources the source compared. */
  readonly resourceCount: number;
  /** Drifted, missing and unmanaged resources only. */
  readonly drifted: readonly EvidenceDriftResource[];
}

export interface EvidenceDrift {
  readonly sources: readonly { readonly kind: DriftSourceKind; readonly label: string; readonly fetchedAt?: string; readonly problem?: DriftProblem }[];
  readonly driftCount: number;
  readonly stacks: readonly EvidenceDriftStack[];
}

export interface EvidenceVerdict {
  readonly findings: number;
  readonly bySeverity: SeverityCounts;
  /** Whether any finding is high or critical (the CLI's default gate). */
  readonly highOrAbove: boolean;
  readonly expiredSuppressions: number;
  readonly invalidSuppressions: number;
  /** Null when drift was not checked. */
  readonly driftCount: number | null;
}
