import * as path from 'node:path';
import { collectFiles } from '../cli/files';
import type { Finding } from '../engine/finding';
import type { AnalyzeWorkspaceResult } from '../protocol';
import { toPath, toUri, type AnalysisResult, type LanguageService } from '../service/languageService';

export interface AnalyzeWorkspaceOptions {
  /** Called with each analysed file's findings (the server publishes them). */
  readonly publish: (uri: string, findings: readonly Finding[]) => void;
  /** Called after each batch with the files done so far and the total. */
  readonly progress?: (done: number, total: number) => void;
  /** Stops between batches when it returns true (the user cancelled). */
  readonly cancelled?: () => boolean;
  /** Yields to the event loop between batches, so other requests are served meanwhile. */
  readonly yieldBetweenBatches?: () => Promise<void>;
}

/** Files per batch between progress reports (a Terraform module is never split). */
const BATCH = 50;

/**
 * Analyses every Plumbline file under `roots` (files on disk, and open
 * documents under the roots that exist only in the editor) with
 * `analyzeMany`, which evaluates each Terraform module once. Batches are
 * whole directories, so a module's files are analysed together.
 */
export async function analyzeWorkspace(
  service: LanguageService,
  roots: readonly string[],
  options: AnalyzeWorkspaceOptions,
): Promise<Omit<AnalyzeWorkspaceResult, 'disabledFolders'>> {
  const within = (uri: string) => roots.some((r) => toPath(uri).startsWith(toPath(r).replace(/\/?$/, '/')));
  const uris = [...new Set([...collectFiles(roots.map(toPath)).map(toUri), ...service.openDocuments().filter(within)])].sort();
  const byDir = new Map<string, string[]>();
  for (const uri of uris) {
    const dir = path.dirname(toPath(uri));
    byDir.set(dir, [...(byDir.get(dir) ?? []), uri]);
  }
  const batches: string[][] = [];
  let current: string[] = [];
  for (const members of byDir.values()) {
    if (current.length > 0 && current.length + members.length > BATCH) {
      batches.push(current);
      current = [];
    }
    current.push(...members);
  }
  if (current.length > 0) batches.push(current);

  const bySeverity: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  let files = 0;
  let filesWithFindings = 0;
  let findings = 0;
  options.progress?.(0, uris.length);
  for (const batch of batches) {
    if (options.cancelled?.()) break;
    const results: Map<string, AnalysisResult> = service.analyzeMany(batch);
    for (const [uri, result] of results) {
      files++;
      if (result.findings.length > 0) filesWithFindings++;
      findings += result.findings.length;
      for (const f of result.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
      options.publish(uri, result.findings);
    }
    options.progress?.(files, uris.length);
    // Memory stays bounded by a batch: what was read from disk is read again if needed.
    service.forgetClosed();
    await options.yieldBetweenBatches?.();
  }
  return { files, filesWithFindings, findings, bySeverity };
}
