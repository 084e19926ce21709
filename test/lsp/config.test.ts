// The config as a live document over LSP: an unsaved edit of .plumbline.yaml
// re-analyses the open files under it (and the time that takes on examples/ is
// printed), a broken config keeps the last valid one in force and says where it
// is broken, and completion and hover work inside it.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type CompletionItem, type CompletionList, type Diagnostic, type Hover } from 'vscode-languageserver-protocol';
import { LspClient } from './client';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const uriOf = (rel: string) => pathToFileURL(path.join(EXAMPLES, rel)).toString();
const CONFIG = uriOf('.plumbline.yaml');
const REGISTRY = uriOf('terraform/registry.tf');
const SERVING = uriOf('kubernetes/model-serving.yaml');
const RULE = 'tf-aws-ecr-tag-immutability';

/** examples/.plumbline.yaml as on disk (the buffer is never saved), or an empty config where there is none. */
const onDisk = existsSync(path.join(EXAMPLES, '.plumbline.yaml')) ? readFileSync(path.join(EXAMPLES, '.plumbline.yaml'), 'utf8') : '';

/** The config with `severity` set for RULE (under the file's own `rules:` when it has one). */
function withSeverity(severity: string): string {
  const entry = `  ${RULE}:\n    severity: ${severity}\n`;
  return /^rules:[ \t]*\r?\n/m.test(onDisk) ? onDisk.replace(/^rules:[ \t]*\r?\n/m, (m) => m + entry) : `${onDisk.replace(/\s*$/, '\n')}rules:\n${entry}`;
}

const messageOf = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
const severityOf = (ds: Diagnostic[]) => ds.find((d) => d.code === RULE)?.severity;

describe('LSP: .plumbline.yaml is live', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(EXAMPLES);
    await client.open(CONFIG, onDisk, 'yaml');
    await client.open(REGISTRY, readFileSync(path.join(EXAMPLES, 'terraform/registry.tf'), 'utf8'), 'terraform');
    await client.open(SERVING, readFileSync(path.join(EXAMPLES, 'kubernetes/model-serving.yaml'), 'utf8'), 'yaml');
  });
  after(async () => {
    await client?.stop();
  });

  it('an unsaved severity change reaches the open files under the config (latency printed)', async () => {
    const initial = severityOf(client.published.get(REGISTRY)!.diagnostics);
    assert.equal(initial, DiagnosticSeverity.Error, 'high by default');
    const timings: number[] = [];
    // Alternate the severity, timing didChange → the affected file's publish.
    for (let i = 0; i < 20; i++) {
      const [severity, expected] = i % 2 === 0 ? ['low', DiagnosticSeverity.Information] : ['medium', DiagnosticSeverity.Warning];
      const published = client.diagnosticsMatching(REGISTRY, (ds) => severityOf(ds) === expected);
      const started = process.hrtime.bigint();
      await client.change(CONFIG, [{ text: withSeverity(severity) }]);
      await published;
      timings.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    // The same measure for an edit of the Terraform file itself, for comparison.
    const registry = readFileSync(path.join(EXAMPLES, 'terraform/registry.tf'), 'utf8');
    const edits: number[] = [];
    for (let i = 0; i < 20; i++) {
      const started = process.hrtime.bigint();
      const version = await client.change(REGISTRY, [{ text: i % 2 === 0 ? `${registry}\n` : registry }]);
      await client.diagnostics(REGISTRY, version);
      edits.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
    const stats = (ms: number[]) => {
      const sorted = [...ms].sort((a, b) => a - b);
      return { median: sorted[Math.floor(sorted.length / 2)]!, max: sorted[sorted.length - 1]! };
    };
    const config = stats(timings);
    const edit = stats(edits);
    console.log(
      `re-analysis after a .plumbline.yaml edit on examples/: median ${config.median.toFixed(1)} ms, first ${timings[0]!.toFixed(1)} ms, max ${config.max.toFixed(1)} ms (${timings.length} edits); ` +
        `after an edit of terraform/registry.tf: median ${edit.median.toFixed(1)} ms, max ${edit.max.toFixed(1)} ms`,
    );
    assert.ok(config.median < 500, `median ${config.median} ms`);
  });

  it('a broken config keeps the last valid one in force, with an error at the spot', async () => {
    const valid = withSeverity('low');
    await client.diagnostics(CONFIG, await client.change(CONFIG, [{ text: valid }]));
    await client.diagnosticsMatching(REGISTRY, (ds) => severityOf(ds) === DiagnosticSeverity.Information);
    // A second colon on the line: YAML rejects the nested mapping at `low`.
    const broken = valid.replace('    severity: low\n', '    severity: low: high\n');
    const line = broken.split('\n').indexOf('    severity: low: high');
    const version = await client.change(CONFIG, [{ text: broken }]);
    const errors = (await client.diagnostics(CONFIG, version)).diagnostics.filter((d) => d.code === 'plumbline-config');
    assert.deepEqual(errors.map((d) => d.range), [{ start: { line, character: 14 }, end: { line, character: 15 } }]);
    assert.match(messageOf(errors[0]!), /YAML syntax error/);
    assert.match(messageOf(errors[0]!), /last valid version of this file stays in force/);
    assert.equal(errors[0]!.severity, DiagnosticSeverity.Error);
    // The open files keep their findings, with the last valid config's severity.
    const registry = await client.diagnosticsMatching(REGISTRY, (ds) => ds.some((d) => d.code === RULE));
    assert.equal(severityOf(registry.diagnostics), DiagnosticSeverity.Information);
    assert.ok((client.published.get(SERVING)?.diagnostics.length ?? 0) > 0, 'the Kubernetes file keeps its findings');
    await client.change(CONFIG, [{ text: onDisk }]);
    await client.diagnosticsMatching(REGISTRY, (ds) => severityOf(ds) === DiagnosticSeverity.Error);
  });

  it('an unknown rule id in the config is reported on its key', async () => {
    const text = `${onDisk.replace(/\s*$/, '\n')}rules:\n  tf-no-such-rule: {}\n`.replace(/^\n/, '');
    const version = await client.change(CONFIG, [{ text }]);
    const diagnostics = (await client.diagnostics(CONFIG, version)).diagnostics.filter((d) => /tf-no-such-rule/.test(messageOf(d)));
    const line = text.split('\n').indexOf('  tf-no-such-rule: {}');
    assert.deepEqual(diagnostics.map((d) => d.range), [{ start: { line, character: 2 }, end: { line, character: 17 } }]);
    await client.change(CONFIG, [{ text: onDisk }]);
  });

  it('completes rule ids and hovers them inside the config', async () => {
    const text = 'rules:\n  tf-aws-ecr-\n';
    const version = await client.change(CONFIG, [{ text }]);
    await client.diagnostics(CONFIG, version);
    const result = await client.request<CompletionItem[] | CompletionList | null>('textDocument/completion', {
      textDocument: { uri: CONFIG },
      position: { line: 1, character: 13 },
    });
    const items = Array.isArray(result) ? result : (result?.items ?? []);
    assert.ok(items.some((i) => i.label === RULE), `offered: ${items.slice(0, 5).map((i) => i.label).join(', ')}…`);

    const hoverText = `rules:\n  ${RULE}:\n    severity: low\n`;
    await client.diagnostics(CONFIG, await client.change(CONFIG, [{ text: hoverText }]));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri: CONFIG }, position: { line: 1, character: 5 } });
    const value = hover && typeof hover.contents === 'object' && 'value' in hover.contents ? hover.contents.value : '';
    assert.match(value, new RegExp(`\`${RULE}\``));
    assert.match(value, /Default severity: high/);
    await client.change(CONFIG, [{ text: onDisk }]);
  });
});
