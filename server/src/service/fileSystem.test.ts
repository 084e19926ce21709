import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { confinedFileSystem, memoryFileSystem, nodeFileSystem, type Confinement } from './fileSystem';
import { StateSource } from '../drift/sources/state';
import { LanguageService, toUri } from './languageService';

/**
 * A temp tree: `<tmp>/ws` is the workspace folder, `<tmp>/outside` a module
 * and a secret beside it, and links inside the folder that point out and in.
 */
function tree(): { base: string; ws: string; outside: string; cleanup: () => void } {
  const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'plb-confine-')));
  const ws = path.join(base, 'ws');
  const outside = path.join(base, 'outside');
  mkdirSync(path.join(ws, 'env'), { recursive: true });
  mkdirSync(outside);
  writeFileSync(path.join(ws, 'main.tf'), 'module "x" { source = "../outside" }\n');
  writeFileSync(path.join(ws, 'env', 'dev.tf'), '# dev\n');
  writeFileSync(path.join(outside, 'main.tf'), 'resource "aws_s3_bucket" "b" {}\n');
  writeFileSync(path.join(outside, 'secret.txt'), 'do-not-read\n');
  symlinkSync(path.join(outside, 'secret.txt'), path.join(ws, 'link-to-secret.txt'));
  symlinkSync(outside, path.join(ws, 'linked-module'));
  symlinkSync(path.join(ws, 'env'), path.join(outside, 'back-in'));
  return { base, ws, outside, cleanup: () => rmSync(base, { recursive: true, force: true }) };
}

function confined(ws: string | string[], trusted: { value: boolean }, refusedLog: string[] = []) {
  const roots = Array.isArray(ws) ? ws : [ws];
  return confinedFileSystem(nodeFileSystem, { roots: () => roots, trusted: () => trusted.value, onRefused: (p) => refusedLog.push(p) });
}

test('untrusted: files and listings inside the folder are read, outside ones are not', () => {
  const t = tree();
  try {
    const log: string[] = [];
    const fs = confined(t.ws, { value: false }, log);
    assert.equal(fs.readFile(path.join(t.ws, 'main.tf')), 'module "x" { source = "../outside" }\n');
    assert.deepEqual(fs.readDir(path.join(t.ws, 'env')), ['dev.tf']);
    assert.equal(fs.readFile(path.join(t.outside, 'main.tf')), undefined);
    assert.equal(fs.readDir(t.outside), undefined);
    assert.deepEqual(log, [path.join(t.outside, 'main.tf'), t.outside]);
  } finally {
    t.cleanup();
  }
});

test('untrusted: `..` is resolved before the check, both ways', () => {
  const t = tree();
  try {
    const fs = confined(t.ws, { value: false });
    // ws/../outside/main.tf leaves the folder.
    assert.equal(fs.readFile(path.join(t.ws, '..', 'outside', 'main.tf')), undefined);
    assert.equal(fs.readDir(`${t.ws}/env/../../outside`), undefined);
    // ws/env/../main.tf stays inside.
    assert.equal(fs.readFile(`${t.ws}/env/../main.tf`), 'module "x" { source = "../outside" }\n');
    // A sibling folder whose name starts with the folder's name is not inside it.
    mkdirSync(`${t.ws}-sibling`);
    writeFileSync(`${t.ws}-sibling/x.tf`, 'x');
    assert.equal(fs.readFile(`${t.ws}-sibling/x.tf`), undefined);
  } finally {
    t.cleanup();
  }
});

test('untrusted: a link inside the folder that points outside is refused; one that points in is allowed', () => {
  const t = tree();
  try {
    const log: string[] = [];
    const fs = confined(t.ws, { value: false }, log);
    assert.equal(fs.readFile(path.join(t.ws, 'link-to-secret.txt')), undefined);
    assert.equal(fs.readDir(path.join(t.ws, 'linked-module')), undefined);
    assert.equal(fs.readFile(path.join(t.ws, 'linked-module', 'main.tf')), undefined);
    // A path spelled outside that resolves into the folder reads what is inside.
    assert.equal(fs.readFile(path.join(t.outside, 'back-in', 'dev.tf')), '# dev\n');
    assert.deepEqual(log, [path.join(t.ws, 'link-to-secret.txt'), path.join(t.ws, 'linked-module'), path.join(t.ws, 'linked-module', 'main.tf')]);
  } finally {
    t.cleanup();
  }
});

test('untrusted: a folder opened through a link contains its files', () => {
  const t = tree();
  try {
    const link = path.join(t.base, 'ws-link');
    symlinkSync(t.ws, link);
    const fs = confined(link, { value: false });
    assert.equal(fs.readFile(path.join(link, 'env', 'dev.tf')), '# dev\n');
    assert.equal(fs.readFile(path.join(t.ws, 'env', 'dev.tf')), '# dev\n', 'the real path of the folder is the folder too');
    assert.equal(fs.readFile(path.join(link, 'link-to-secret.txt')), undefined);
  } finally {
    t.cleanup();
  }
});

test('untrusted with several folders: each one is inside; no folder at all: nothing is', () => {
  const t = tree();
  try {
    assert.equal(confined([t.ws, t.outside], { value: false }).readFile(path.join(t.outside, 'secret.txt')), 'do-not-read\n');
    assert.equal(confined([], { value: false }).readFile(path.join(t.ws, 'main.tf')), undefined);
  } finally {
    t.cleanup();
  }
});

test('a missing path reads as nothing and is not announced as refused', () => {
  const t = tree();
  try {
    const log: string[] = [];
    const fs = confined(t.ws, { value: false }, log);
    assert.equal(fs.readFile(path.join(t.base, 'nope', 'x.tf')), undefined);
    assert.equal(fs.readFile(path.join(t.ws, 'nope.tf')), undefined);
    assert.deepEqual(log, []);
    assert.deepEqual(fs.takeRefused(), []);
  } finally {
    t.cleanup();
  }
});

test('each refused path is announced once; takeRefused hands them over once; trust lifts the confinement at once', () => {
  const t = tree();
  try {
    const log: string[] = [];
    const trusted = { value: false };
    const fs = confined(t.ws, trusted, log);
    fs.readDir(t.outside);
    fs.readDir(t.outside);
    fs.readFile(path.join(t.outside, 'main.tf'));
    assert.deepEqual(log, [t.outside, path.join(t.outside, 'main.tf')]);
    assert.deepEqual(fs.takeRefused(), [
      { path: t.outside, kind: 'dir' },
      { path: path.join(t.outside, 'main.tf'), kind: 'file' },
    ]);
    assert.deepEqual(fs.takeRefused(), []);
    trusted.value = true;
    assert.deepEqual(fs.readDir(t.outside)?.sort(), ['back-in', 'main.tf', 'secret.txt']);
    assert.equal(fs.readFile(path.join(t.ws, 'link-to-secret.txt')), 'do-not-read\n');
    assert.equal(fs.allows('/etc/hostname'), true);
    assert.deepEqual(log.length, 2, 'nothing is refused while trusted');
  } finally {
    t.cleanup();
  }
});

test('folders are asked again on every check (a folder added later is inside)', () => {
  const roots: string[] = ['/w'];
  const c: Confinement = { roots: () => roots, trusted: () => false, realpath: (p) => p };
  const fs = confinedFileSystem(memoryFileSystem({ '/w/a.tf': 'a', '/v/b.tf': 'b' }), c);
  assert.equal(fs.readFile('/v/b.tf'), undefined);
  roots.push('/v');
  assert.equal(fs.readFile('/v/b.tf'), 'b');
});

test('the language service: untrusted, a local module outside the folder is Unknown; after trust it is read', async () => {
  const t = tree();
  try {
    const trusted = { value: false };
    const fs = confined(t.ws, trusted);
    const service = await LanguageService.create({ fs, roots: [t.ws], rules: [] });
    const root = service.moduleAt(t.ws);
    const child = root.childModules()[0]!.module;
    assert.ok(!('files' in child), 'the child module is Unknown, not read');
    trusted.value = true;
    // What the server does on TRUST_CHANGED: forget the refused listings (see server.ts).
    for (const r of fs.takeRefused()) service.fileChangedOnDisk(toUri(r.kind === 'dir' ? path.join(r.path, '_') : r.path));
    const again = service.moduleAt(t.ws).childModules()[0]!.module;
    assert.ok('files' in again && again.files.length === 1, 'the child module is read once trusted');
  } finally {
    t.cleanup();
  }
});

test('the state source: a terraform.tfstate that links outside is not read, and the error says why', async () => {
  const t = tree();
  try {
    writeFileSync(path.join(t.outside, 'terraform.tfstate'), '{"version": 4, "resources": []}');
    symlinkSync(path.join(t.outside, 'terraform.tfstate'), path.join(t.ws, 'terraform.tfstate'));
    const fs = confined(t.ws, { value: false });
    const service = await LanguageService.create({ fs, roots: [t.ws], rules: [] });
    const source = new StateSource({ moduleAt: (d) => service.moduleAt(d), readFile: (f) => service.text(toUri(f)), modifiedAt: () => new Date(0) });
    const ctx = { root: t.ws, signal: new AbortController().signal, env: {}, trusted: false, secret: async () => undefined, timeoutMs: 1000, now: () => new Date(0) };
    await assert.rejects(source.check(ctx), (e: Error) => /exists but could not be read .*Restricted Mode, a link to a file outside the workspace folders/.test(e.message));
  } finally {
    t.cleanup();
  }
});
