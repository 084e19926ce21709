// Diagnostics appear, with the expected codes and exact ranges, for each kind of
// file Plumbline analyses, when the file is opened in the editor.
import assert from 'node:assert/strict';
import { after, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, open, revertAndCloseAll, waitForBriefs } from '../helpers';

const { Error: E, Warning: W } = vscode.DiagnosticSeverity;

/**
 * Per file: `code@line:col-line:col` (1-based, end exclusive) and severity, in document
 * order, of the rules named here (other rules of the catalog report on these files too;
 * see Rules in ../helpers).
 */
const EXPECTED: Record<string, [string, vscode.DiagnosticSeverity][]> = {
  // The feature store's versioning is in versioning.tf, which is never opened:
  // the module is read as a whole, so only the logs bucket is reported.
  'infra/main.tf': [
    ['tf-aws-s3-versioning@6:1-6:32', W],
    ['tf-aws-ecr-tag-immutability@12:26-12:35', E],
    ['tf-aws-imdsv2@20:19-20:29', E],
  ],
  'k8s/scorer.yaml': [
    ['k8s-run-as-non-root@13:5-13:9', E],
    ['k8s-image-digest@16:18-16:50', E],
    ['k8s-resource-limits@21:23-21:26', W],
  ],
  '.github/workflows/ci.yml': [
    ['gha-permissions-least-privilege@3:1-3:3', W],
    ['gha-action-pinned-sha@9:32-9:34', E],
  ],
  '.gitlab-ci.yml': [
    ['gitlab-include-pinned@2:13-2:51', E],
    ['gitlab-image-digest@5:10-5:41', W],
  ],
};

describe('diagnostics in the editor', () => {
  after(revertAndCloseAll);

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${expected.map(([b]) => b.split('@')[0]).join(', ')}`, async () => {
      const doc = await open(file);
      const rules = [...new Set(expected.map(([b]) => b.split('@')[0]!))];
      const diagnostics = await waitForBriefs(
        doc.uri,
        expected.map(([b]) => b),
        rules,
      );
      diagnostics.forEach((d, i) => {
        const id = codeOf(d);
        assert.equal(d.severity, expected[i]![1], `${id}: severity`);
        assert.equal(d.source, 'plumbline');
        const target = typeof d.code === 'object' ? d.code.target : undefined;
        assert.ok(target, `${id}: the code links to the rule's page`);
        assert.ok(target.path.endsWith(`/docs/rules/${id}.md`), `${id}: links to ${target.toString()}`);
        assert.ok(d.message.length > 40, `${id}: the message says what is wrong and what good looks like`);
      });
    });
  }
});
