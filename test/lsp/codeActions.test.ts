import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { CodeAction, CodeLens, Diagnostic, Hover, TextDocumentEdit, TextEdit } from 'vscode-languageserver-protocol';
import { applyEdits } from '../../server/src/fixes/text';
import { LspClient } from './client';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const uriOf = (rel: string) => pathToFileURL(path.join(EXAMPLES, rel)).toString();
const textOf = (rel: string) => readFileSync(path.join(EXAMPLES, rel), 'utf8');

describe('quick fixes and hovers over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(EXAMPLES);
  });
  after(async () => {
    await client.stop();
  });

  const actionsFor = (uri: string, diagnostics: Diagnostic[], only?: string[]) =>
    client.request<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri },
      range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics, ...(only ? { only } : {}) },
    });

  it('offers a verified fix tied to the document version, and applying it clears the diagnostic', async () => {
    const uri = uriOf('terraform/registry.tf');
    const text = textOf('terraform/registry.tf');
    const diagnostics = await client.open(uri, text);
    const target = diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability');
    assert.equal(target.length, 1);
    const actions = await actionsFor(uri, target);
    const fix = actions.find((a) => a.kind === 'quickfix' && a.title.includes('IMMUTABLE'));
    assert.ok(fix, JSON.stringify(actions.map((a) => a.title)));
    assert.equal(fix.isPreferred, true);
    const change = fix.edit!.documentChanges![0] as TextDocumentEdit;
    assert.deepEqual(change.textDocument, { uri, version: 1 });
    const version = await client.change(uri, [{ text: applyEdits(text, change.edits as TextEdit[]) }]);
    const after = await client.diagnostics(uri, version);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability'), []);
  });

  it('offers nothing for a diagnostic of an older version', async () => {
    const uri = uriOf('kubernetes/model-serving.yaml');
    const text = textOf('kubernetes/model-serving.yaml');
    const diagnostics = await client.open(uri, text);
    const version = await client.change(uri, [{ text: `${text}\n` }]);
    await client.diagnostics(uri, version);
    const stale = diagnostics.filter((d) => d.code === 'k8s-automount-sa-token');
    assert.equal(stale.length, 1);
    assert.deepEqual(await actionsFor(uri, stale), []);
  });

  it('fixes all safe problems of a file in one edit', async () => {
    const uri = uriOf('kubernetes/batch-scoring.yaml');
    const text = textOf('kubernetes/batch-scoring.yaml').replace('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true');
    const before = await client.open(uri, text);
    assert.ok(before.some((d) => d.code === 'k8s-allow-privilege-escalation'), before.map((d) => d.code).join());
    const actions = await actionsFor(uri, [], ['source.fixAll']);
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.plumbline');
    const change = actions[0]!.edit!.documentChanges![0] as TextDocumentEdit;
    const version = await client.change(uri, [{ text: applyEdits(text, change.edits as TextEdit[]) }]);
    const after = await client.diagnostics(uri, version);
    assert.ok(!after.diagnostics.some((d) => d.code === 'k8s-allow-privilege-escalation'));
    assert.ok(!after.diagnostics.some((d) => d.code === 'plumbline-parse-error'));
  });

  it('hovers over a finding with the rule, why it matters and its mappings', async () => {
    const uri = uriOf('terraform/registry.tf');
    const text = textOf('terraform/registry.tf');
    const version = await client.change(uri, [{ text }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    const d = diagnostics.find((x) => x.code === 'tf-aws-ecr-tag-immutability')!;
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: d.range.start });
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /ECR repositories keep image tags immutable/);
    assert.match(value, /## |NIST SP 800-53: CM-2/);
    assert.match(value, /tf-aws-ecr-tag-immutability\.md/);
    const nothing = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } });
    assert.equal(nothing, null);
  });

  it('offers "Suppress … until", and the inserted directive hides the finding and hovers with its expiry', async () => {
    const uri = uriOf('terraform/registry.tf');
    const text = textOf('terraform/registry.tf');
    const version = await client.change(uri, [{ text }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    const target = diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability');
    const suppress = (await actionsFor(uri, target)).find((a) => a.title.startsWith('Suppress tf-aws-ecr-tag-immutability until'));
    assert.ok(suppress, 'a suppression action is offered');
    const change = suppress.edit!.documentChanges![0] as TextDocumentEdit;
    const suppressed = applyEdits(text, change.edits as TextEdit[]);
    const next = await client.change(uri, [{ text: suppressed }]);
    const after = await client.diagnostics(uri, next);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability' || d.code?.toString().startsWith('plumbline-suppression')), []);
    const line = suppressed.split('\n').findIndex((l) => l.includes('plumbline:ignore'));
    const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: { line, character: 8 } });
    const value = (hover?.contents as { value: string }).value;
    assert.match(value, /Plumbline suppression\*\* — active/);
    assert.match(value, /(89|90) days left/);
  });

  it('puts a code lens with the counts by severity above each resource', async () => {
    const uri = uriOf('terraform/registry.tf');
    const text = textOf('terraform/registry.tf');
    const version = await client.change(uri, [{ text }]);
    await client.diagnostics(uri, version);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles = lenses.map((l) => `${l.range.start.line + 1}: ${l.command?.title}`);
    assert.ok(titles.includes('10: Plumbline: 1 high · 1 medium'), titles.join(' | '));
    assert.ok(titles.some((t) => t.startsWith('1: Plumbline: compliant (')), titles.join(' | '));
    assert.equal(lenses[0]!.command!.command, 'plumbline.showFindings');
  });
});
