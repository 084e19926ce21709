import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { formatAddress, modulePath, parseAddress } from '../address';
import { driftFromPlan, isObject } from '../planJson';
import { DriftError, sortResources, type DriftContext, type DriftSource, type DriftStack, type ResourceDrift } from '../types';

/**
 * The live check: `terraform plan -refresh-only -json` (or `tofu`) in a root
 * module. It asks the providers for the real objects with the user's own
 * credentials, so it runs only in a trusted workspace, and the executable
 * comes from a machine-scoped setting (plumbline.drift.terraformPath) that a
 * workspace cannot choose.
 *
 * The streamed output (JSON lines, machine-readable UI version 1) names the
 * drifted resources but not what changed. With `detailed` (the default) the
 * plan is also saved to a private temporary directory and read back through
 * `show -json`, whose `resource_drift` has before/after values; the plan file
 * never lands in the workspace and is deleted afterwards.
 *
 * `applies` only claims initialised roots (`*.tf` files and a `.terraform`
 * directory). If `check` is called for a root that was never initialised, it
 * fails with `not-configured` and the hint "run terraform init in <folder>":
 * a plan there would only print the same advice after a slow start.
 */
export interface TerraformCliOptions {
  /** The terraform or tofu executable: a name looked up on PATH or a full path (plumbline.drift.terraformPath). */
  readonly executable: string;
  /** Also save the plan and read it with `show -json` for attribute-level changes (default true). */
  readonly detailed?: boolean;
  /** Stop reading a command's standard output beyond this many bytes (default 50 MB). */
  readonly maxOutputBytes?: number;
}

const DEFAULT_MAX_OUTPUT = 50 * 1024 * 1024;
const STDERR_KEEP = 16 * 1024;
/** After SIGTERM, how long a process group gets before SIGKILL. */
const KILL_GRACE_MS = 2000;
const PLAN_ARGS = ['plan', '-refresh-only', '-json', '-input=false', '-lock=false'] as const;

/** What running one command needs to know about the program. */
interface Program {
  readonly executable: string;
  /** `terraform` or `tofu`: the word messages and the stack's origin use. */
  readonly tool: 'terraform' | 'tofu';
  readonly maxOutputBytes: number;
}

export class TerraformCliSource implements DriftSource {
  readonly kind = 'terraform' as const;
  private readonly program: Program;
  private readonly detailed: boolean;

  constructor(options: TerraformCliOptions) {
    const executable = options.executable || 'terraform';
    this.program = {
      executable,
      tool: path.basename(executable).toLowerCase().startsWith('tofu') ? 'tofu' : 'terraform',
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT,
    };
    this.detailed = options.detailed ?? true;
  }

  /** `terraform` or `tofu`, from the executable's name. */
  get tool(): 'terraform' | 'tofu' {
    return this.program.tool;
  }

  async applies(root: string): Promise<boolean> {
    return (await hasTerraformFiles(root)) && (await isDirectory(path.join(root, '.terraform')));
  }

  async check(ctx: DriftContext): Promise<DriftStack[]> {
    if (ctx.signal.aborted) throw cancelled(this.tool);
    if (!ctx.trusted)
      throw new DriftError(
        'untrusted',
        `Plumbline does not run ${this.tool} in Restricted Mode: an untrusted workspace may not start programs.`,
        `Trust the folder (command "Workspaces: Manage Workspace Trust") to let Plumbline run \`${this.tool} plan -refresh-only\` there, or use the "state" drift source, which runs nothing.`,
      );
    const dataDir = path.resolve(ctx.root, ctx.env.TF_DATA_DIR || '.terraform');
    if (!(await isDirectory(dataDir)))
      throw new DriftError('not-configured', `${ctx.root} is not initialised (no ${path.basename(dataDir)} directory).`, `Run ${this.tool} init in ${ctx.root}.`);

    const run = new Runner(this.program, ctx);
    const planDir = this.detailed ? await mkdtemp(path.join(os.tmpdir(), 'plumbline-plan-')) : undefined;
    try {
      const planFile = planDir ? path.join(planDir, 'refresh.tfplan') : undefined;
      const stream = await this.plan(run, planFile);
      const checkedAt = ctx.now().toISOString();
      let resources: ResourceDrift[];
      let problem: DriftStack['problem'];
      if (!planFile) resources = stream.drift.map((d) => streamedResource(d, undefined));
      else {
        try {
          resources = mergeDetails(stream.drift, await this.show(run, planFile));
        } catch (err) {
          if (err instanceof DriftError && err.code === 'cancelled') throw err;
          // The streamed result stands on its own; the problem says why the details are missing.
          const e = toDriftError(err);
          problem = { code: e.code, message: `No attribute details: ${e.message}`, ...(e.hint ? { hint: e.hint } : {}) };
          resources = stream.drift.map((d) => streamedResource(d, `\`${this.tool} show -json\` failed`));
        }
      }
      const drifted = resources.filter((r) => r.status === 'drifted' || r.status === 'missing').length;
      return [
        {
          id: `terraform:${ctx.root}`,
          source: 'terraform',
          name: path.basename(ctx.root),
          root: ctx.root,
          status: drifted > 0 ? 'drifted' : 'in-sync',
          checkedAt,
          origin: `${this.tool} plan -refresh-only`,
          resources: sortResources(resources),
          summary: { drifted },
          ...(problem ? { problem } : {}),
        },
      ];
    } finally {
      if (planDir) await rm(planDir, { recursive: true, force: true });
    }
  }

  private async plan(run: Runner, planFile: string | undefined): Promise<PlanStream> {
    const reader = new PlanStreamReader(this.tool);
    const args = planFile ? [...PLAN_ARGS, `-out=${planFile}`] : [...PLAN_ARGS];
    let announced = false;
    const result = await run.exec(args, (line) => {
      reader.accept(line);
      if (!announced && reader.version) {
        announced = true;
        run.log(`${reader.version}, machine-readable UI ${reader.ui}`);
      }
    });
    const stream = reader.finish();
    if (stream.ignoredLines > 0) run.log(`${this.tool} plan: ignored ${stream.ignoredLines} non-JSON line(s)`);
    for (const w of stream.warnings) run.log(`${this.tool} plan warning: ${w}`);
    const firstError = stream.errors[0];
    if (firstError !== undefined || result.code !== 0) {
      const what = firstError ?? `exited with ${result.code === null ? `signal ${result.signal}` : `code ${result.code}`}`;
      throw new DriftError(
        'failed',
        run.scrub(`${this.tool} plan failed: ${what}${stderrNote(result.stderr)}`),
        `Run \`${this.tool} plan -refresh-only\` in ${run.root} to see the full output; the providers need the same credentials in the editor's environment as in your terminal.`,
      );
    }
    if (!stream.sawVersion)
      throw new DriftError(
        'malformed',
        `${this.tool} plan printed no machine-readable output.`,
        `Check that plumbline.drift.terraformPath (${this.program.executable}) is Terraform or OpenTofu.`,
      );
    return stream;
  }

  private async show(run: Runner, planFile: string): Promise<unknown> {
    const lines: string[] = [];
    const result = await run.exec(['show', '-json', planFile], (line) => void lines.push(line));
    if (result.code !== 0)
      throw new DriftError('failed', run.scrub(`\`${this.tool} show -json\` exited with code ${result.code ?? result.signal}${stderrNote(result.stderr)}`));
    const text = lines.join('\n').trim();
    try {
      return JSON.parse(text);
    } catch {
      throw new DriftError('malformed', `\`${this.tool} show -json\` did not print a JSON document.`);
    }
  }

}

function cancelled(tool: string): DriftError {
  return new DriftError('cancelled', `The ${tool} drift check was cancelled.`);
}

/** Why the program did not start. */
function spawnError(program: Program, err: NodeJS.ErrnoException): DriftError {
  const { executable, tool } = program;
  const hint = 'Install Terraform or OpenTofu, or set plumbline.drift.terraformPath (a user setting) to the full path of the executable.';
  const where = executable.includes('/') || executable.includes('\\') ? executable : `${executable} (looked up on PATH)`;
  if (err.code === 'ENOENT') return new DriftError('not-configured', `${tool} not found at ${where}.`, hint);
  if (err.code === 'EACCES') return new DriftError('not-configured', `${tool} at ${where} cannot be run (permission denied).`, hint);
  return new DriftError('failed', `Could not start ${tool} at ${where}: ${err.code ?? err.message}.`, hint);
}

// ---- running a command ------------------------------------------------------------

interface ExecResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** The last STDERR_KEEP characters of standard error. */
  readonly stderr: string;
}

/** Runs the commands of one check under one deadline, one abort signal and one environment. */
class Runner {
  private readonly deadline: number;
  private readonly env: Record<string, string>;
  readonly root: string;

  constructor(
    private readonly program: Program,
    private readonly ctx: DriftContext,
  ) {
    this.root = ctx.root;
    this.deadline = Date.now() + ctx.timeoutMs;
    this.env = {};
    for (const [k, v] of Object.entries(ctx.env)) if (v !== undefined) this.env[k] = v;
    this.env.TF_IN_AUTOMATION = '1';
    this.env.TF_INPUT = '0';
  }

  log(message: string): void {
    this.ctx.log?.(this.scrub(message));
  }

  /** Removes the values of secret-looking environment variables from text a program printed. */
  scrub(text: string): string {
    let out = text;
    for (const [k, v] of Object.entries(this.env)) if (v.length >= 4 && SECRET_NAME.test(k)) out = out.split(v).join('***');
    return out;
  }

  /**
   * Spawns `<executable> ...args` in the root and hands each stdout line to
   * `onLine` as it arrives. A DriftError thrown by `onLine`, the deadline, the
   * abort signal or the output cap stops the process group (SIGTERM, then
   * SIGKILL); the promise settles once the process has exited and its pipes
   * are closed, so normally nothing outlives a check.
   */
  exec(args: readonly string[], onLine: (line: string) => void): Promise<ExecResult> {
    const { ctx, program } = this;
    if (ctx.signal.aborted) return Promise.reject(cancelled(program.tool));
    const remaining = this.deadline - Date.now();
    if (remaining <= 0) return Promise.reject(this.timeout(args[0]));
    return new Promise<ExecResult>((resolve, reject) => {
      let child: ChildProcess;
      try {
        child = spawn(program.executable, args, {
          cwd: ctx.root,
          env: this.env,
          stdio: ['ignore', 'pipe', 'pipe'],
          // Its own process group on POSIX, so stopping it also stops the provider plugins it started.
          detached: process.platform !== 'win32',
          windowsHide: true,
        });
      } catch (err) {
        reject(spawnError(program, err as NodeJS.ErrnoException));
        return;
      }
      let settled = false;
      let stopped: DriftError | undefined;
      let killTimer: NodeJS.Timeout | undefined;
      let bytes = 0;
      let pending = '';
      let stderr = '';
      const decoder = new StringDecoder('utf8');

      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        clearTimeout(killTimer);
        ctx.signal.removeEventListener('abort', onAbort);
        outcome();
      };
      let closed = false;
      const stop = (reason: DriftError) => {
        if (stopped) return;
        stopped = reason;
        if (closed) return;
        killGroup(child, 'SIGTERM');
        killTimer = setTimeout(() => {
          killGroup(child, 'SIGKILL');
          // A process that left the group may still hold the pipes open: stop waiting for it.
          killTimer = setTimeout(() => {
            child.stdout?.destroy();
            child.stderr?.destroy();
            finish(() => reject(reason));
          }, KILL_GRACE_MS);
        }, KILL_GRACE_MS);
      };
      const onAbort = () => stop(cancelled(program.tool));
      const timer = setTimeout(() => stop(this.timeout(args[0])), remaining);
      ctx.signal.addEventListener('abort', onAbort, { once: true });

      const deliver = (line: string) => {
        try {
          onLine(line.endsWith('\r') ? line.slice(0, -1) : line);
        } catch (err) {
          stop(toDriftError(err));
        }
      };
      child.stdout?.on('data', (chunk: Buffer) => {
        if (stopped) return;
        bytes += chunk.length;
        if (bytes > program.maxOutputBytes) {
          stop(new DriftError('malformed', `${program.tool} ${args[0]} printed more than ${program.maxOutputBytes} bytes; Plumbline stopped reading.`));
          return;
        }
        pending += decoder.write(chunk);
        let nl: number;
        while (!stopped && (nl = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, nl);
          pending = pending.slice(nl + 1);
          deliver(line);
        }
      });
      child.stderr?.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEEP);
      });
      child.on('error', (err: NodeJS.ErrnoException) => {
        // Without a pid the program never started; otherwise 'close' follows.
        if (child.pid === undefined) finish(() => reject(spawnError(program, err)));
      });
      child.on('close', (code, signal) => {
        closed = true;
        if (!stopped) {
          pending += decoder.end();
          if (pending) deliver(pending);
        }
        finish(() => (stopped ? reject(stopped) : resolve({ code, signal, stderr })));
      });
      if (child.pid !== undefined) this.log(`started ${program.tool} ${args[0]} in ${ctx.root} (pid ${child.pid})`);
    });
  }

  private timeout(command: string | undefined): DriftError {
    const seconds = Math.round(this.ctx.timeoutMs / 100) / 10;
    return new DriftError(
      'timeout',
      `${this.program.tool} ${command ?? ''} did not finish within the drift time limit (${seconds} s) and was stopped.`,
      `Raise plumbline.drift.timeoutSeconds, or run the plan in a terminal in ${this.ctx.root} to see where it waits (a slow provider API, a credential prompt).`,
    );
  }
}

const SECRET_NAME = /TOKEN|SECRET|PASSW|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_KEY|SESSION|AUTH|_KEY$|^TF_VAR_/i;

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    if (process.platform === 'win32') child.kill(signal);
    else process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function stderrNote(stderr: string): string {
  const tail = stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-3)
    .join(' | ');
  return tail ? ` (stderr: ${truncate(tail, 400)})` : '';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function toDriftError(err: unknown): DriftError {
  return err instanceof DriftError ? err : new DriftError('failed', err instanceof Error ? err.message : String(err));
}

// ---- the JSON-lines stream --------------------------------------------------------

/** One `resource_drift` line. */
export interface StreamedDrift {
  readonly address: string;
  readonly action: string;
}

export interface PlanStream {
  readonly sawVersion: boolean;
  readonly drift: readonly StreamedDrift[];
  /** The `changes` of the last `change_summary` line. */
  readonly summary?: { readonly add: number; readonly change: number; readonly remove: number; readonly operation?: string };
  /** `summary: detail` of each error diagnostic, in order. */
  readonly errors: readonly string[];
  readonly warnings: readonly string[];
  /** Lines that were not a JSON object (plugin noise, a banner). */
  readonly ignoredLines: number;
}

/**
 * Reads `plan -json` output one line at a time. The first JSON line must be
 * the `version` message with a `ui` major version of 1; anything else throws
 * DriftError('malformed') at once, so the caller can stop the process.
 */
export class PlanStreamReader {
  /** The version message's text (`Terraform 1.9.5`), once read. */
  version: string | undefined;
  /** The machine-readable UI version (`1.2`), once read. */
  ui: string | undefined;
  private sawVersion = false;
  private readonly drift = new Map<string, StreamedDrift>();
  private summary: PlanStream['summary'];
  private readonly errors: string[] = [];
  private readonly warnings: string[] = [];
  private ignoredLines = 0;

  constructor(private readonly tool = 'terraform') {}

  accept(line: string): void {
    const text = line.trim();
    if (!text) return;
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      msg = undefined;
    }
    if (!isObject(msg)) {
      this.ignoredLines++;
      return;
    }
    if (!this.sawVersion) {
      this.checkVersion(msg);
      this.sawVersion = true;
      return;
    }
    switch (msg.type) {
      case 'resource_drift':
        return this.acceptDrift(msg);
      case 'change_summary':
        if (isObject(msg.changes)) {
          const c = msg.changes;
          this.summary = { add: num(c.add), change: num(c.change), remove: num(c.remove), ...(typeof c.operation === 'string' ? { operation: c.operation } : {}) };
        }
        return;
      case 'diagnostic':
        return this.acceptDiagnostic(msg);
      default:
        return;
    }
  }

  finish(): PlanStream {
    return {
      sawVersion: this.sawVersion,
      drift: [...this.drift.values()],
      ...(this.summary ? { summary: this.summary } : {}),
      errors: this.errors,
      warnings: this.warnings,
      ignoredLines: this.ignoredLines,
    };
  }

  private checkVersion(msg: Record<string, unknown>): void {
    const hint = `Plumbline reads version 1 of the machine-readable UI (\`${this.tool} plan -json\`); use a Terraform or OpenTofu release that prints it, or update Plumbline.`;
    if (msg.type !== 'version')
      throw new DriftError('malformed', `The output of ${this.tool} plan -json did not start with a version message.`, hint);
    const ui = typeof msg.ui === 'string' || typeof msg.ui === 'number' ? String(msg.ui) : '(none)';
    if (ui.split('.')[0] !== '1') throw new DriftError('malformed', `unsupported machine-readable UI version ${ui}`, hint);
    this.ui = ui;
    this.version = typeof msg['@message'] === 'string' ? msg['@message'] : this.tool;
  }

  private acceptDrift(msg: Record<string, unknown>): void {
    const change = isObject(msg.change) ? msg.change : undefined;
    const resource = change && isObject(change.resource) ? change.resource : undefined;
    const parsed = typeof resource?.addr === 'string' ? parseAddress(resource.addr) : undefined;
    if (!change || !parsed) {
      this.ignoredLines++;
      return;
    }
    const address = formatAddress(parsed);
    this.drift.set(address, { address, action: typeof change.action === 'string' ? change.action : 'update' });
  }

  private acceptDiagnostic(msg: Record<string, unknown>): void {
    const d = isObject(msg.diagnostic) ? msg.diagnostic : {};
    const summary = typeof d.summary === 'string' ? d.summary : typeof msg['@message'] === 'string' ? msg['@message'] : 'unknown problem';
    const detail = typeof d.detail === 'string' && d.detail.trim() ? `: ${truncate(d.detail.trim().replace(/\s*\n\s*/g, ' '), 500)}` : '';
    const level = typeof d.severity === 'string' ? d.severity : msg['@level'];
    if (level === 'error') this.errors.push(`${summary}${detail}`);
    else if (level === 'warning' || level === 'warn') this.warnings.push(`${summary}${detail}`);
  }
}

function num(v: unknown): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

// ---- stack resources --------------------------------------------------------------

/** A resource known only from the stream: its status, no attributes. */
function streamedResource(d: StreamedDrift, why: string | undefined): ResourceDrift {
  const a = parseAddress(d.address)!;
  const missing = d.action === 'delete';
  const what = missing ? 'Deleted outside Terraform: the refresh found no live object' : `Drift detected (${d.action})`;
  return {
    address: d.address,
    mode: a.mode,
    type: a.type,
    name: a.name,
    module: modulePath(a),
    ...(a.key !== undefined ? { key: a.key } : {}),
    status: missing ? 'missing' : 'drifted',
    changes: [],
    message: why ? `${what}; no attribute details (${why}).` : `${what}; the streamed plan output names no attributes.`,
  };
}

/** Attribute details from `show -json` win; streamed addresses it lacks keep their status. */
function mergeDetails(streamed: readonly StreamedDrift[], plan: unknown): ResourceDrift[] {
  const detailed = new Map(driftFromPlan(plan).map((r) => [r.address, r]));
  const out = [...detailed.values()];
  for (const d of streamed) if (!detailed.has(d.address)) out.push(streamedResource(d, 'the saved plan had no details for it'));
  return out;
}

// ---- the root module --------------------------------------------------------------

async function hasTerraformFiles(root: string): Promise<boolean> {
  try {
    const entries = await readdir(root, { withFileTypes: true });
    return entries.some((e) => e.isFile() && e.name.endsWith('.tf'));
  } catch {
    return false;
  }
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}
