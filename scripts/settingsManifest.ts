// package.json's `contributes.configuration`, generated from server/src/settings.ts.
import { SETTINGS, SETTINGS_SECTION, type SettingDeclaration } from '../server/src/settings';

/** The `contributes.configuration` object VS Code reads, in the table's order. */
export function contributedConfiguration(): Record<string, unknown> {
  const entry = (s: SettingDeclaration) => ({ ...s.schema, default: s.default, scope: s.scope, description: s.description });
  return {
    title: 'Plumbline',
    properties: Object.fromEntries(Object.entries(SETTINGS).map(([key, s]) => [`${SETTINGS_SECTION}.${key}`, entry(s)])),
  };
}

/** package.json's text with its settings replaced by the generated ones (formatted as npm writes it). */
export function withConfiguration(packageJson: string): string {
  const pkg = JSON.parse(packageJson) as { contributes?: Record<string, unknown> };
  pkg.contributes = { ...pkg.contributes, configuration: contributedConfiguration() };
  return JSON.stringify(pkg, null, 2) + '\n';
}
