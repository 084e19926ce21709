import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { folderChain } from '../config/effective';
import { toJs } from '../config/load';
import { PRESETS } from '../config/presets';
import { parseYaml } from '../parsers/yaml/parser';
import { POLICY_DIR } from '../policy';
import { toPath, toUri, type LanguageService } from '../service/languageService';
import { sha256Hex } from './hash';
import type { EvidenceConfigFile } from './types';

/** Config files in force, by absolute path, with the role each played; and the presets they extend. */
export interface AppliedConfig {
  readonly files: Map<string, EvidenceConfigFile['role']>;
  readonly presets: Set<string>;
}

export function emptyApplied(): AppliedConfig {
  return { files: new Map(), presets: new Set() };
}

/**
 * Adds the configuration that applies to the document `uri` to `into`: the service's
 * chain of .plumbline.yaml files (and the --config file), the files they
 * `extends` (followed the way the config resolver does), and the policy
 * files of every folder from the root down.
 */
export function collectAppliedConfig(service: LanguageService, uri: string, baseConfig: string | undefined, into: AppliedConfig): void {
  const config = service.configFor(uri);
  const dir = path.dirname(toPath(uri));
  for (const file of config.files) {
    add(into, file, file === baseConfig ? 'base' : 'config');
    followExtends(service, file, into, new Set([file]));
  }
  for (const folder of folderChain(dir, service.roots())) {
    const policyDir = path.join(folder, POLICY_DIR);
    for (const name of listDir(policyDir).sort()) if (/\.ya?ml$/.test(name)) add(into, path.join(policyDir, name), 'policy');
  }
}

function followExtends(service: LanguageService, file: string, into: AppliedConfig, seen: Set<string>): void {
  const text = service.text(toUri(file));
  if (text === undefined) return;
  const root = parseYaml(toUri(file), text, { kindOf: () => 'other' }).documents[0]?.root;
  const data = toJs(root) as { extends?: unknown } | null;
  const entries = data && typeof data === 'object' && !Array.isArray(data) ? [data.extends ?? []].flat() : [];
  for (const entry of entries) {
    if (typeof entry !== 'string') continue;
    if (Object.hasOwn(PRESETS, entry)) {
      into.presets.add(entry);
      continue;
    }
    const target = path.resolve(path.dirname(file), entry);
    if (seen.has(target) || service.text(toUri(target)) === undefined) continue;
    seen.add(target);
    add(into, target, 'extends');
    followExtends(service, target, into, seen);
  }
}

/** A file keeps the first role it was seen in (a tree config that another one also extends stays `config`). */
function add(into: AppliedConfig, file: string, role: EvidenceConfigFile['role']): void {
  if (!into.files.has(file)) into.files.set(file, role);
}

/**
 * The evidence rows: each file's SHA-256 over its bytes on disk (what
 * `sha256sum` prints, so an auditor can check a checkout against the
 * report), sorted by path.
 */
export function configFileRows(service: LanguageService, applied: AppliedConfig, rel: (file: string) => string): EvidenceConfigFile[] {
  return [...applied.files]
    .map(([file, role]): EvidenceConfigFile => {
      let bytes: Buffer | undefined;
      try {
        bytes = readFileSync(file);
      } catch {
        bytes = undefined;
      }
      const used = service.text(toUri(file));
      const unsaved = used !== undefined && (bytes === undefined || used !== bytes.toString('utf8'));
      return { path: rel(file), role, sha256: bytes ? sha256Hex(bytes) : null, bytes: bytes ? bytes.length : null, ...(unsaved ? { unsaved: true } : {}) };
    })
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** One hash for the whole configuration: over "sha256  path" lines, sorted, newline-terminated. */
export function configHashOf(files: readonly EvidenceConfigFile[]): string {
  return sha256Hex(
    files
      .map((f) => `${f.sha256 ?? '-'}  ${f.path}\n`)
      .sort()
      .join(''),
  );
}

function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
