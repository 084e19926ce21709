import * as path from 'node:path';
import type { Finding } from '../engine/finding';
import type { RuleFailure } from '../engine/run';
import { LanguageService, toPath, toUri } from '../service/languageService';

export interface Report {
  readonly fileCount: number;
  /** Sorted by file, then position; `file` is relative to `cwd`. */
  readonly findings: (Finding & { file: string })[];
  readonly failures: (RuleFailure & { file: string })[];
}

/** Analyses files on disk with the same engine the editor uses. */
export async function check(files: readonly string[], roots: readonly string[], cwd: string, configFile?: string): Promise<Report> {
  const service = await LanguageService.create({ roots, ...(configFile ? { configFile } : {}) });
  return checkWith(service, files, cwd, configFile);
}

/** `check` with a service the caller holds (the editor's, with its settings and open buffers). Synchronous. */
export function checkWith(service: LanguageService, files: readonly string[], cwd: string, configFile?: string): Report {
  const uris = files.map(toUri);
  const results = service.analyzeMany(uris);
  const rel = (uri: string) => path.relative(cwd, toPath(uri)).split(path.sep).join('/');
  const findings: Report['findings'] = [];
  const failures: Report['failures'] = [];
  for (const uri of uris) {
    const r = results.get(uri);
    if (!r) continue;
    findings.push(...r.findings.map((f) => ({ ...f, file: rel(f.uri) })));
    for (const fail of r.failures) if (!failures.some((x) => x.ruleId === fail.ruleId && x.error === fail.error)) failures.push({ ...fail, file: rel(uri) });
  }
  findings.sort(
    (a, b) => a.file.localeCompare(b.file) || a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character || a.ruleId.localeCompare(b.ruleId),
  );
  // Problems of a --config file outside the checked paths are findings too: a broken policy must be seen.
  const configUri = configFile ? toUri(path.resolve(configFile)) : undefined;
  if (configUri && !uris.includes(configUri)) findings.unshift(...service.baseConfigProblems().map((f) => ({ ...f, file: rel(f.uri) })));
  return { fileCount: files.length, findings, failures };
}
