/**
 * Custom protocol between the extension client and the server, declared once
 * and imported by both sides. Kept free of analysis code so the client
 * bundle does not pull it in (settings.ts is a table and two small functions).
 */

/** `initializationOptions` the client sends. */
export interface InitializationOptions {
  /** Base URI of the rule documentation pages (the extension's docs/rules/). */
  readonly docsBase?: string;
  /** Attach CODE_ACTION_APPLIED_COMMAND to quick fixes, suppressions and fix-all (the client registers it). */
  readonly codeActionCommand?: boolean;
  /**
   * Workspace trust. Absent means trusted (a plain LSP editor or the CLI
   * decides for itself); false: drift runs no program and sends no request to
   * a host the workspace names (TRUST_CHANGED_NOTIFICATION lifts it).
   */
  readonly trusted?: boolean;
}

/** Settings under the `plumbline` section, read per resource (workspace folder); declared in settings.ts. */
export { DEFAULT_SETTINGS, SETTINGS_SECTION, type PlumblineSettings } from './settings';

/** Notification the server sends when a rule throws: the other rules' findings still appear. */
export const RULE_FAILURE_NOTIFICATION = 'plumbline/ruleFailure';
export interface RuleFailureParams {
  readonly uri: string;
  readonly ruleId: string;
  readonly message: string;
}

/**
 * Request (client → server): every safe quick fix in the workspace folders,
 * as one workspace edit whose changes need the user's confirmation (the
 * editor shows them in its refactoring preview before applying).
 */
export const FIX_ALL_WORKSPACE_REQUEST = 'plumbline/fixAllWorkspace';
export interface FixAllWorkspaceResult {
  /** An LSP WorkspaceEdit (documentChanges with change annotations); absent when nothing can be fixed. */
  readonly edit?: unknown;
  readonly files: number;
  readonly fixes: number;
}

/**
 * Command the server's quick fixes carry when the client asks for it
 * (`initializationOptions.codeActionCommand`): the editor runs it after the
 * action's edit is applied, with the kind of action as its one argument. The
 * VS Code client uses it to complete the walkthrough steps on the real event;
 * other editors do not ask, so they never get a command they cannot run.
 */
export const CODE_ACTION_APPLIED_COMMAND = 'plumbline.codeActionApplied';
export type CodeActionAppliedKind = 'fix' | 'suppression';

/**
 * Request (client → server): analyse every Plumbline file under the workspace
 * folders and publish diagnostics for each (not only the open ones). Reports
 * work-done progress when the client supports it; returns the counts.
 */
export const ANALYZE_WORKSPACE_REQUEST = 'plumbline/analyzeWorkspace';
export interface AnalyzeWorkspaceResult {
  /** Files analysed. */
  readonly files: number;
  /** Files with at least one finding. */
  readonly filesWithFindings: number;
  /** All findings, and by severity (critical, high, medium, low, info). */
  readonly findings: number;
  readonly bySeverity: Readonly<Record<string, number>>;
  /** Workspace folders skipped because `plumbline.enable` is false there. */
  readonly disabledFolders: number;
}

/** Request (client → server): the built-in rules, for the "Show Rule Documentation" picker. */
export const RULE_LIST_REQUEST = 'plumbline/ruleList';
export interface RuleSummary {
  readonly id: string;
  readonly title: string;
  readonly domain: string;
  readonly severity: string;
}

/**
 * The presets `extends:` accepts, with one line each for the "Create
 * .plumbline.yaml from a Preset" picker (server/src/config/presets.ts defines
 * them; a unit test keeps the two lists equal).
 */
export const PRESET_SUMMARIES: readonly { readonly name: string; readonly description: string }[] = [
  { name: 'recommended', description: 'The catalog defaults: every rule at its documented severity.' },
  { name: 'strict', description: 'Controls must live in this workspace, pinning and Kubernetes limits/probes are high, waivers last at most 90 days.' },
  {
    name: 'ai-act-high-risk',
    description: 'Strict, plus high severity on traceability and logging controls for EU AI Act high-risk systems; waivers at most 60 days with a 20-character reason.',
  },
];

// ---------------------------------------------------------------------------
// Drift (issue 8). The stack and resource shapes are server/src/drift/types.ts.

export type {
  AttributeChange,
  Declaration,
  DriftProblem,
  DriftSourceKind,
  DriftStack,
  ResourceDrift,
  ResourceDriftStatus,
  StackDriftStatus,
} from './drift/types';
import type { DriftProblem, DriftSourceKind, DriftStack } from './drift/types';

/** What the panel shows: every enabled source with its stacks, as last fetched. */
export interface DriftReport {
  readonly sources: readonly DriftSourceReport[];
  /** Drifted, missing and unmanaged resources over all stacks (the status bar count). */
  readonly driftCount: number;
  /** True while a refresh is running; a `plumbline/drift/changed` follows when it ends. */
  readonly refreshing: boolean;
}

export interface DriftSourceReport {
  readonly kind: DriftSourceKind;
  /** "Terraform state", "Terraform CLI", "HCP Terraform". */
  readonly label: string;
  readonly stacks: readonly DriftStack[];
  /** When this source last finished a check (ISO 8601); absent before the first one. */
  readonly fetchedAt?: string;
  /**
   * Set when the source could not run at all (signed out, untrusted
   * workspace, no root module it applies to); the panel's welcome view and
   * the source's row show it.
   */
  readonly problem?: DriftProblem;
  /** True when this source needs a token and none was found (the panel offers "Sign in"). */
  readonly signedOut?: boolean;
}

/** Request (client → server): the last report, without fetching. */
export const DRIFT_LIST_REQUEST = 'plumbline/drift/list';
/** Request (client → server): fetch again (all sources, or one); resolves with the new report. */
export const DRIFT_REFRESH_REQUEST = 'plumbline/drift/refresh';
export interface DriftRefreshParams {
  readonly source?: DriftSourceKind;
}
/** Notification (server → client): the report changed (a refresh started or ended, a source failed). */
export const DRIFT_CHANGED_NOTIFICATION = 'plumbline/drift/changed';

/**
 * Request (server → client): a secret the editor stores (VS Code
 * SecretStorage), e.g. the HCP Terraform token of a hostname under
 * `hcpSecretKey(hostname)`. Secrets never travel in settings.
 */
export const SECRET_REQUEST = 'plumbline/secret';
export interface SecretParams {
  readonly key: string;
}
export interface SecretResult {
  readonly value?: string;
}

/** Notification (client → server): workspace trust was granted (it is never revoked within a session). */
export const TRUST_CHANGED_NOTIFICATION = 'plumbline/trustChanged';
export interface TrustParams {
  readonly trusted: boolean;
}
export { ARGOCD_SERVER_SECRET, argocdSecretKey, hcpSecretKey } from './drift/types';

// ---------------------------------------------------------------------------
// Evidence

/**
 * Request (client → server): the governance evidence report of the
 * workspace folders, as one self-contained HTML page (docs/evidence.md).
 * Built from the server's own analysis and its last drift report; it starts
 * no drift check and runs no program.
 */
export const EVIDENCE_REPORT_REQUEST = 'plumbline/evidenceReport';
export type EvidenceReportParams = Record<string, never>;
export interface EvidenceReportResult {
  readonly html: string;
  /** `plumbline-evidence-<YYYY-MM-DD>.html`, for the save dialog. */
  readonly fileName: string;
  readonly findings: number;
  /** Whether any finding is high or critical. */
  readonly highOrAbove: boolean;
}

/** Request (client → server): the contexts of the kubeconfig the Kubernetes drift source reads (for "Choose Kubernetes Context"). */
export const KUBE_CONTEXTS_REQUEST = 'plumbline/drift/kubernetesContexts';
export interface KubeContextsResult {
  readonly contexts: readonly { readonly name: string; readonly cluster: string; readonly namespace?: string }[];
  /** `current-context` of the kubeconfig. */
  readonly current?: string;
  /** The context the setting chose, if any. */
  readonly chosen?: string;
  /** Why no context could be listed (no kubeconfig, a broken file). */
  readonly problem?: string;
}
