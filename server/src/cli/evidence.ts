import { existsSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { DRIFT_SOURCE_KINDS, type DriftSourceKind } from '../drift/types';
import { buildEvidence, defaultDriftSource } from '../evidence/build';
import { evidenceHtml } from '../evidence/html';
import { UsageError } from './files';

type Output = NodeJS.WritableStream;

/**
 * `plumbline report [paths…] [--format html|json] [--output file]
 * [--config file] [--drift state|terraform|hcp|kubernetes|argocd|none]`: writes the evidence
 * file. Exit 0 whatever the findings (gating is `check`'s job); a bad
 * argument throws UsageError, which main turns into exit 2.
 */
export async function report(args: readonly string[], out: Output, err: Output, usage: string): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'html' },
      output: { type: 'string', short: 'o' },
      config: { type: 'string' },
      drift: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(`${usage}\n`);
    return 0;
  }
  const format = values.format!;
  if (format !== 'html' && format !== 'json') throw new UsageError(`unknown --format ${format}: use html or json`);
  const drift = values.drift;
  if (drift !== undefined && drift !== 'none' && !DRIFT_SOURCE_KINDS.includes(drift as DriftSourceKind))
    throw new UsageError(`unknown --drift ${drift}: use ${DRIFT_SOURCE_KINDS.join(', ')} or none`);
  if (values.config !== undefined && !existsSync(values.config)) throw new UsageError(`no such config file: ${values.config}`);
  if (values.output !== undefined && (values.output === '' || isDir(values.output))) throw new UsageError(`--output needs a file name, not ${values.output || 'an empty one'}`);
  const cwd = process.cwd();
  const paths = positionals.length ? positionals : ['.'];
  for (const p of paths) if (!existsSync(p)) throw new UsageError(`no such file or directory: ${p}`);
  const roots = [...new Set([cwd, ...paths.filter(isDir).map((p) => path.resolve(p))])];
  const driftSource = drift === 'none' ? undefined : ((drift as DriftSourceKind | undefined) ?? defaultDriftSource(paths, cwd));
  const evidence = await buildEvidence({
    paths,
    cwd,
    roots,
    ...(values.config !== undefined ? { configFile: values.config } : {}),
    ...(driftSource ? { driftSource } : {}),
    env: process.env,
  });
  for (const f of evidence.findings.ruleFailures) err.write(`plumbline: rule ${f.ruleId} failed on ${f.file}: ${f.error}\n`);
  const text = format === 'json' ? `${JSON.stringify(evidence, null, 2)}\n` : evidenceHtml(evidence);
  if (values.output === undefined) out.write(text);
  else {
    writeFileSync(values.output, text);
    const v = evidence.verdict;
    err.write(`plumbline: evidence written to ${values.output} (${v.findings} finding(s), ${evidence.suppressions.total} suppression(s)${v.driftCount === null ? '' : `, ${v.driftCount} drifted resource(s)`}).\n`);
  }
  return 0;
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
