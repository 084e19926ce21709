import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { DRIFT_REFRESH_REQUEST, TRUST_CHANGED_NOTIFICATION, type DriftReport } from '../../server/src/protocol';
import { LspSession } from '../security/lspSession';

/**
 * Workspace trust over the real protocol: a workspace whose module calls
 * `source = "../outside"` (a folder beside the workspace, as a repository
 * could name `../../home/you/.ssh`). Untrusted, the server must not read it:
 * what the outside module decides (the tags a bucket gets, the value a
 * resource declares) stays unknown. Once trust is granted, without a restart,
 * it is read. A canary string in the outside module shows any read: it may
 * appear in nothing the server says until then.
 */

const CANARY = `plb-outside-canary-${process.pid}-${Date.now().toString(36)}`;

const MAIN_TF = `provider "aws" {
  region = "eu-west-1"
}

module "shared" {
  source = "../outside"
}

resource "aws_s3_bucket" "data" {
  bucket = "ml-data"
  tags   = module.shared.tags
}
`;

// Tags lacking cost-center, environment, data-classification: a tf-required-tags finding in the caller, if read.
const OUTSIDE_TF = `output "tags" {
  value = { owner = "platform" }
}

resource "aws_s3_bucket" "x" {
  bucket = "${CANARY}"
}
`;

const STATE = JSON.stringify({
  version: 4,
  terraform_version: '1.9.0',
  serial: 3,
  resources: [
    { module: 'module.shared', mode: 'managed', type: 'aws_s3_bucket', name: 'x', provider: 'provider["registry.terraform.io/hashicorp/aws"]', instances: [{ attributes: { bucket: 'renamed-by-hand' } }] },
  ],
});

/** The tags value `module.shared.tags` in MAIN_TF (0-based line 10, characters 11-29). */
const TAGS_RANGE = { start: { line: 10, character: 11 }, end: { line: 10, character: 29 } };

const requiredTags = (p: PublishDiagnosticsParams) => p.diagnostics.filter((d) => d.code === 'tf-required-tags');

describe('workspace trust: nothing outside the workspace folders is read until trusted', { timeout: 60_000 }, () => {
  let base: string;
  let ws: string;
  let outside: string;
  let session: LspSession;
  let mainUri: string;

  before(async () => {
    base = realpathSync(mkdtempSync(path.join(tmpdir(), 'plb-trust-')));
    ws = path.join(base, 'ws');
    outside = path.join(base, 'outside');
    mkdirSync(ws);
    mkdirSync(outside);
    writeFileSync(path.join(ws, 'main.tf'), MAIN_TF);
    writeFileSync(path.join(ws, 'terraform.tfstate'), STATE);
    writeFileSync(path.join(outside, 'main.tf'), OUTSIDE_TF);
    // A link inside the folder to the outside module: the same file by another name.
    symlinkSync(outside, path.join(ws, 'vendored'));
    session = await LspSession.start({ root: ws, trusted: false, settings: { drift: { sources: ['state'] } } });
    mainUri = await session.open(path.join(ws, 'main.tf'), MAIN_TF);
  });

  after(async () => {
    await session?.stop();
    rmSync(base, { recursive: true, force: true });
  });

  it('untrusted: the caller is analysed, but the outside module decides nothing', async () => {
    const published = await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === mainUri && p.version === 1);
    assert.ok(
      published.diagnostics.some((d) => d.code === 'tf-aws-s3-versioning'),
      `the workspace's own text is analysed: ${published.diagnostics.map((d) => d.code).join(', ')}`,
    );
    assert.deepEqual(requiredTags(published), [], 'the tags come from the unread module: unknown, no finding');
  });

  it('untrusted: drift maps the module to unknown, with the reason, and reads nothing there', async () => {
    const report = await session.request<DriftReport>(DRIFT_REFRESH_REQUEST, { source: 'state' });
    const stack = report.sources.find((s) => s.kind === 'state')?.stacks[0];
    const r = stack?.resources.find((x) => x.address === 'module.shared.aws_s3_bucket.x');
    assert.equal(r?.status, 'unknown', JSON.stringify(stack));
    assert.match(r?.message ?? '', /module\.shared/);
    assert.equal(r?.declaration, undefined);
  });

  it('untrusted: the log says which path was not read and why, once', async () => {
    const refused = session.logMessages().filter((m) => m.startsWith(`Restricted Mode: ${outside} is outside`));
    assert.equal(refused.length, 1, session.logMessages().join('\n'));
    assert.match(refused[0]!, /outside the workspace folders/);
    assert.match(refused[0]!, /Trust the workspace/);
    // The drift check's walk for root modules does not follow the link out either, and says so.
    const link = session.logMessages().filter((m) => m.includes(`${path.join(ws, 'vendored')} (a link to ${outside})`));
    assert.equal(link.length, 1, session.logMessages().join('\n'));
  });

  it('untrusted: the outside content appears in nothing the server sent (diagnostics, drift, logs, stderr)', () => {
    assert.equal(session.everything().includes(CANARY), false);
  });

  it('trust granted: the outside module is read at once, no restart', { timeout: 20_000 }, async () => {
    await session.notify(TRUST_CHANGED_NOTIFICATION, { trusted: true });
    const published = await session.waitFor<PublishDiagnosticsParams>('textDocument/publishDiagnostics', (p) => p.uri === mainUri && requiredTags(p).length > 0);
    const [finding] = requiredTags(published);
    assert.deepEqual(finding!.range, TAGS_RANGE);
    assert.match(typeof finding!.message === 'string' ? finding!.message : finding!.message.value, /missing required tags cost-center, environment, data-classification/);

    const report = await session.request<DriftReport>(DRIFT_REFRESH_REQUEST, { source: 'state' });
    const r = report.sources.find((s) => s.kind === 'state')?.stacks[0]?.resources.find((x) => x.address === 'module.shared.aws_s3_bucket.x');
    assert.equal(r?.status, 'drifted');
    assert.deepEqual(r?.changes, [{ path: 'bucket', declared: CANARY, live: 'renamed-by-hand' }]);
    assert.equal(r?.declaration?.uri, pathToUri(path.join(outside, 'main.tf')));
    // The canary shows that a read would have been seen by the check above.
    assert.equal(session.everything().includes(CANARY), true);
  });
});

function pathToUri(p: string): string {
  return `file://${p}`;
}
