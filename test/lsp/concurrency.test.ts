import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { DidCloseTextDocumentNotification, type PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { ANALYZE_WORKSPACE_REQUEST } from '../../server/src/protocol';
import { LanguageService } from '../../server/src/service/languageService';
import { kubernetesDocuments, terraformOfLines } from '../bench/generate';
import { LspClient } from './client';

// Edits faster than the server analyses, files opened and closed while a
// workspace scan runs, and a config changed while analyses are in flight:
// once the last edit has settled, what the editor shows for every open file
// is exactly the analysis of its final text and config, for its final
// version. Stale diagnostics (an older version's, or the old config's)
// would show up here.

const ECR = (mutability: string, extra = '') => `resource "aws_ecr_repository" "images" {\n  name                 = "images"\n  image_tag_mutability = "${mutability}"${extra}\n}\n`;

let root: string;
let client: LspClient;
const publishes: PublishDiagnosticsParams[] = [];

const uriOf = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
const brief = (p: PublishDiagnosticsParams | undefined) => (p?.diagnostics ?? []).map((d) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character} ${d.message}`).sort();

/** What the engine reports on these texts from scratch (the same files, read by a fresh service). */
async function expected(files: Record<string, string>, rel: string): Promise<string[]> {
  const service = await LanguageService.create({ roots: [root] });
  for (const [f, text] of Object.entries(files)) service.openDocument(uriOf(f), text, 1);
  return service
    .analyze(uriOf(rel))
    .findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character} ${f.message}`)
    .sort();
}

/** Waits until nothing has been published for `quietMs`. */
async function settle(quietMs = 600): Promise<void> {
  for (;;) {
    const count = publishes.length;
    await new Promise((r) => setTimeout(r, quietMs));
    if (publishes.length === count) return;
  }
}

const last = (uri: string) => publishes.filter((p) => p.uri === uri).at(-1);

before(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'plumbline-concurrency-'));
  mkdirSync(path.join(root, 'infra'));
  writeFileSync(path.join(root, 'infra', 'main.tf'), ECR('MUTABLE'));
  writeFileSync(path.join(root, '.plumbline.yaml'), 'rules: {}\n');
  // Enough files that the scan is still running while the test edits.
  for (let m = 0; m < 40; m++) {
    mkdirSync(path.join(root, 'bulk', `m${m}`), { recursive: true });
    writeFileSync(path.join(root, 'bulk', `m${m}`, 'main.tf'), terraformOfLines(120));
    writeFileSync(path.join(root, 'bulk', `m${m}`, 'app.yaml'), kubernetesDocuments(6));
  }
  client = await LspClient.start(root);
  client.onPublish((p) => publishes.push(p));
});

after(async () => {
  await client?.stop();
  rmSync(root, { recursive: true, force: true });
});

describe('concurrency: no stale diagnostics once edits settle', () => {
  it('100 edits at 100 per second: the last publish is the final version, with the final text\'s findings', async () => {
    const uri = uriOf('infra/main.tf');
    await client.open(uri, ECR('MUTABLE'), 'terraform');
    let text = ECR('MUTABLE');
    let version = 1;
    for (let i = 0; i < 100; i++) {
      text = ECR(i % 3 === 0 ? 'IMMUTABLE' : 'MUTABLE', '\n' + '  # note\n'.repeat(i % 4));
      version = await client.change(uri, [{ text }]);
      await new Promise((r) => setTimeout(r, 10));
    }
    await client.diagnostics(uri, version);
    await settle();
    const final = last(uri);
    assert.equal(final?.version, version, 'the last publish is for the last version');
    assert.deepEqual(brief(final), await expected({ 'infra/main.tf': text, '.plumbline.yaml': 'rules: {}\n' }, 'infra/main.tf'));
  });

  it('files opened, edited and closed while the workspace scan runs: each open file ends with its own final findings', async () => {
    const scan = client.request(ANALYZE_WORKSPACE_REQUEST, {});
    const open = ['bulk/m3/main.tf', 'bulk/m7/app.yaml', 'bulk/m11/main.tf', 'bulk/m20/app.yaml'];
    const finalTexts: Record<string, string> = {};
    for (const [i, rel] of open.entries()) {
      const uri = uriOf(rel);
      const base = rel.endsWith('.tf') ? terraformOfLines(120) : kubernetesDocuments(6);
      await client.open(uri, base, rel.endsWith('.tf') ? 'terraform' : 'yaml');
      finalTexts[rel] = rel.endsWith('.tf') ? base.replace(/"Enabled"/g, '"Suspended"') + ECR(i % 2 ? 'MUTABLE' : 'IMMUTABLE') : base.replace(/runAsNonRoot: true/g, 'runAsNonRoot: false');
      await client.change(uri, [{ text: finalTexts[rel]! }]);
    }
    // Opened and closed again during the scan: the editor forgets it, so must the server's open set.
    const transient = uriOf('bulk/m30/main.tf');
    await client.open(transient, terraformOfLines(120) + ECR('MUTABLE'), 'terraform');
    await client.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: transient } });
    await scan;
    await settle();
    for (const rel of open) {
      const files = { [rel]: finalTexts[rel]!, '.plumbline.yaml': 'rules: {}\n' };
      const want = await expected(files, rel);
      assert.ok(want.length > 0, `${rel}: the final text has findings to compare`);
      assert.deepEqual(brief(last(uriOf(rel))), want, `${rel} shows the findings of its final text`);
    }
  });

  it('a config changed while analyses are in flight: the open file ends with the new config\'s findings', async () => {
    const uri = uriOf('infra/main.tf');
    const config = uriOf('.plumbline.yaml');
    await client.open(config, 'rules: {}\n', 'yaml');
    const text = ECR('MUTABLE');
    let version = await client.change(uri, [{ text }]);
    const disabled = 'rules:\n  tf-aws-ecr-tag-immutability:\n    enabled: false\n';
    await client.change(config, [{ text: disabled }]);
    version = await client.change(uri, [{ text: text + '\n' }]);
    await client.diagnostics(uri, version);
    await settle();
    const shown = brief(last(uri));
    assert.ok(!shown.some((d) => d.startsWith('tf-aws-ecr-tag-immutability')), shown.join('\n'));
    assert.deepEqual(shown, await expected({ 'infra/main.tf': text + '\n', '.plumbline.yaml': disabled }, 'infra/main.tf'));
  });
});
