import type { ConfigData } from './config/types';
import { SEVERITIES, type Severity } from './engine/severity';

/**
 * The editor settings under `plumbline.*`, declared once. package.json's
 * `contributes.configuration` is generated from this table by `npm run docs`
 * (scripts/settingsManifest.ts), and test/settings.test.ts fails when the two
 * differ, so the server's defaults and the editor's settings UI cannot drift.
 */
export interface SettingDeclaration {
  /** JSON Schema of the value, as VS Code's settings editor reads it. */
  readonly schema: Readonly<Record<string, unknown>>;
  readonly default: unknown;
  /**
   * `resource`: may differ per workspace folder; `window`: one value per
   * window; `machine`: user settings only, so a repository's
   * .vscode/settings.json cannot choose it (the program drift runs).
   */
  readonly scope: 'resource' | 'window' | 'machine';
  readonly description: string;
}

export const SETTINGS = {
  enable: {
    schema: { type: 'boolean' },
    default: true,
    scope: 'resource',
    description: 'Analyse Terraform, Kubernetes, GitHub Actions and GitLab CI files in this folder.',
  },
  severityOverrides: {
    schema: { type: 'object', additionalProperties: { type: 'string', enum: [...SEVERITIES] } },
    default: {},
    scope: 'resource',
    description:
      'Your own severity per rule id, for example { "tf-required-tags": "low" }. The .plumbline.yaml files of the workspace apply over them: a severity the repository sets wins.',
  },
  reportUnknown: {
    schema: { type: 'boolean' },
    default: false,
    scope: 'resource',
    description:
      'Report an info note wherever a rule could not evaluate a value (a variable without a default, a data source). The .plumbline.yaml files of the workspace apply over this.',
  },
  'codeLens.enable': {
    schema: { type: 'boolean' },
    default: true,
    scope: 'resource',
    description: 'Show a code lens above each Terraform resource, Kubernetes object and pipeline job with its findings by severity, or that it is compliant.',
  },
  'drift.sources': {
    schema: { type: 'array', items: { type: 'string', enum: ['state', 'terraform', 'hcp', 'kubernetes', 'argocd'] }, uniqueItems: true },
    default: ['state', 'hcp'],
    scope: 'window',
    description:
      'Drift sources the panel checks: "state" compares the code with the local terraform.tfstate (offline); "hcp" reads HCP Terraform / Terraform Enterprise health assessments for roots with a cloud {} or backend "remote" block; "terraform" runs `terraform plan -refresh-only` (trusted workspaces only; it calls your cloud with your credentials); "kubernetes" compares the workspace\'s manifests with the cluster of your kubeconfig (a server-side dry run, nothing is changed); "argocd" reads the Argo CD applications built from this repository.',
  },
  'drift.terraformPath': {
    schema: { type: 'string' },
    default: 'terraform',
    scope: 'machine',
    description:
      'The terraform or tofu executable the "terraform" drift source runs (trusted workspaces only). A user setting: a workspace cannot choose the program.',
  },
  'drift.kubernetesContext': {
    schema: { type: 'string' },
    default: '',
    scope: 'window',
    description:
      'The kubeconfig context the "kubernetes" drift source uses; empty uses the current context (kubectl config current-context). Plumbline: Choose Kubernetes Context sets it.',
  },
  'drift.timeoutSeconds': {
    schema: { type: 'number', minimum: 5, maximum: 3600 },
    default: 120,
    scope: 'window',
    description: 'Time limit for one drift check of one root module.',
  },
  'drift.autoRefreshMinutes': {
    schema: { type: 'number', minimum: 0 },
    default: 0,
    scope: 'window',
    description: 'Refresh the drift panel every N minutes; 0 refreshes only when asked.',
  },
  'drift.diagnostics': {
    schema: { type: 'string', enum: ['off', 'information', 'warning'] },
    default: 'information',
    scope: 'window',
    description: 'Diagnostic on the declaration of each drifted resource: off, information or warning.',
  },
  'trace.server': {
    schema: { type: 'string', enum: ['off', 'messages', 'verbose'] },
    default: 'off',
    scope: 'window',
    description: 'Log the LSP traffic between VS Code and the Plumbline server (Output → Plumbline).',
  },
} as const satisfies Readonly<Record<string, SettingDeclaration>>;

export const SETTINGS_SECTION = 'plumbline';

/** The `plumbline` section as `workspace/configuration` returns it (dotted keys become nested objects). */
export interface PlumblineSettings {
  readonly enable: boolean;
  readonly severityOverrides: Readonly<Record<string, Severity>>;
  readonly reportUnknown: boolean;
  readonly codeLens: { readonly enable: boolean };
  readonly trace: { readonly server: 'off' | 'messages' | 'verbose' };
  readonly drift: DriftSettings;
}

export interface DriftSettings {
  readonly sources: readonly ('state' | 'terraform' | 'hcp' | 'kubernetes' | 'argocd')[];
  readonly terraformPath: string;
  readonly kubernetesContext: string;
  readonly timeoutSeconds: number;
  readonly autoRefreshMinutes: number;
  readonly diagnostics: 'off' | 'information' | 'warning';
}

export const DEFAULT_SETTINGS: PlumblineSettings = {
  enable: SETTINGS.enable.default,
  severityOverrides: SETTINGS.severityOverrides.default,
  reportUnknown: SETTINGS.reportUnknown.default,
  codeLens: { enable: SETTINGS['codeLens.enable'].default },
  trace: { server: SETTINGS['trace.server'].default },
  drift: {
    sources: SETTINGS['drift.sources'].default,
    terraformPath: SETTINGS['drift.terraformPath'].default,
    kubernetesContext: SETTINGS['drift.kubernetesContext'].default,
    timeoutSeconds: SETTINGS['drift.timeoutSeconds'].default,
    autoRefreshMinutes: SETTINGS['drift.autoRefreshMinutes'].default,
    diagnostics: SETTINGS['drift.diagnostics'].default,
  },
};

/**
 * Settings as the client sent them (any editor, any shape), checked at the
 * boundary: a value of the wrong type falls back to its default, and a
 * severity override that is not a severity is dropped.
 */
export function readSettings(raw: unknown): PlumblineSettings {
  const v = isObject(raw) ? raw : {};
  const overrides = isObject(v.severityOverrides) ? v.severityOverrides : {};
  const trace = isObject(v.trace) ? v.trace.server : undefined;
  return {
    enable: typeof v.enable === 'boolean' ? v.enable : DEFAULT_SETTINGS.enable,
    severityOverrides: Object.fromEntries(
      Object.entries(overrides).filter((e): e is [string, Severity] => (SEVERITIES as readonly unknown[]).includes(e[1])),
    ),
    reportUnknown: typeof v.reportUnknown === 'boolean' ? v.reportUnknown : DEFAULT_SETTINGS.reportUnknown,
    codeLens: { enable: isObject(v.codeLens) && typeof v.codeLens.enable === 'boolean' ? v.codeLens.enable : DEFAULT_SETTINGS.codeLens.enable },
    trace: { server: trace === 'messages' || trace === 'verbose' ? trace : 'off' },
    drift: readDrift(isObject(v.drift) ? v.drift : {}),
  };
}

function readDrift(d: Record<string, unknown>): DriftSettings {
  const def = DEFAULT_SETTINGS.drift;
  const kinds = ['state', 'terraform', 'hcp', 'kubernetes', 'argocd'] as const;
  const sources = Array.isArray(d.sources) ? kinds.filter((k) => (d.sources as unknown[]).includes(k)) : def.sources;
  const num = (x: unknown, min: number, max: number, fallback: number) =>
    typeof x === 'number' && Number.isFinite(x) ? Math.min(max, Math.max(min, x)) : fallback;
  return {
    sources,
    terraformPath: typeof d.terraformPath === 'string' && d.terraformPath.trim() ? d.terraformPath.trim() : def.terraformPath,
    kubernetesContext: typeof d.kubernetesContext === 'string' ? d.kubernetesContext.trim() : def.kubernetesContext,
    timeoutSeconds: num(d.timeoutSeconds, 5, 3600, def.timeoutSeconds),
    autoRefreshMinutes: num(d.autoRefreshMinutes, 0, 24 * 60, def.autoRefreshMinutes),
    diagnostics: d.diagnostics === 'off' || d.diagnostics === 'warning' || d.diagnostics === 'information' ? d.diagnostics : def.diagnostics,
  };
}

/**
 * The settings as a config layer under every .plumbline.yaml (the shape of
 * LanguageService.setUserSettings); undefined when they change nothing.
 */
export function settingsLayer(s: PlumblineSettings): ConfigData | undefined {
  const rules = Object.fromEntries(Object.entries(s.severityOverrides).map(([id, severity]) => [id, { severity }]));
  const layer: ConfigData = {
    ...(Object.keys(rules).length ? { rules } : {}),
    // Only `true` is passed: false is every rule's default, and leaving it out keeps the params cache small.
    ...(s.reportUnknown ? { report_unknown: true } : {}),
  };
  return Object.keys(layer).length ? layer : undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
