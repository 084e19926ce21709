import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DEFAULT_SETTINGS, readSettings, settingsLayer } from '../server/src/settings';
import { configSchema } from '../server/src/config/schema';
import { builtinRules } from '../server/src/rules';
import { contributedConfiguration, withReadmeConfigKeys, withReadmeSettings } from '../scripts/settingsManifest';

const root = path.resolve(__dirname, '..');

describe('settings', () => {
  it("package.json's contributes.configuration is generated from server/src/settings.ts (run npm run docs)", () => {
    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { configuration: unknown } };
    assert.deepEqual(pkg.contributes.configuration, contributedConfiguration());
  });

  it("the README's settings table is generated from the same declaration (run npm run docs)", () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.match(readme, /\| `plumbline\.drift\.terraformPath` \| string \| `"terraform"` \| user settings only \|/);
    assert.equal(readme, withReadmeSettings(readme), 'README settings table is stale: run npm run docs');
    assert.equal(readme, withReadmeConfigKeys(readme, configSchema(builtinRules)), 'README config-key table is stale: run npm run docs');
    assert.match(readme, /\| `allowed_regions` \| object \|/);
  });

  it('analysis settings may differ per folder; drift and trace settings are per window, and the program drift runs is a user setting', () => {
    const properties = contributedConfiguration().properties as Record<string, { scope: string }>;
    assert.deepEqual(
      Object.entries(properties).map(([k, v]) => `${k}:${v.scope}`),
      [
        'plumbline.enable:resource',
        'plumbline.severityOverrides:resource',
        'plumbline.reportUnknown:resource',
        'plumbline.codeLens.enable:resource',
        'plumbline.drift.sources:window',
        'plumbline.drift.terraformPath:machine',
        'plumbline.drift.kubernetesContext:window',
        'plumbline.drift.timeoutSeconds:window',
        'plumbline.drift.autoRefreshMinutes:window',
        'plumbline.drift.diagnostics:window',
        'plumbline.trace.server:window',
      ],
    );
  });

  it('reads what an editor sends, falling back to defaults for wrong types and dropping bad severities', () => {
    assert.deepEqual(readSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(readSettings({ enable: 'yes', severityOverrides: { 'tf-required-tags': 'low', 'k8s-probes': 'urgent' }, reportUnknown: true, codeLens: { enable: false }, trace: { server: 'verbose' } }), {
      enable: true,
      severityOverrides: { 'tf-required-tags': 'low' },
      reportUnknown: true,
      codeLens: { enable: false },
      trace: { server: 'verbose' },
      drift: DEFAULT_SETTINGS.drift,
    });
  });

  it('becomes the config layer under every .plumbline.yaml, and nothing when it changes nothing', () => {
    assert.equal(settingsLayer(DEFAULT_SETTINGS), undefined);
    assert.deepEqual(settingsLayer({ ...DEFAULT_SETTINGS, severityOverrides: { 'k8s-probes': 'info' }, reportUnknown: true }), {
      rules: { 'k8s-probes': { severity: 'info' } },
      report_unknown: true,
    });
  });
});

describe('drift settings', () => {
  it('keep known sources only, clamp numbers, and fall back for wrong types', () => {
    const d = readSettings({ drift: { sources: ['hcp', 'kubectl', 'state', 3], terraformPath: '  /opt/tofu/bin/tofu ', timeoutSeconds: 1, autoRefreshMinutes: -5, diagnostics: 'error' } }).drift;
    assert.deepEqual(d, { sources: ['state', 'hcp'], terraformPath: '/opt/tofu/bin/tofu', kubernetesContext: '', timeoutSeconds: 5, autoRefreshMinutes: 0, diagnostics: 'information' });
    assert.deepEqual(readSettings({ drift: { sources: 'state', terraformPath: '', timeoutSeconds: 'soon' } }).drift, DEFAULT_SETTINGS.drift);
    assert.deepEqual(readSettings({ drift: { sources: [] } }).drift.sources, []);
  });
});
