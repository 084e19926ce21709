import type { TextDocumentEdit, WorkspaceEdit } from 'vscode-languageserver-types';
import { collectFiles } from '../cli/files';
import { fixAll } from '../fixes/engine';
import type { FixAllWorkspaceResult } from '../protocol';
import { toPath, toUri, type LanguageService } from '../service/languageService';

const ANNOTATION = 'plumbline.fixAll';

/**
 * Every safe fix in the files under `roots`, one edit per file, annotated so
 * the editor asks for confirmation and shows a preview first. Open documents
 * are edited at their current version; files on disk at whatever they hold.
 */
export function fixAllWorkspace(service: LanguageService, roots: readonly string[]): FixAllWorkspaceResult {
  const changes: TextDocumentEdit[] = [];
  let fixes = 0;
  // Files on disk, and open documents under the roots that exist only in the editor.
  const within = (uri: string) => roots.some((r) => toPath(uri).startsWith(toPath(r).replace(/\/?$/, '/')));
  const uris = new Set([...collectFiles(roots.map(toPath)).map(toUri), ...service.openDocuments().filter(within)]);
  for (const uri of [...uris].sort()) {
    const result = fixAll(service, uri);
    if (!result.edit || result.applied.length === 0) continue;
    fixes += result.applied.length;
    changes.push({
      textDocument: { uri, version: service.isOpen(uri) ? (service.version(uri) ?? null) : null },
      edits: [{ range: result.edit.range, newText: result.edit.newText, annotationId: ANNOTATION }],
    });
  }
  if (changes.length === 0) return { files: 0, fixes: 0 };
  const edit: WorkspaceEdit = {
    documentChanges: changes,
    changeAnnotations: {
      [ANNOTATION]: { label: `Plumbline: ${fixes} safe fix${fixes === 1 ? '' : 'es'}`, needsConfirmation: true, description: 'verified quick fixes' },
    },
  };
  return { edit, files: changes.length, fixes };
}
