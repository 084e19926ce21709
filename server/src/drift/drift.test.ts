import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LanguageService, toUri } from '../service/languageService';
import { memoryFileSystem, nodeFileSystem } from '../service/fileSystem';
import { formatAddress, parseAddress } from './address';
import { driftHost } from './host';
import { ModuleDirectory, declarationOf } from './mapping';
import { diffValues, driftFromPlan } from './planJson';
import { DriftService, driftDiagnostics, type DriftHost } from './service';
import { StateSource, parseState } from './sources/state';
import { DriftError, type DriftSource, type DriftStack, type ResourceDrift } from './types';

const REPO = path.resolve(__dirname, '..', '..', '..');
const FIXTURE = path.join(REPO, 'test', 'fixtures', 'drift', 'state');
const EXAMPLE = path.join(REPO, 'examples', 'terraform');

describe('drift: addresses', () => {
  it('splits module paths, instance keys and data sources', () => {
    assert.deepEqual(parseAddress('module.a["k.1"].module.b[0].aws_s3_bucket.x["we]ird"]'), {
      modules: [
        { name: 'a', key: 'k.1' },
        { name: 'b', key: 0 },
      ],
      mode: 'managed',
      type: 'aws_s3_bucket',
      name: 'x',
      key: 'we]ird',
    });
    assert.deepEqual(parseAddress('data.aws_iam_policy_document.p'), { modules: [], mode: 'data', type: 'aws_iam_policy_document', name: 'p' });
    assert.deepEqual(parseAddress('module.data.data.aws_ami.x'), { modules: [{ name: 'data' }], mode: 'data', type: 'aws_ami', name: 'x' });
    assert.equal(formatAddress(parseAddress('module.pets.random_pet.pet["friend"]')!), 'module.pets.random_pet.pet["friend"]');
  });

  it('rejects what is not a resource address', () => {
    for (const bad of ['', 'aws_s3_bucket', 'aws_s3_bucket.x.y.z', 'module.a', 'aws_s3_bucket.x[', 'aws_s3_bucket.x[true]', 'a..b', 'x.y.']) assert.equal(parseAddress(bad), undefined, bad);
  });
});

describe('drift: JSON plans (show -json, HCP json-output)', () => {
  it('reads resource_drift: attribute paths, masked sensitive values, deletions', () => {
    const resources = driftFromPlan({
      resource_drift: [
        {
          address: 'module.data.aws_s3_bucket_versioning.v',
          mode: 'managed',
          type: 'aws_s3_bucket_versioning',
          name: 'v',
          change: {
            actions: ['update'],
            before: { id: 'b', versioning_configuration: [{ status: 'Enabled', mfa_delete: '' }], tags: { owner: 'a' }, secret: 'old' },
            after: { id: 'b', versioning_configuration: [{ status: 'Suspended', mfa_delete: '' }], tags: { owner: 'a', extra: 'x' }, secret: 'new' },
            before_sensitive: { secret: true },
            after_sensitive: {},
          },
        },
        { address: 'aws_sqs_queue.q[2]', mode: 'managed', type: 'aws_sqs_queue', name: 'q', index: 2, change: { actions: ['delete'], before: { id: 'q' }, after: null } },
        { address: 'not an address', change: { actions: ['update'] } },
        'garbage',
      ],
    });
    assert.equal(resources.length, 2);
    assert.deepEqual(resources[0], {
      address: 'module.data.aws_s3_bucket_versioning.v',
      mode: 'managed',
      type: 'aws_s3_bucket_versioning',
      name: 'v',
      module: 'module.data',
      status: 'drifted',
      changes: [
        { path: 'secret', declared: '(sensitive)', live: '(sensitive)', sensitive: true },
        { path: 'tags.extra', live: 'x' },
        { path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' },
      ],
    });
    assert.equal(resources[1].status, 'missing');
    assert.equal(resources[1].key, 2);
  });

  it('never shows a value under a sensitive container, even when the shape changed', () => {
    const changes = diffValues({ creds: ['a'] }, { creds: ['a', 'b'] }, { creds: [true] }, {});
    assert.deepEqual(changes, [{ path: 'creds', declared: '(sensitive)', live: '(sensitive)', sensitive: true }]);
    assert.ok(!JSON.stringify(changes).includes('"b"'));
  });

  it('reports a plan that is not a plan as malformed', () => {
    assert.throws(() => driftFromPlan('nope'), (e: unknown) => e instanceof DriftError && e.code === 'malformed');
    assert.throws(() => driftFromPlan({ resource_drift: 3 }), (e: unknown) => e instanceof DriftError && e.code === 'malformed');
  });
});

async function stateCheck(root: string, service?: LanguageService): Promise<DriftStack> {
  const ls = service ?? (await LanguageService.create({ roots: [root] }));
  const source = new StateSource({ moduleAt: (d) => ls.moduleAt(d), readFile: (f) => nodeFileSystem.readFile(f), modifiedAt: () => new Date('2026-11-20T10:00:00Z') });
  const [stack] = await source.check(context(root));
  return stack;
}

function context(root: string, overrides: Partial<Parameters<DriftSource['check']>[0]> = {}): Parameters<DriftSource['check']>[0] {
  return { root, signal: new AbortController().signal, env: {}, trusted: true, secret: async () => undefined, timeoutMs: 5000, now: () => new Date('2026-11-20T12:00:00Z'), ...overrides };
}

const byAddress = (stack: DriftStack) => new Map(stack.resources.map((r) => [r.address, r]));

describe('drift: the state source (code vs terraform.tfstate)', () => {
  it('compares what the code declares, as evaluated, with the recorded values', async () => {
    const stack = await stateCheck(FIXTURE);
    const r = byAddress(stack);
    assert.equal(stack.status, 'drifted');
    assert.equal(stack.checkedAt, '2026-11-20T10:00:00.000Z');
    assert.match(stack.origin, /last recorded state \(terraform\.tfstate, Terraform 1\.9\.8, serial 7\)/);
    // for_each over a local set: one instance per key; tags from merge(local.common_tags, {…}) with a tfvars value.
    assert.equal(r.get('aws_s3_bucket.lake["curated"]')?.status, 'in-sync');
    assert.deepEqual(r.get('aws_s3_bucket.lake["raw"]')?.changes, [{ path: 'tags.owner', declared: 'ml-platform', live: 'data-eng' }]);
    assert.equal(r.get('aws_s3_bucket.lake["raw"]')?.key, 'raw');
    // count: index 1 drifted; ami comes from a variable without a default and is never compared.
    assert.equal(r.get('aws_instance.worker[0]')?.status, 'in-sync');
    assert.match(r.get('aws_instance.worker[0]')?.message ?? '', /Not compared \(unknown in code\): ami/);
    assert.deepEqual(r.get('aws_instance.worker[1]')?.changes, [{ path: 'instance_type', declared: 'm5.large', live: 'm5.xlarge' }]);
    // JSON documents compare by content: jsonencode({maxReceiveCount = 5}) vs the recorded {"maxReceiveCount":3}.
    assert.deepEqual(r.get('module.queue.aws_sqs_queue.this')?.changes, [{ path: 'redrive_policy', declared: '{"maxReceiveCount":5}', live: '{"maxReceiveCount":3}' }]);
  });

  it('masks sensitive values on both sides', async () => {
    const db = byAddress(await stateCheck(FIXTURE)).get('aws_db_instance.features')!;
    assert.deepEqual(db.changes, [{ path: 'password', declared: '(sensitive)', live: '(sensitive)', sensitive: true }]);
    assert.ok(!JSON.stringify(db).includes('hunter2') && !JSON.stringify(db).includes('correct-horse'));
  });

  it('reports unmanaged and missing instances, and Unknown where the code cannot be evaluated', async () => {
    const r = byAddress(await stateCheck(FIXTURE));
    assert.equal(r.get('aws_s3_bucket.lake["archive"]')?.status, 'unmanaged');
    // count = var.queue_count has no value: the recorded instance is unknown, not unmanaged, and nothing is missing.
    assert.equal(r.get('aws_sqs_queue.scaled[0]')?.status, 'unknown');
    assert.match(r.get('aws_sqs_queue.scaled[0]')?.message ?? '', /var\.queue_count/);
    // A registry module's code is not in the workspace.
    assert.equal(r.get('module.vpc.aws_vpc.this[0]')?.status, 'unknown');
    assert.match(r.get('module.vpc.aws_vpc.this[0]')?.message ?? '', /module\.vpc is not in the workspace/);
    // Data sources are never drift.
    assert.ok(![...r.keys()].some((a) => a.startsWith('data.')));
    const example = byAddress(await stateCheck(EXAMPLE));
    assert.equal(example.get('aws_sagemaker_endpoint_configuration.fraud_scoring')?.status, 'missing');
  });

  it('maps each change to the attribute that writes it, or the block header', async () => {
    const r = byAddress(await stateCheck(FIXTURE));
    const raw = r.get('aws_s3_bucket.lake["raw"]')!.declaration!;
    assert.equal(raw.uri, toUri(path.join(FIXTURE, 'main.tf')));
    assert.deepEqual(raw.range, { start: { line: 8, character: 0 }, end: { line: 8, character: 31 } });
    // owner comes from local.common_tags, not written in this block: the `tags` attribute.
    assert.deepEqual(raw.attributes?.['tags.owner'], { start: { line: 11, character: 2 }, end: { line: 11, character: 58 } });
    const queue = r.get('module.queue.aws_sqs_queue.this')!.declaration!;
    assert.equal(queue.uri, toUri(path.join(FIXTURE, 'modules', 'queue', 'main.tf')));
    assert.equal(queue.attributes?.redrive_policy?.start.line, 8);
    const versioning = byAddress(await stateCheck(EXAMPLE)).get('aws_s3_bucket_versioning.datasets')!;
    assert.deepEqual(versioning.changes, [{ path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' }]);
    assert.deepEqual(versioning.declaration?.attributes?.['versioning_configuration[0].status'], { start: { line: 6, character: 4 }, end: { line: 6, character: 22 } });
  });

  it('treats an empty map, list or string in the code as the null a provider records', async () => {
    const ls = await LanguageService.create({ fs: memoryFileSystem({ '/w/main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n  tags   = {}\n  grants = []\n  policy = ""\n}\n' }), roots: ['/w'] });
    const state = { version: 4, resources: [{ mode: 'managed', type: 'aws_s3_bucket', name: 'b', instances: [{ attributes: { bucket: 'b', tags: null, policy: null } }] }] };
    const source = new StateSource({ moduleAt: (d) => ls.moduleAt(d), readFile: () => JSON.stringify(state), modifiedAt: () => undefined });
    const [stack] = await source.check(context('/w'));
    assert.deepEqual(stack!.resources.map((r) => [r.address, r.status, r.changes]), [['aws_s3_bucket.b', 'in-sync', []]]);
  });

  it('ignores attributes the provider fills in inside objects, but not a tag added outside the code', async () => {
    const tf = 'resource "aws_security_group" "web" {\n  ingress = [{ from_port = 443, to_port = 443, protocol = "tcp", cidr_blocks = ["10.0.0.0/8"] }]\n  tags    = { owner = "web" }\n}\n';
    const ls = await LanguageService.create({ fs: memoryFileSystem({ '/w/main.tf': tf }), roots: ['/w'] });
    const live = {
      ingress: [{ from_port: 443, to_port: 443, protocol: 'tcp', cidr_blocks: ['10.0.0.0/8'], self: false, description: '', ipv6_cidr_blocks: [], security_groups: [] }],
      tags: { owner: 'web', hotfix: 'INC-42' },
    };
    const state = { version: 4, resources: [{ mode: 'managed', type: 'aws_security_group', name: 'web', instances: [{ attributes: live }] }] };
    const source = new StateSource({ moduleAt: (d) => ls.moduleAt(d), readFile: () => JSON.stringify(state), modifiedAt: () => undefined });
    const [stack] = await source.check(context('/w'));
    assert.deepEqual(stack!.resources[0]!.changes, [{ path: 'tags.hotfix', live: 'INC-42' }]);
  });

  it('says clearly what is wrong with a missing, broken or old state file', async () => {
    const reject = (text: string | undefined) => {
      const source = new StateSource({ moduleAt: () => assert.fail('not evaluated'), readFile: () => text, modifiedAt: () => undefined });
      return source.check(context('/nowhere'));
    };
    await assert.rejects(reject(undefined), (e: DriftError) => e.code === 'not-configured' && /No terraform\.tfstate in \/nowhere/.test(e.message) && !!e.hint);
    await assert.rejects(reject('{"version": 4, "resources": ['), (e: DriftError) => e.code === 'malformed' && /not valid JSON/.test(e.message));
    await assert.rejects(reject('{"version": 3, "modules": []}'), (e: DriftError) => e.code === 'malformed' && /format version 3.*version 4/.test(e.message));
    assert.deepEqual(parseState('\uFEFF{"version":4,"resources":[{"mode":"managed"}]}', 'x').resources, []);
  });
});

describe('drift: mapping addresses to declarations', () => {
  it('resolves module paths through modules.json, or through local sources without it', async () => {
    const ls = await LanguageService.create({ roots: [FIXTURE] });
    const files = (dir: string) => ls.moduleAt(dir).files;
    const installed = new ModuleDirectory(FIXTURE, files, (f) => nodeFileSystem.readFile(f));
    const bare = new ModuleDirectory(FIXTURE, files, (f) => (f.endsWith('modules.json') ? undefined : nodeFileSystem.readFile(f)));
    for (const dirs of [installed, bare]) {
      const block = dirs.blockOf(parseAddress('module.queue.aws_sqs_queue.this')!);
      assert.equal(block?.uri, toUri(path.join(FIXTURE, 'modules', 'queue', 'main.tf')));
      assert.equal(block?.headerRange.start.line, 4);
    }
    assert.equal(installed.blockOf(parseAddress('module.vpc.aws_vpc.this')!), undefined);
    assert.equal(installed.blockOf(parseAddress('aws_s3_bucket.nope')!), undefined);
    // Nested block paths: the deepest part the code writes.
    const lt = ls.moduleAt(path.join(REPO, 'examples', 'terraform')).resource('aws_launch_template', 'inference_nodes')!;
    const decl = declarationOf(lt, ['metadata_options[0].http_tokens', 'metadata_options[0].instance_metadata_tags', 'user_data']);
    assert.equal(decl.attributes?.['metadata_options[0].http_tokens']?.start.line, 19);
    assert.equal(decl.attributes?.['metadata_options[0].instance_metadata_tags']?.start.line, 17, 'the nested block header');
    assert.equal(decl.attributes?.user_data, undefined);
  });
});

function hostFor(ls: LanguageService, roots: string[], extra: Partial<DriftHost> = {}): DriftHost {
  return { ...driftHost(ls, { env: {}, trusted: () => true, secret: async () => undefined, timeoutMs: () => 5000 }), roots: () => roots, ...extra };
}

const failing = (kind: DriftSource['kind'], error: unknown): DriftSource => ({
  kind,
  applies: () => true,
  check: async () => {
    throw error;
  },
});

describe('drift: the service', () => {
  it('turns a failed check into an error stack with its hint, and keeps the other sources', async () => {
    const ls = await LanguageService.create({ roots: [EXAMPLE] });
    const host = hostFor(ls, [path.dirname(EXAMPLE)], { moduleDirs: () => [EXAMPLE] });
    const state = new StateSource({ moduleAt: (d) => ls.moduleAt(d), readFile: (f) => nodeFileSystem.readFile(f), modifiedAt: () => new Date() });
    const service = new DriftService(host, [state, failing('hcp', new DriftError('auth', 'Not signed in to app.terraform.io.', 'Run "Plumbline: Sign in to HCP Terraform".'))]);
    const report = await service.refresh();
    const [s, h] = report.sources;
    assert.equal(s.stacks[0].status, 'drifted');
    assert.equal(s.stacks[0].name, 'terraform');
    assert.equal(h.stacks[0].status, 'error');
    assert.deepEqual(h.stacks[0].problem, { code: 'auth', message: 'Not signed in to app.terraform.io.', hint: 'Run "Plumbline: Sign in to HCP Terraform".' });
    assert.equal(h.signedOut, true);
    assert.equal(report.driftCount, 6);
    assert.equal(report.refreshing, false);
  });

  it('stops a check at the time limit, and an unexpected exception is a failure, not a crash', async () => {
    const ls = await LanguageService.create({ roots: [EXAMPLE] });
    const hang: DriftSource = { kind: 'terraform', applies: () => true, check: (ctx) => new Promise((_, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))) };
    const service = new DriftService(hostFor(ls, [EXAMPLE], { moduleDirs: () => [EXAMPLE], timeoutMs: () => 50 }), [hang, failing('hcp', new TypeError('x is undefined'))]);
    const report = await service.refresh();
    assert.equal(report.sources[0].stacks[0].problem?.code, 'timeout');
    assert.match(report.sources[0].stacks[0].problem?.hint ?? '', /plumbline\.drift\.timeoutSeconds/);
    assert.deepEqual(report.sources[1].stacks[0].problem, { code: 'failed', message: 'The HCP Terraform check failed: x is undefined' });
  });

  it('replaces a stale result by the error of the next check (never shows it as fresh)', async () => {
    const ls = await LanguageService.create({ roots: [EXAMPLE] });
    let fail = false;
    const flaky: DriftSource = {
      kind: 'hcp',
      applies: () => true,
      check: async (ctx) => {
        if (fail) throw new DriftError('rate-limited', 'HCP Terraform kept answering 429.');
        return [{ id: 'hcp:ws-1', source: 'hcp', name: 'acme/prod', root: ctx.root, status: 'drifted', origin: 'HCP Terraform health assessment', checkedAt: '2026-11-20T10:00:00Z', resources: [{ address: 'aws_s3_bucket.datasets', mode: 'managed', type: 'aws_s3_bucket', name: 'datasets', module: '', status: 'drifted', changes: [] }] }];
      },
    };
    const service = new DriftService(hostFor(ls, [EXAMPLE], { moduleDirs: () => [EXAMPLE] }), [flaky]);
    const first = await service.refresh();
    assert.equal(first.driftCount, 1);
    assert.equal(first.sources[0].stacks[0].resources[0].declaration?.uri, toUri(path.join(EXAMPLE, 'storage.tf')));
    fail = true;
    const second = await service.refresh();
    assert.equal(second.driftCount, 0);
    assert.equal(second.sources[0].stacks[0].status, 'error');
    assert.equal(second.sources[0].stacks[0].resources.length, 0);
  });

  it('maps declarations against the current text, so ranges follow unsaved edits', async () => {
    const ls = await LanguageService.create({ roots: [EXAMPLE] });
    const service = new DriftService(hostFor(ls, [EXAMPLE], { moduleDirs: () => [EXAMPLE] }), [
      new StateSource({ moduleAt: (d) => ls.moduleAt(d), readFile: (f) => nodeFileSystem.readFile(f), modifiedAt: () => new Date('2026-11-20T10:00:00Z') }),
    ]);
    await service.refresh();
    const uri = toUri(path.join(EXAMPLE, 'versioning.tf'));
    const line = () => service.report().sources[0].stacks[0].resources.find((r) => r.address === 'aws_s3_bucket_versioning.datasets')?.declaration?.range.start.line;
    assert.equal(line(), 2);
    ls.openDocument(uri, `\n\n\n${readFileSync(path.join(EXAMPLE, 'versioning.tf'), 'utf8')}`, 1);
    assert.equal(line(), 5);
    const diags = driftDiagnostics(service.report(), uri, new Date('2026-11-20T12:00:00Z'));
    assert.deepEqual(diags.map((d) => [d.range.start.line, d.message]), [
      [9, 'Drift: recorded value of `versioning_configuration[0].status` is Suspended; code declares Enabled (Terraform state, 2 h ago).'],
    ]);
  });

  it('puts diagnostics on the header of missing resources and on each changed attribute', async () => {
    const ls = await LanguageService.create({ roots: [EXAMPLE] });
    const service = new DriftService(hostFor(ls, [EXAMPLE], { moduleDirs: () => [EXAMPLE] }), [
      new StateSource({ moduleAt: (d) => ls.moduleAt(d), readFile: (f) => nodeFileSystem.readFile(f), modifiedAt: () => new Date('2026-11-20T10:00:00Z') }),
    ]);
    const report = await service.refresh();
    const serving = driftDiagnostics(report, toUri(path.join(EXAMPLE, 'serving.tf')), new Date('2026-11-20T10:30:00Z'));
    assert.deepEqual(serving.map((d) => [d.range.start.line, d.range.start.character]), [[6, 0]]);
    assert.match(serving[0].message, /aws_sagemaker_endpoint_configuration\.fraud_scoring is declared but does not exist .*\(Terraform state, 30 min ago\)/);
    // A changed tag sits on the map item the code writes (inside merge(…)); a tag only live sits on `tags`.
    const storage = driftDiagnostics(report, toUri(path.join(EXAMPLE, 'storage.tf')));
    assert.deepEqual(
      storage.map((d) => [d.address, d.range.start.line, d.range.start.character, d.range.end.line]),
      [
        ['aws_s3_bucket.datasets', 6, 4, 6],
        ['aws_s3_bucket.datasets', 4, 2, 7],
      ],
    );
  });

  it('a newer refresh supersedes one still running', async () => {
    const ls = await LanguageService.create({ roots: [EXAMPLE] });
    let calls = 0;
    const slow: DriftSource = {
      kind: 'terraform',
      applies: () => true,
      check: (ctx) => {
        const n = ++calls;
        return new Promise((resolve, reject) => {
          ctx.signal.addEventListener('abort', () => reject(new DriftError('cancelled', 'cancelled')));
          setTimeout(() => resolve([{ id: 't', source: 'terraform', name: 'x', root: ctx.root, status: 'in-sync', origin: `run ${n}`, resources: [] }]), n === 1 ? 200 : 10);
        });
      },
    };
    const service = new DriftService(hostFor(ls, [EXAMPLE], { moduleDirs: () => [EXAMPLE] }), [slow]);
    const first = service.refresh();
    const second = await service.refresh();
    await first;
    assert.equal(second.sources[0].stacks[0].origin, 'run 2');
    assert.equal(service.report().sources[0].stacks[0].origin, 'run 2');
  });
});

export type { ResourceDrift };
