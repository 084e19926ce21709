import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DRIFT_SOURCE_KINDS, type DriftSourceKind } from '../drift/types';
import { toolVersion } from '../evidence/build';
import { checkCommand, isDir } from './checkCommand';
import { driftExitCode, formatDriftJson, formatDriftText, runDrift } from './drift';
import { report as evidenceReport } from './evidence';
import { collectFiles, UsageError } from './files';
import { rulesCommand } from './rulesCommand';
import { formatSuppressionsJson, formatSuppressionsText, listSuppressions } from './suppressions';

const USAGE = `Usage: plumbline check [paths…] [--format F[=file]]… [--output file] [--fail-on S] [--max-warnings N]
                       [--baseline file] [--baseline-write file] [--changed-since git-ref] [--config file]
                       [--workers N]
       plumbline rules [--format text|json]
       plumbline suppressions [paths…] [--format text|json]
       plumbline drift [folders…] [--source state|terraform|hcp|kubernetes|argocd] [--format text|json]
                       [--terraform path] [--context kubeconfig-context] [--timeout seconds]
       plumbline report [paths…] [--format html|json] [--output file] [--config file]
                       [--drift state|terraform|hcp|kubernetes|argocd|none]
       plumbline --version | --help

check         Analyses Terraform, Kubernetes manifests, GitHub Actions workflows and
              GitLab CI files with the same engine as the editor.
  --format F      text (default), json, sarif, junit or codequality (GitLab). Repeat it
                  to write several: name=file writes to a file; at most one goes to
                  stdout, and the text report does when none is given.
  --output file   writes the stdout format to this file instead.
  --fail-on S     critical, high (default), medium, low or info: a finding at or
                  above it fails the run (info findings never do).
  --max-warnings N  also fail when more than N findings are warnings (below
                  --fail-on, not info).
  --baseline file   reports only findings the baseline does not record.
  --baseline-write file  records every current finding by fingerprint and exits 0.
  --changed-since ref    analyses only what changed since the git ref (committed,
                  staged, unstaged, untracked), each changed Terraform file's whole
                  module, and what a changed .plumbline.yaml governs.
  --config file   applies a config file first, under the .plumbline.yaml files.
  --workers N     analyses on N threads (default: one per core from 400 files on,
                  else 1); each Terraform module stays on one thread and the
                  report is the same. On a terminal, text findings print as they
                  are found, the summary at the end.
rules         Lists every built-in rule: id, severity, domain, title, params with
              defaults, control mappings and documentation link.
suppressions  Lists every plumbline:ignore directive with its rules, reason, expiry
              and status (active, unused, expired, invalid), for waiver reviews.
drift         Checks whether what runs has drifted from the code, per root module:
              state (default) compares the code with the local terraform.tfstate;
              terraform runs terraform plan -refresh-only (--terraform picks the
              executable, e.g. tofu); hcp reads HCP Terraform health assessments
              (token from TF_TOKEN_<host> or terraform login's credentials);
              kubernetes compares the folder's manifests with the cluster of the
              kubeconfig (server-side dry run; --context picks the context);
              argocd reads the Argo CD applications built from the folder
              (ARGOCD_SERVER, ARGOCD_AUTH_TOKEN).
report        Writes a governance evidence file (html by default, or json) for
              audits: commit, config and policy file hashes, the rule set and its
              hash, findings, suppressions and drift. --drift defaults to state
              when a terraform.tfstate lies under the paths, else none.
Paths default to the current directory. Each file is checked with the
.plumbline.yaml files from its root down to its folder.

Exit codes: check: 0 passed, 1 the gate failed (--fail-on, --max-warnings);
rules, suppressions and report: 0; drift: 0 in sync, 1 drift found, 2 a root
could not be checked. All: 2 usage or config error (bad flag, unknown git ref,
unreadable baseline). Reference: docs/cli.md.`;

type Output = NodeJS.WritableStream & { isTTY?: boolean };

export async function main(argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (command === '--version' || command === '-V') {
    out.write(`${toolVersion()}\n`);
    return 0;
  }
  if (command !== 'check' && command !== 'rules' && command !== 'suppressions' && command !== 'drift' && command !== 'report') {
    err.write(`${command ? `unknown command: ${command}\n` : ''}${USAGE}\n`);
    return 2;
  }
  try {
    if (command === 'check') return await checkCommand(rest, out, err, USAGE);
    if (command === 'rules') return rulesCommand(rest, out, USAGE);
    if (command === 'report') return await evidenceReport(rest, out, err, USAGE);
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        ...(command === 'drift'
          ? {
              source: { type: 'string' as const, default: 'state' },
              terraform: { type: 'string' as const, default: 'terraform' },
              context: { type: 'string' as const },
              timeout: { type: 'string' as const, default: '120' },
            }
          : {}),
        help: { type: 'boolean', short: 'h' },
      },
    });
    if (values.help) {
      out.write(`${USAGE}\n`);
      return 0;
    }
    const format = values.format!;
    if (format !== 'text' && format !== 'json') throw new UsageError(`unknown --format ${format}: use text or json`);
    const cwd = process.cwd();
    const paths = positionals.length ? positionals : ['.'];
    if (command === 'drift') return await drift(values as unknown as Record<string, string>, paths, cwd, format, out);
    const files = collectFiles(paths);
    const roots = [...new Set([cwd, ...paths.filter((p) => isDir(p)).map((p) => path.resolve(p))])];
    const entries = await listSuppressions(files, roots, cwd);
    out.write(`${format === 'json' ? formatSuppressionsJson(entries) : formatSuppressionsText(entries)}\n`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      err.write(`plumbline: ${(e as Error).message}\n${USAGE}\n`);
      return 2;
    }
    throw e;
  }
}

async function drift(values: Record<string, string>, paths: string[], cwd: string, format: string, out: Output): Promise<number> {
  const source = values.source as DriftSourceKind;
  if (!DRIFT_SOURCE_KINDS.includes(source)) throw new UsageError(`unknown --source ${source}: use ${DRIFT_SOURCE_KINDS.join(', ')}`);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) throw new UsageError(`--timeout must be a number of seconds, not ${values.timeout}`);
  for (const p of paths) if (!isDir(p)) throw new UsageError(`not a directory: ${p} (drift takes folders: root modules, or manifests for kubernetes and argocd)`);
  const report = await runDrift({
    source,
    roots: paths.map((p) => path.resolve(p)),
    cwd,
    terraformPath: values.terraform!,
    ...(values.context ? { kubernetesContext: values.context } : {}),
    timeoutSeconds,
    env: process.env,
  });
  out.write(`${format === 'json' ? formatDriftJson(report, cwd) : formatDriftText(report, cwd, !!out.isTTY && !process.env.NO_COLOR)}\n`);
  return driftExitCode(report);
}

/** Resolves once everything written to the stream so far has been handed to the OS (a pipe is written asynchronously). */
function drained(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => stream.write('', () => resolve()));
}

if (require.main === module) {
  // Exit only after stdout and stderr are flushed: process.exit() would cut a large report short when stdout is a pipe.
  const exit = (code: number) => void Promise.all([drained(process.stdout), drained(process.stderr)]).then(() => process.exit(code));
  main(process.argv.slice(2)).then(exit, (e: unknown) => {
    process.stderr.write(`plumbline: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    exit(2);
  });
}
