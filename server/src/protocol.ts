/**
 * Custom protocol between the extension client and the server, declared once
 * and imported by both sides. Kept free of analysis code so the client
 * bundle does not pull it in (settings.ts is a table and two small functions).
 */

/** `initializationOptions` the client sends. */
export interface InitializationOptions {
  /** Base URI of the rule documentation pages (the extension's docs/rules/). */
  readonly docsBase?: string;
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
