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
