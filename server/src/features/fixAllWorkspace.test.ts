import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { applyEdits } from '../fixes/text';
import { LanguageService, toUri } from '../service/languageService';
import { fixAllWorkspace } from './fixAllWorkspace';

describe('fix all in the workspace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'plumbline-fixall-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('returns one confirmed edit per fixable file, at the version of open documents', async () => {
    mkdirSync(path.join(dir, 'infra'));
    const tf = 'resource "aws_ecr_repository" "models" {\n  name                 = "models"\n  image_tag_mutability = "MUTABLE"\n}\n';
    writeFileSync(path.join(dir, 'infra', 'registry.tf'), tf);
    writeFileSync(path.join(dir, 'clean.tf'), 'variable "x" {}\n');
    const service = await LanguageService.create({ roots: [dir] });
    const k8s = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      securityContext:\n        allowPrivilegeEscalation: true\n';
    const podUri = toUri(path.join(dir, 'pod.yaml'));
    service.openDocument(podUri, k8s, 7); // unsaved: only in the editor

    const result = fixAllWorkspace(service, [dir]);
    const edit = result.edit as WorkspaceEdit;
    const changes = edit.documentChanges as TextDocumentEdit[];
    assert.deepEqual(changes.map((c) => [path.relative(dir, new URL(c.textDocument.uri).pathname), c.textDocument.version]).sort(), [
      ['infra/registry.tf', null],
      ['pod.yaml', 7],
    ]);
    assert.equal(result.files, 2);
    assert.ok(result.fixes >= 2);
    assert.equal(Object.values(edit.changeAnnotations ?? {})[0]?.needsConfirmation, true);
    const registry = changes.find((c) => c.textDocument.uri.endsWith('registry.tf'))!;
    assert.match(applyEdits(tf, registry.edits as { range: never; newText: string }[]), /image_tag_mutability = "IMMUTABLE"/);
  });
});
