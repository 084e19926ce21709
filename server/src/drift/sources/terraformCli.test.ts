import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { DriftError, SENSITIVE_MASK, type DriftContext, type DriftStack } from '../types';
import { TerraformCliSource, type TerraformCliOptions } from './terraformCli';

// The stand-in executable replays recorded `terraform` output (see its header comment).
const FAKE = path.resolve(__dirname, '../../../../test/fixtures/drift/fake-terraform/terraform');
const SCENARIOS = path.resolve(__dirname, '../../../../test/fixtures/drift/cli');
const NOW = new Date('2024-09-12T10:15:07.000Z');
const TOKEN = 'tok-7c1e99f0a4b24d5e';

const temps: string[] = [];
after(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
  temps.push(dir);
  return dir;
}

/** A root module folder (main.tf; `.terraform` unless uninitialised) and where the fake logs its calls. */
function workspace(initialised = true): { root: string; callLog: string } {
  const root = path.join(tempDir('plumbline-tf-test-'), 'network');
  mkdirSync(root);
  writeFileSync(path.join(root, 'main.tf'), 'resource "aws_s3_bucket_versioning" "datasets" {}\n');
  if (initialised) mkdirSync(path.join(root, '.terraform'));
  return { root, callLog: path.join(tempDir('plumbline-tf-log-'), 'calls.jsonl') };
}

interface Call {
  readonly pid: number;
  readonly args: string[];
  readonly cwd: string;
  readonly TF_IN_AUTOMATION?: string;
  readonly TF_INPUT?: string;
}

/** What the fake recorded: one entry per run, plus the pids of helpers it started. */
function calls(callLog: string): { runs: Call[]; helperPids: number[] } {
  const entries = existsSync(callLog) ? readFileSync(callLog, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
  return { runs: entries.filter((e) => 'args' in e), helperPids: entries.filter((e) => 'helperPid' in e).map((e) => e.helperPid) };
}

function context(root: string, callLog: string, scenario: string, over: Partial<DriftContext> = {}, logs: string[] = []): DriftContext {
  return {
    root,
    signal: new AbortController().signal,
    env: { ...process.env, FAKE_TF_SCENARIO: path.join(SCENARIOS, scenario), FAKE_TF_LOG: callLog, TF_TOKEN_app_terraform_io: TOKEN },
    trusted: true,
    secret: async () => undefined,
    timeoutMs: 20_000,
    now: () => NOW,
    log: (m) => logs.push(m),
    ...over,
  };
}

function source(options: Partial<TerraformCliOptions> = {}): TerraformCliSource {
  return new TerraformCliSource({ executable: FAKE, ...options });
}

async function rejection(p: Promise<unknown>): Promise<DriftError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof DriftError, `expected a DriftError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the check to fail');
}

/** True when no live process has this pid (an exited, unreaped process counts as gone). */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z') ?? false;
  } catch {
    return true;
  }
}

function assertPlanFilesRemoved(runs: Call[], root: string): void {
  const out = runs[0].args.find((a) => a.startsWith('-out='))?.slice('-out='.length);
  assert.ok(out, 'the plan ran with -out');
  assert.ok(path.isAbsolute(out) && out.startsWith(os.tmpdir()) && !out.startsWith(root), `plan file ${out} belongs in the temp directory`);
  assert.equal(existsSync(out), false, 'the plan file is deleted');
  assert.equal(existsSync(path.dirname(out)), false, 'its private directory is deleted');
  assert.deepEqual(readdirSync(root).sort(), ['.terraform', 'main.tf'], 'nothing is written into the root module');
}

const PLAN = ['plan', '-refresh-only', '-json', '-input=false', '-lock=false'];

describe('terraform CLI drift source', () => {
  describe('applies', () => {
    it('claims a root with .tf files and a .terraform directory', async () => {
      assert.equal(await source().applies(workspace().root), true);
    });
    it('skips an uninitialised root and a folder without .tf files', async () => {
      assert.equal(await source().applies(workspace(false).root), false);
      const empty = tempDir('plumbline-tf-empty-');
      mkdirSync(path.join(empty, '.terraform'));
      assert.equal(await source().applies(empty), false);
    });
  });

  it('drift: streamed statuses with attribute details from show -json, sensitive values masked', async () => {
    const { root, callLog } = workspace();
    const logs: string[] = [];
    const [stack, ...rest] = await source().check(context(root, callLog, 'drift', {}, logs));
    assert.equal(rest.length, 0);
    assert.deepEqual(stack, {
      id: `terraform:${root}`,
      source: 'terraform',
      name: 'network',
      root,
      status: 'drifted',
      checkedAt: NOW.toISOString(),
      origin: 'terraform plan -refresh-only',
      summary: { drifted: 3 },
      resources: [
        {
          address: 'aws_s3_bucket_versioning.datasets',
          mode: 'managed',
          type: 'aws_s3_bucket_versioning',
          name: 'datasets',
          module: '',
          status: 'drifted',
          changes: [
            { path: 'mfa', declared: SENSITIVE_MASK, live: SENSITIVE_MASK, sensitive: true },
            { path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' },
          ],
        },
        {
          // In the stream but not in show.json: the status stays, without attributes.
          address: 'module.pets.random_pet.pet["friend"]',
          mode: 'managed',
          type: 'random_pet',
          name: 'pet',
          module: 'module.pets',
          key: 'friend',
          status: 'drifted',
          changes: [],
          message: 'Drift detected (update); no attribute details (the saved plan had no details for it).',
        },
        {
          address: 'module.queue.aws_sqs_queue.jobs',
          mode: 'managed',
          type: 'aws_sqs_queue',
          name: 'jobs',
          module: 'module.queue',
          status: 'missing',
          changes: [],
          message: 'Deleted outside Terraform: the refresh found no live object.',
        },
      ],
    } satisfies DriftStack);
    const text = JSON.stringify(stack);
    assert.ok(!text.includes('123456') && !text.includes('654321'), 'sensitive values never leave the source');

    const { runs } = calls(callLog);
    assert.equal(runs.length, 2);
    assert.deepEqual(runs[0].args.slice(0, PLAN.length), PLAN);
    const planFile = runs[0].args[PLAN.length].slice('-out='.length);
    assert.deepEqual(runs[1].args, ['show', '-json', planFile]);
    for (const run of runs) {
      assert.equal(run.cwd, root);
      assert.equal(run.TF_IN_AUTOMATION, '1');
      assert.equal(run.TF_INPUT, '0');
    }
    assertPlanFilesRemoved(runs, root);
    assert.ok(logs.includes('Terraform 1.9.5, machine-readable UI 1.2'), logs.join('\n'));
  });

  it('drift without details: one plan run, statuses only', async () => {
    const { root, callLog } = workspace();
    const [stack] = await source({ detailed: false }).check(context(root, callLog, 'drift'));
    assert.equal(stack.status, 'drifted');
    assert.deepEqual(
      stack.resources.map((r) => [r.address, r.status, r.changes.length, r.message]),
      [
        ['aws_s3_bucket_versioning.datasets', 'drifted', 0, 'Drift detected (update); the streamed plan output names no attributes.'],
        ['module.pets.random_pet.pet["friend"]', 'drifted', 0, 'Drift detected (update); the streamed plan output names no attributes.'],
        ['module.queue.aws_sqs_queue.jobs', 'missing', 0, 'Deleted outside Terraform: the refresh found no live object; the streamed plan output names no attributes.'],
      ],
    );
    const { runs } = calls(callLog);
    assert.deepEqual(runs.map((r) => r.args), [PLAN]);
  });

  it('in-sync: no resources, a warning diagnostic is logged and does not fail the check', async () => {
    const { root, callLog } = workspace();
    const logs: string[] = [];
    const [stack] = await source().check(context(root, callLog, 'in-sync', {}, logs));
    assert.equal(stack.status, 'in-sync');
    assert.deepEqual(stack.resources, []);
    assert.deepEqual(stack.summary, { drifted: 0 });
    assert.equal(stack.problem, undefined);
    assert.ok(logs.includes('terraform plan warning: Argument is deprecated: Use the aws_s3_bucket_acl resource instead'), logs.join('\n'));
    assertPlanFilesRemoved(calls(callLog).runs, root);
  });

  it('ui-v2: rejects a machine-readable UI whose major version is not 1 and stops the process', async () => {
    const { root, callLog } = workspace();
    const err = await rejection(source().check(context(root, callLog, 'ui-v2')));
    assert.equal(err.code, 'malformed');
    assert.equal(err.message, 'unsupported machine-readable UI version 2.0');
    assert.match(err.hint ?? '', /version 1 of the machine-readable UI/);
    const { runs } = calls(callLog);
    assert.equal(runs.length, 1, 'show -json does not run');
    assert.ok(isGone(runs[0].pid));
    assertPlanFilesRemoved(runs, root);
  });

  it('error: a non-zero exit with an error diagnostic fails with its summary and detail', async () => {
    const { root, callLog } = workspace();
    const err = await rejection(source().check(context(root, callLog, 'error')));
    assert.equal(err.code, 'failed');
    assert.equal(
      err.message,
      'terraform plan failed: No valid credential sources found: Please see https://registry.terraform.io/providers/hashicorp/aws for more information about providing credentials. Error: failed to refresh cached credentials, no EC2 IMDS role found',
    );
    assert.match(err.hint ?? '', new RegExp(`terraform plan -refresh-only\` in ${root.replace(/[/\\.]/g, '\\$&')}`));
    assertPlanFilesRemoved(calls(callLog).runs, root);
  });

  it('crash: a non-zero exit without diagnostics reports the exit code and the end of stderr, without secret values', async () => {
    const { root, callLog } = workspace();
    const logs: string[] = [];
    const err = await rejection(source({ detailed: false }).check(context(root, callLog, 'crash', {}, logs)));
    assert.equal(err.code, 'failed');
    assert.match(err.message, /^terraform plan failed: exited with code 2 \(stderr: .*panic: runtime error: invalid memory address or nil pointer dereference\)$/);
    assert.ok(err.message.includes('using token *** for app.terraform.io'), err.message);
    assert.ok(![err.message, err.hint, ...logs].join('\n').includes(TOKEN), 'the token value never appears');
  });

  it('garbage: non-JSON lines are tolerated and counted', async () => {
    const { root, callLog } = workspace();
    const logs: string[] = [];
    const [stack] = await source({ detailed: false }).check(context(root, callLog, 'garbage', {}, logs));
    assert.equal(stack.status, 'drifted');
    assert.deepEqual(
      stack.resources.map((r) => r.address),
      ['aws_s3_bucket_versioning.datasets'],
    );
    assert.ok(logs.includes('terraform plan: ignored 4 non-JSON line(s)'), logs.join('\n'));
  });

  it('a failing show -json keeps the streamed result and says why details are missing', async () => {
    const { root, callLog } = workspace();
    const [stack] = await source().check(context(root, callLog, 'garbage'));
    assert.equal(stack.status, 'drifted');
    assert.equal(stack.problem?.code, 'failed');
    assert.match(stack.problem?.message ?? '', /^No attribute details: `terraform show -json` exited with code 1 \(stderr: fake-terraform: this scenario has no show.json\)$/);
    assert.deepEqual(
      stack.resources.map((r) => [r.address, r.status, r.message]),
      [['aws_s3_bucket_versioning.datasets', 'drifted', 'Drift detected (update); no attribute details (`terraform show -json` failed).']],
    );
    assertPlanFilesRemoved(calls(callLog).runs, root);
  });

  it('stops reading beyond the output cap', async () => {
    const { root, callLog } = workspace();
    const err = await rejection(source({ maxOutputBytes: 100 }).check(context(root, callLog, 'garbage')));
    assert.equal(err.code, 'malformed');
    assert.equal(err.message, 'terraform plan printed more than 100 bytes; Plumbline stopped reading.');
    assertPlanFilesRemoved(calls(callLog).runs, root);
  });

  it('time limit: kills the whole process group and fails with timeout', async () => {
    const { root, callLog } = workspace();
    const started = Date.now();
    const err = await rejection(source().check(context(root, callLog, 'hang', { timeoutMs: 1500 })));
    assert.equal(err.code, 'timeout');
    assert.match(err.message, /within the drift time limit \(1\.5 s\)/);
    assert.match(err.hint ?? '', /plumbline\.drift\.timeoutSeconds/);
    assert.ok(Date.now() - started < 10_000);
    const { runs, helperPids } = calls(callLog);
    assert.equal(helperPids.length, 1, 'the fake started its helper before the limit');
    assert.ok(isGone(runs[0].pid), 'terraform is gone');
    assert.ok(isGone(helperPids[0]), 'the helper in its process group is gone');
    assertPlanFilesRemoved(runs, root);
  });

  it('cancellation: aborting the signal kills the process group and fails with cancelled', async () => {
    const { root, callLog } = workspace();
    const controller = new AbortController();
    const ctx = context(root, callLog, 'hang', {
      signal: controller.signal,
      // Abort once the plan is under way: the version line has been read.
      log: (m) => {
        if (m.includes('machine-readable UI')) controller.abort();
      },
    });
    const err = await rejection(source().check(ctx));
    assert.equal(err.code, 'cancelled');
    const { runs, helperPids } = calls(callLog);
    assert.ok(isGone(runs[0].pid));
    assert.equal(helperPids.length, 1);
    assert.ok(isGone(helperPids[0]));
    assertPlanFilesRemoved(runs, root);
  });

  it('an already aborted signal runs nothing', async () => {
    const { root, callLog } = workspace();
    const err = await rejection(source().check(context(root, callLog, 'drift', { signal: AbortSignal.abort() })));
    assert.equal(err.code, 'cancelled');
    assert.deepEqual(calls(callLog).runs, []);
  });

  it('executable not found: not-configured with the setting to change', async () => {
    const { root, callLog } = workspace();
    const missing = path.join(tempDir('plumbline-tf-none-'), 'terraform');
    const err = await rejection(source({ executable: missing }).check(context(root, callLog, 'drift')));
    assert.equal(err.code, 'not-configured');
    assert.equal(err.message, `terraform not found at ${missing}.`);
    assert.match(err.hint ?? '', /plumbline\.drift\.terraformPath/);
  });

  it('restricted mode: refuses to run anything', async () => {
    const { root, callLog } = workspace();
    const err = await rejection(source().check(context(root, callLog, 'drift', { trusted: false })));
    assert.equal(err.code, 'untrusted');
    assert.match(err.message, /Restricted Mode/);
    assert.match(err.hint ?? '', /Manage Workspace Trust/);
    assert.deepEqual(calls(callLog).runs, []);
  });

  it('an uninitialised root: not-configured with the init command', async () => {
    const { root, callLog } = workspace(false);
    const err = await rejection(source().check(context(root, callLog, 'drift')));
    assert.equal(err.code, 'not-configured');
    assert.equal(err.hint, `Run terraform init in ${root}.`);
    assert.deepEqual(calls(callLog).runs, []);
  });

  it('OpenTofu: an executable named tofu names the origin and messages after it', async () => {
    const { root, callLog } = workspace();
    const tofu = path.join(tempDir('plumbline-tofu-'), 'tofu');
    symlinkSync(FAKE, tofu);
    const tofuSource = new TerraformCliSource({ executable: tofu });
    assert.equal(tofuSource.tool, 'tofu');
    const [stack] = await tofuSource.check(context(root, callLog, 'in-sync'));
    assert.equal(stack.origin, 'tofu plan -refresh-only');
    const err = await rejection(tofuSource.check(context(root, callLog, 'drift', { trusted: false })));
    assert.match(err.message, /does not run tofu/);
  });
});
