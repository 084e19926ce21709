import { existsSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { atLeast, SEVERITIES, type Severity } from '../engine/severity';
import { DRIFT_SOURCE_KINDS, type DriftSourceKind } from '../drift/types';
import { driftExitCode, formatDriftJson, formatDriftText, runDrift } from './drift';
import { report as evidenceReport } from './evidence';
import { collectFiles, UsageError } from './files';
import { formatJson } from './formats/json';
import { formatText } from './formats/text';
import { check } from './report';
import { formatSuppressionsJson, formatSuppressionsText, listSuppressions } from './suppressions';

const USAGE = `Usage: plumbline check [paths…] [--format text|json] [--fail-on critical|high|medium|low|info] [--config file]
       plumbline suppressions [paths…] [--format text|json]
       plumbline drift [folders…] [--source state|terraform|hcp|kubernetes|argocd] [--format text|json]
                       [--terraform path] [--context kubeconfig-context] [--timeout seconds]
       plumbline report [paths…] [--format html|json] [--output file] [--config file]
                       [--drift state|terraform|hcp|kubernetes|argocd|none]

check         Analyses Terraform, Kubernetes manifests, GitHub Actions workflows and
              GitLab CI files with the same engine as the editor.
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
.plumbline.yaml files from its root down to its folder; --config applies a
config file first, under those.

Exit codes: check: 0 no finding at or above --fail-on (default high), 1 findings;
suppressions and report: 0; drift: 0 in sync, 1 drift found, 2 a root could not be checked.
All: 2 usage error.`;

type Output = NodeJS.WritableStream & { isTTY?: boolean };

export async function main(argv: readonly string[], out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--help' || command === '-h' || command === 'help') {
    out.write(`${USAGE}\n`);
    return 0;
  }
  if (command !== 'check' && command !== 'suppressions' && command !== 'drift' && command !== 'report') {
    err.write(`${command ? `unknown command: ${command}\n` : ''}${USAGE}\n`);
    return 2;
  }
  try {
    if (command === 'report') return await evidenceReport(rest, out, err, USAGE);
    const { values, positionals } = parseArgs({
      args: [...rest],
      allowPositionals: true,
      options: {
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        ...(command === 'check' ? { 'fail-on': { type: 'string' as const, default: 'high' } } : {}),
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
    const failOn = values['fail-on'] as Severity | undefined;
    if (command === 'check' && !SEVERITIES.includes(failOn!)) throw new UsageError(`unknown --fail-on ${failOn}: use ${SEVERITIES.join(', ')}`);
    const cwd = process.cwd();
    const paths = positionals.length ? positionals : ['.'];
    if (command === 'drift') return await drift(values as unknown as Record<string, string>, paths, cwd, format, out);
    const files = collectFiles(paths);
    const roots = [...new Set([cwd, ...paths.filter((p) => isDir(p)).map((p) => path.resolve(p))])];
    if (command === 'suppressions') {
      const entries = await listSuppressions(files, roots, cwd);
      out.write(`${format === 'json' ? formatSuppressionsJson(entries) : formatSuppressionsText(entries)}\n`);
      return 0;
    }
    if (values.config !== undefined && !existsSync(values.config)) throw new UsageError(`no such config file: ${values.config}`);
    const report = await check(files, roots, cwd, values.config);
    for (const f of report.failures) err.write(`plumbline: rule ${f.ruleId} failed on ${f.file}: ${f.error.split('\n')[0]}\n`);
    out.write(`${format === 'json' ? formatJson(report) : formatText(report, !!out.isTTY && !process.env.NO_COLOR)}\n`);
    // info never counts toward a gate (catalog §2).
    return report.findings.some((f) => f.severity !== 'info' && atLeast(f.severity, failOn!)) ? 1 : 0;
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

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`plumbline: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(2);
    },
  );
}
