import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { PRESET_NAMES } from '../config/presets';
import type { Finding } from '../engine/finding';
import { CODE_ACTION_APPLIED_COMMAND, PRESET_SUMMARIES } from '../protocol';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';
import { analyzeWorkspace } from './analyzeWorkspace';
import { codeActions, FIX_ALL_KIND } from './codeActions';
import { toDiagnostic } from './diagnostics';

const ECR = 'resource "aws_ecr_repository" "models" {\n  name                 = "models"\n  image_tag_mutability = "MUTABLE"\n}\n';

describe('analyse workspace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-analyze-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('publishes the findings of every governed file under the roots, with counts and progress', async () => {
    mkdirSync(path.join(dir, 'infra'));
    mkdirSync(path.join(dir, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(dir, 'infra', 'registry.tf'), ECR);
    writeFileSync(path.join(dir, 'infra', 'vars.tf'), 'variable "x" {}\n');
    writeFileSync(path.join(dir, 'node_modules', 'x', 'skipped.tf'), ECR);
    writeFileSync(path.join(dir, 'notes.txt'), 'not analysed\n');
    const service = await LanguageService.create({ roots: [dir] });
    const podUri = toUri(path.join(dir, 'pod.yaml'));
    service.openDocument(podUri, 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: nginx\n', 3); // unsaved

    const published = new Map<string, readonly Finding[]>();
    const progress: [number, number][] = [];
    const result = await analyzeWorkspace(service, [dir], {
      publish: (uri, findings) => published.set(uri, findings),
      progress: (done, total) => progress.push([done, total]),
    });

    const rel = (uri: string) => path.relative(dir, new URL(uri).pathname);
    assert.deepEqual([...published.keys()].map(rel).sort(), ['infra/registry.tf', 'infra/vars.tf', 'pod.yaml']);
    assert.equal(result.files, 3);
    assert.ok(published.get(toUri(path.join(dir, 'infra', 'registry.tf')))!.some((f) => f.ruleId === 'tf-aws-ecr-tag-immutability'));
    assert.ok(published.get(podUri)!.length > 0, 'the unsaved open document is analysed from its buffer');
    const all = [...published.values()].flat();
    assert.equal(result.findings, all.length);
    assert.equal(result.filesWithFindings, [...published.values()].filter((f) => f.length > 0).length);
    assert.equal(Object.values(result.bySeverity).reduce((a, b) => a + b, 0), all.length);
    assert.deepEqual(progress[0], [0, 3]);
    assert.deepEqual(progress.at(-1), [3, 3]);
  });

  it('stops between batches when cancelled', async () => {
    const service = await LanguageService.create({ roots: [dir] });
    const result = await analyzeWorkspace(service, [dir], { publish: () => undefined, cancelled: () => true });
    assert.equal(result.files, 0);
  });
});

describe('code actions tell the client what was applied', () => {
  it('carry plumbline.codeActionApplied (fix, suppression, fix-all) only when asked for', async () => {
    const uri = toUri('/w/registry.tf');
    const service = await LanguageService.create({ fs: memoryFileSystem({ '/w/registry.tf': ECR }), roots: ['/w'] });
    service.openDocument(uri, ECR, 1);
    const diagnostics: Diagnostic[] = service.analyze(uri).findings.map((f) => toDiagnostic(f, 'file:///docs/', 1));
    const ecr = diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability');

    const plain = codeActions(service, uri, 1, ecr, ['quickfix', FIX_ALL_KIND]);
    assert.ok(plain.length >= 3);
    assert.ok(plain.every((a) => a.command === undefined), 'no command unless the client registers it');

    const notified = codeActions(service, uri, 1, ecr, ['quickfix', FIX_ALL_KIND], { notifyApplied: true });
    const kinds = notified.map((a) => [a.title.startsWith('Suppress ') ? 'suppress' : a.kind === FIX_ALL_KIND ? 'fix-all' : 'fix', a.command?.command, a.command?.arguments?.[0]]);
    assert.ok(kinds.some(([k, c, arg]) => k === 'fix' && c === CODE_ACTION_APPLIED_COMMAND && arg === 'fix'));
    assert.ok(kinds.some(([k, c, arg]) => k === 'suppress' && c === CODE_ACTION_APPLIED_COMMAND && arg === 'suppression'));
    assert.ok(kinds.some(([k, c, arg]) => k === 'fix-all' && c === CODE_ACTION_APPLIED_COMMAND && arg === 'fix'));
    assert.deepEqual(
      notified.map((a) => ({ ...a, command: undefined })),
      plain.map((a) => ({ ...a, command: undefined })),
      'the same actions otherwise',
    );
  });
});

describe('preset summaries', () => {
  it('name every preset, in the same order', () => {
    assert.deepEqual(PRESET_SUMMARIES.map((p) => p.name), PRESET_NAMES);
  });
});
