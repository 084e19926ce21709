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
  /** `resource`: may differ per workspace folder; `window`: one value per window. */
  readonly scope: 'resource' | 'window';
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
}

export const DEFAULT_SETTINGS: PlumblineSettings = {
  enable: SETTINGS.enable.default,
  severityOverrides: SETTINGS.severityOverrides.default,
  reportUnknown: SETTINGS.reportUnknown.default,
  codeLens: { enable: SETTINGS['codeLens.enable'].default },
  trace: { server: SETTINGS['trace.server'].default },
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
