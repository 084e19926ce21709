import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic, PublishDiagnosticsParams, TextDocumentContentChangeEvent } from 'vscode-languageserver-protocol';
import { RULE_FAILURE_NOTIFICATION } from '../../server/src/protocol';
import { LspClient } from '../lsp/client';
import { placementPath, type FuzzInput } from './corpus';
import { diff, mutate, type Mutation } from './mutators';
import { deriveSeed, Rng } from './prng';

export interface FuzzOptions {
  readonly seed: number;
  /** Edits per input. */
  readonly editsPerInput: number;
  readonly inputs: readonly FuzzInput[];
  /** Edits sent back to back before waiting for diagnostics and sending requests. */
  readonly batch?: number;
  /** Batches between two restores of the original text (whose findings must come back exactly). */
  readonly restoreEvery?: number;
  /** The bound on every answer: diagnostics of the latest version and each request. */
  readonly timeoutMs?: number;
  readonly log?: (line: string) => void;
  /** Called before each input (progress). */
  readonly onInput?: (input: FuzzInput, index: number) => void;
  /**
   * Whether mutations may write \r (CRLF mixes, a lone \r). Off, they still
   * mix in every other way. See docs/robustness.md: until the server's
   * document store copes with an edit that joins or splits \r\n, such edits
   * make its copy of the text drift from the editor's.
   */
  readonly carriageReturns?: boolean;
}

export interface FuzzTotals {
  inputs: number;
  edits: number;
  requests: number;
  /** The server process exited. */
  crashes: number;
  /** Diagnostics or an answer did not come within the bound. */
  hangs: number;
  /** A rule threw, a request failed, or the server printed an error. */
  exceptions: number;
  /** An invariant (see docs/robustness.md) did not hold. */
  violations: number;
  maxLatencyMs: number;
  /** One line per problem, with what reproduces it. */
  problems: string[];
}

/** The findings as compared: rule id, exact range and message. */
const brief = (d: Diagnostic) => `${String(d.code)}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`;
const briefs = (ds: readonly Diagnostic[]) => ds.filter((d) => d.code !== 'drift').map(brief);

class Hang extends Error {}

function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hang(`no answer within ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A clean Terraform file and a clean manifest in a folder of their own: no edit of the fuzzed file may change their findings. */
const WITNESSES = [
  {
    rel: 'witness/main.tf',
    text: 'resource "aws_s3_bucket" "witness" {\n  bucket = "acme-witness"\n}\n\nresource "aws_instance" "witness" {\n  ami           = "ami-123"\n  instance_type = "t3.micro"\n}\n',
  },
  {
    rel: 'witness/app.yaml',
    text: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: witness\nspec:\n  containers:\n    - name: app\n      image: nginx:latest\n',
  },
];

/**
 * Drives the standalone server (dist/server.js over stdio) with seeded
 * mutations of each input and checks, after each batch of edits, that the
 * server is alive, answers in time, and that the invariants hold.
 */
export async function fuzz(options: FuzzOptions): Promise<FuzzTotals> {
  const totals: FuzzTotals = { inputs: 0, edits: 0, requests: 0, crashes: 0, hangs: 0, exceptions: 0, violations: 0, maxLatencyMs: 0, problems: [] };
  for (const [i, input] of options.inputs.entries()) {
    options.onInput?.(input, i);
    await fuzzInput(input, options, totals);
    totals.inputs++;
  }
  return totals;
}

async function fuzzInput(input: FuzzInput, options: FuzzOptions, totals: FuzzTotals): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 5_000;
  const batch = options.batch ?? 5;
  const restoreEvery = options.restoreEvery ?? 4;
  const rng = new Rng(deriveSeed(options.seed, input.name));
  const root = mkdtempSync(path.join(tmpdir(), 'plumbline-fuzz-'));
  const uriOf = (rel: string) => pathToFileURL(path.join(root, rel)).toString();
  const rel = placementPath(input.placement);
  const uri = uriOf(rel);
  let doc = TextDocument.create(uri, 'plaintext', 1, input.text);
  const reproduce = `FUZZ_SEED=${options.seed} FUZZ_ONLY=${input.name}`;
  let step = 'start';
  let saved: string | undefined;
  const problem = (kind: 'crashes' | 'hangs' | 'exceptions' | 'violations', detail: string) => {
    totals[kind]++;
    // The text at the first problem, to minimise by hand without re-running.
    saved ??= path.join(tmpdir(), `plumbline-fuzz-${options.seed}-${input.name.replace(/[^\w.-]+/g, '_')}.txt`);
    if (!existsSync(saved)) writeFileSync(saved, doc.getText());
    const what = { crashes: 'crash', hangs: 'hang', exceptions: 'exception', violations: 'violation' }[kind];
    const line = `${what} on ${input.name} at ${step}: ${detail.split('\n')[0]!.slice(0, 300)} (${reproduce}; text saved in ${saved})`;
    totals.problems.push(line);
    options.log?.(line);
  };

  for (const w of WITNESSES) {
    mkdirSync(path.dirname(path.join(root, w.rel)), { recursive: true });
    writeFileSync(path.join(root, w.rel), w.text);
  }
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), input.text);

  let client: LspClient;
  try {
    // Bounded too: a server that dies while starting leaves nothing else to wait on.
    client = await within(LspClient.start(root), 15_000, 'server start (initialize)');
  } catch (e) {
    problem('hangs', (e as Error).message);
    rmSync(root, { recursive: true, force: true });
    return;
  }
  let exited = false;
  let stopping = false;
  client.process.once('exit', (code, signal) => {
    exited = true;
    if (stopping && code === 0) return;
    const stderr = client.stderr.join('');
    const error = stderr.split('\n').find((l) => /Error|Unhandled/.test(l)) ?? stderr.slice(-300);
    problem('crashes', `the server exited (code ${code}, signal ${signal}); stderr: ${error.trim()}`);
    if (process.env.FUZZ_STDERR === '1') console.error(stderr); // the whole stack trace
  });
  client.connection.onNotification('window/logMessage', (p: { type: number; message: string }) => {
    // Known, and not caused by the fuzzing: server.ts registers for workspace folder changes
    // without checking that the client supports them (see docs/robustness.md).
    if (p.type === 1 && !p.message.includes("Client doesn't support sending workspace folder change events")) problem('exceptions', `server error log: ${p.message}`);
  });
  client.connection.onNotification(RULE_FAILURE_NOTIFICATION, (p: { ruleId: string; message: string }) =>
    problem('exceptions', `rule ${p.ruleId} threw: ${p.message}`),
  );
  let stderrSeen = 0;
  const checkStderr = () => {
    const text = client.stderr.join('');
    const fresh = text.slice(stderrSeen);
    stderrSeen = text.length;
    if (/Error|Unhandled|exception/i.test(fresh)) problem('exceptions', `server stderr: ${fresh.trim()}`);
  };

  const timed = async <T>(what: string, promise: Promise<T>): Promise<T> => {
    const t0 = performance.now();
    const value = await within(promise, timeoutMs, what);
    totals.maxLatencyMs = Math.max(totals.maxLatencyMs, performance.now() - t0);
    return value;
  };

  try {
    const witnessBaseline = new Map<string, string[]>();
    const witnessText = new Map<string, string>();
    for (const w of WITNESSES) {
      step = `open ${w.rel}`;
      witnessBaseline.set(w.rel, briefs(await timed(step, client.open(uriOf(w.rel), w.text))));
      witnessText.set(w.rel, w.text);
    }
    step = 'open the clean input';
    const baseline = briefs(await timed(step, client.open(uri, input.text)));

    const send = async (m: Mutation, full: boolean): Promise<number> => {
      const change: TextDocumentContentChangeEvent = full
        ? { text: doc.getText().slice(0, m.start) + m.text + doc.getText().slice(m.end) }
        : { range: { start: doc.positionAt(m.start), end: doc.positionAt(m.end) }, text: m.text };
      const version = await client.change(uri, [change]);
      // The mirror is the editor's text. TextDocument.update miscounts lines when an edit
      // joins or splits a \r\n pair, so a text with a \r is re-indexed from scratch.
      const updated = TextDocument.update(doc, [change], version);
      doc = updated.getText().includes('\r') ? TextDocument.create(uri, 'plaintext', version, updated.getText()) : updated;
      totals.edits++;
      return version;
    };

    /** Waits for the diagnostics of `version` and checks every range lies inside the text. */
    const settle = async (version: number): Promise<PublishDiagnosticsParams> => {
      const published = await timed(`diagnostics of version ${version}`, client.diagnostics(uri, version));
      const lines = doc.lineCount;
      for (const d of published.diagnostics) {
        const { start, end } = d.range;
        const inside = (p: { line: number; character: number }) =>
          p.line >= 0 && p.line < lines && p.character >= 0 && doc.offsetAt(p) - doc.offsetAt({ line: p.line, character: 0 }) === p.character;
        if (!inside(start) || !inside(end) || doc.offsetAt(start) > doc.offsetAt(end)) {
          const line = (n: number) => JSON.stringify(doc.getText({ start: { line: n, character: 0 }, end: { line: n + 1, character: 0 } }).slice(0, 120));
          problem('violations', `diagnostic outside the text or reversed: ${brief(d)}; line ${start.line}: ${line(start.line)}`);
        }
        if (!String(d.message).trim()) problem('violations', `diagnostic without a message: ${brief(d)}`);
      }
      return published;
    };

    const requests = async (published: PublishDiagnosticsParams) => {
      const anywhere = () => doc.positionAt(rng.int(doc.getText().length + 1));
      const diagnostics = published.diagnostics.length ? [rng.pick(published.diagnostics)] : [];
      const range = diagnostics[0]?.range ?? { start: anywhere(), end: anywhere() };
      const ordered = doc.offsetAt(range.start) <= doc.offsetAt(range.end) ? range : { start: range.end, end: range.start };
      const calls: [string, unknown][] = [
        ['textDocument/hover', { textDocument: { uri }, position: anywhere() }],
        ['textDocument/codeAction', { textDocument: { uri }, range: ordered, context: { diagnostics } }],
        ['textDocument/codeLens', { textDocument: { uri } }],
      ];
      for (const [method, params] of calls) {
        step = method;
        try {
          await timed(method, client.request(method, params));
        } catch (e) {
          if (e instanceof Hang) throw e;
          problem('exceptions', `${method} failed: ${(e as Error).message}`);
        }
        totals.requests++;
      }
    };

    /** Re-analyses each witness (a trailing newline added or taken away) and requires its baseline findings. */
    const checkWitnesses = async () => {
      for (const w of WITNESSES) {
        step = `witness ${w.rel}`;
        const before = witnessText.get(w.rel)!;
        const after = before.endsWith('\n\n') ? before.slice(0, -1) : `${before}\n`;
        witnessText.set(w.rel, after);
        const version = await client.change(uriOf(w.rel), [{ text: after }]);
        const got = briefs((await timed(step, client.diagnostics(uriOf(w.rel), version))).diagnostics);
        if (JSON.stringify(got) !== JSON.stringify(witnessBaseline.get(w.rel)))
          problem('violations', `findings of ${w.rel} changed: ${JSON.stringify(got)} instead of ${JSON.stringify(witnessBaseline.get(w.rel))}`);
      }
    };

    const restore = async () => {
      step = 'restore the original text';
      const version = await send(diff(doc.getText(), input.text), false);
      totals.edits--; // the restore is not a mutation
      const got = briefs((await settle(version)).diagnostics);
      if (JSON.stringify(got) !== JSON.stringify(baseline))
        problem('violations', `after restoring the original text the findings differ: ${JSON.stringify(got)} instead of ${JSON.stringify(baseline)}`);
    };

    let done = 0;
    let batches = 0;
    while (done < options.editsPerInput && !exited) {
      let version = 0;
      const names: string[] = [];
      for (let i = 0; i < batch && done < options.editsPerInput; i++, done++) {
        const raw = mutate(doc.getText(), rng);
        const m = options.carriageReturns === false ? { ...raw, text: raw.text.replace(/\r/g, '') } : raw;
        names.push(m.name);
        // One edit in ten replaces the whole text, as some clients do.
        version = await send(m, rng.chance(0.1));
      }
      step = `batch ${batches + 1} (edits ${done - names.length + 1}-${done}: ${names.join(', ')})`;
      await requests(await settle(version));
      checkStderr();
      if (++batches % restoreEvery === 0) {
        await restore();
        await checkWitnesses();
      }
    }
    if (!exited) {
      await restore();
      await checkWitnesses();
    }
    checkStderr();
  } catch (e) {
    if (exited) {
      // Counted as a crash already: what was waiting on the server is no hang.
    } else if (e instanceof Hang) problem('hangs', e.message);
    else problem('exceptions', `the driver failed: ${(e as Error).stack ?? e}`);
  } finally {
    if (client.isRunning()) {
      stopping = true;
      try {
        await within(client.stop(), timeoutMs, 'shutdown');
      } catch {
        client.process.kill('SIGKILL'); // our own child, stuck: stop it by its handle
      }
    }
    client.connection.dispose();
    rmSync(root, { recursive: true, force: true });
  }
}
