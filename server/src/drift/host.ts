import { statSync } from 'node:fs';
import type { LanguageService } from '../service/languageService';
import { toPath, toUri } from '../service/languageService';
import { collectFiles } from '../cli/files';
import { manifestsOf, type Manifest } from './manifests';
import { confinedFileSystem, describePath, nodeFileSystem } from '../service/fileSystem';
import type { DriftSettings } from '../settings';
import { findModuleDirs, type DriftHost } from './service';
import { ArgoCdSource } from './argocd/source';
import { KubernetesSource } from './kubernetes/source';
import { HcpSource } from './sources/hcp';
import { StateSource } from './sources/state';
import { TerraformCliSource } from './sources/terraformCli';
import type { DriftSource, DriftSourceKind } from './types';

/**
 * Wires the drift core to the language service: module files come from it
 * (open buffers win over disk), so the state source compares the code as
 * typed and declarations map to the current text.
 */
export function driftHost(
  service: LanguageService,
  options: Pick<DriftHost, 'env' | 'trusted' | 'secret' | 'timeoutMs' | 'log'> & { roots?: () => readonly string[] },
): DriftHost {
  // The YAML files under each folder, listed once per drift check: diagnostics map
  // results on every edit and must not walk the disk (open buffers are added each time).
  const listed = new Map<string, readonly string[]>();
  const yamlFiles = (root: string) => {
    let uris = listed.get(root);
    if (!uris) listed.set(root, (uris = collectFiles([root]).map(toUri)));
    return uris;
  };
  const roots = options.roots ?? (() => service.roots());
  // Module files and state come through the service, whose file system the server confines; the
  // walk for root modules reads the disk itself, so it is confined the same way here: untrusted,
  // a linked directory that leads out of the folders is not listed.
  const disk = confinedFileSystem(nodeFileSystem, { roots, trusted: options.trusted, ...(options.log ? { onRefused: (p: string, real: string) => options.log!(refusedMessage(describePath(p, real))) } : {}) });
  return {
    roots,
    moduleDirs: (root) => findModuleDirs(root, (d) => disk.readDir(d), isDirectory),
    files: (dir) => {
      const files = service.moduleAt(dir).files;
      return files.length ? files : undefined;
    },
    read: (file) => service.text(toUri(file)),
    manifests: (root) => workspaceManifests(service, root, yamlFiles(root)),
    invalidate: () => listed.clear(),
    env: options.env,
    trusted: options.trusted,
    secret: options.secret,
    timeoutMs: options.timeoutMs,
    ...(options.log ? { log: options.log } : {}),
  };
}

let hcpSource: HcpSource | undefined;

/** The sources the settings enable, in the panel's order. */
export function driftSources(service: LanguageService, settings: DriftSettings, secret: (key: string) => Promise<string | undefined> = async () => undefined): DriftSource[] {
  const make: Partial<Record<DriftSourceKind, () => DriftSource>> = {
    state: () =>
      new StateSource({
        moduleAt: (dir) => service.moduleAt(dir),
        readFile: (file) => service.text(toUri(file)),
        modifiedAt,
      }),
    terraform: () => new TerraformCliSource({ executable: settings.terraformPath }),
    // One per process: it keeps its HCL parser across checks.
    hcp: () => (hcpSource ??= new HcpSource()),
    argocd: () => new ArgoCdSource({ secret }),
    kubernetes: () => new KubernetesSource({ manifests: (root) => workspaceManifests(service, root), context: () => settings.kubernetesContext || undefined }),
  };
  return (['state', 'hcp', 'terraform', 'kubernetes', 'argocd'] as const).flatMap((k) => (settings.sources.includes(k) && make[k] ? [make[k]()] : []));
}

/**
 * The Kubernetes manifests under a workspace folder, open buffers first (what
 * `plumbline check` would read: `.yaml`/`.yml` files outside node_modules, .git, .terraform).
 */
export function workspaceManifests(service: LanguageService, root: string, onDisk: readonly string[] = collectFiles([root]).map(toUri)): Manifest[] {
  const inRoot = (uri: string) => toPath(uri).startsWith(root.replace(/\/?$/, '/'));
  const uris = new Set([...onDisk, ...service.openDocuments().filter(inRoot)]);
  const files = [...uris]
    .filter((u) => service.kindOf(u) === 'yaml' && !u.endsWith('/.plumbline.yaml'))
    .sort()
    .flatMap((u) => {
      const f = service.yamlFile(u);
      return f ? [f] : [];
    });
  return manifestsOf(files);
}

/** What the log says when Restricted Mode keeps a path from being read. */
export function refusedMessage(p: string): string {
  return `Restricted Mode: ${p} is outside the workspace folders, so drift does not read it; trust the workspace to include it.`;
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function modifiedAt(file: string): Date | undefined {
  try {
    const s = statSync(file);
    return s.isFile() ? s.mtime : undefined;
  } catch {
    return undefined;
  }
}
