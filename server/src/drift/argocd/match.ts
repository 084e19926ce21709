/**
 * Which Argo CD applications a workspace folder feeds: an application
 * matches when one of its sources names the folder's git repository (however
 * the URL is spelled) and a path that is the folder, lies inside it, or holds
 * it. Pure functions, no I/O.
 */

/** The parts of a repository URL that identify it: `github.com/acme/deploy`. */
export interface RepoId {
  readonly host: string;
  /** Path without leading or trailing slashes and without `.git`; lower case. */
  readonly path: string;
}

/**
 * `git@github.com:Acme/Deploy.git`, `ssh://git@github.com:22/acme/deploy`,
 * `https://user@GitHub.com/acme/deploy/` all give `github.com` + `acme/deploy`.
 * The scheme, user, port and `.git` suffix are dropped: an app that deploys
 * over HTTPS from a repository cloned over SSH is the same repository.
 * The path is compared without case, as Argo CD itself does (it lower-cases
 * whole URLs before comparing them). Undefined for text that is no repository URL.
 */
export function repoId(url: string): RepoId | undefined {
  const text = url.trim();
  if (!text) return undefined;
  let host: string;
  let rest: string;
  const withScheme = /^([a-z][a-z0-9+.-]*):\/\/(?:[^/@]*@)?([^/:]+|\[[^\]]+\])(?::\d*)?(\/.*)?$/i.exec(text);
  if (withScheme) {
    host = withScheme[2]!;
    rest = withScheme[3] ?? '';
  } else {
    // scp-like syntax: [user@]host:path (a single letter before ':' is a Windows drive, not a host).
    const scp = /^(?:[^@/]+@)?([^:/]{2,}):(.*)$/.exec(text);
    if (!scp) return undefined;
    host = scp[1]!;
    rest = scp[2]!;
  }
  const repoPath = rest
    .split(/[?#]/)[0]!
    .replace(/\/+/g, '/')
    .replace(/^\/|\/$/g, '')
    .replace(/\.git$/i, '')
    .replace(/\/$/, '')
    .toLowerCase();
  if (!host || !repoPath) return undefined;
  return azureDevOps({ host: host.toLowerCase(), path: repoPath });
}

/**
 * Azure DevOps spells one repository differently per protocol:
 * `git@ssh.dev.azure.com:v3/org/project/repo` and
 * `https://dev.azure.com/org/project/_git/repo` (or `org.visualstudio.com/project/_git/repo`).
 */
function azureDevOps(id: RepoId): RepoId {
  const parts = id.path.split('/');
  if ((id.host === 'ssh.dev.azure.com' || id.host.endsWith('vs-ssh.visualstudio.com')) && parts[0] === 'v3' && parts.length === 4) {
    return { host: 'dev.azure.com', path: `${parts[1]}/${parts[2]}/${parts[3]}` };
  }
  if (id.host === 'dev.azure.com' && parts.length === 4 && parts[2] === '_git') return { host: id.host, path: `${parts[0]}/${parts[1]}/${parts[3]}` };
  const legacy = /^([^.]+)\.visualstudio\.com$/.exec(id.host);
  if (legacy && parts.length === 3 && parts[1] === '_git') return { host: 'dev.azure.com', path: `${legacy[1]}/${parts[0]}/${parts[2]}` };
  return id;
}

/** Whether two URLs name the same repository (see repoId). */
export function sameRepo(a: string, b: string): boolean {
  const x = repoId(a);
  const y = repoId(b);
  return !!x && !!y && x.host === y.host && x.path === y.path;
}

/** `./k8s/prod/` → `k8s/prod`; `.`, `/` and '' → '' (the repository root). */
export function normalizeRepoPath(p: string | undefined): string {
  return (p ?? '')
    .replace(/\\/g, '/')
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

/**
 * Whether a source path and the workspace folder (both relative to the
 * repository root) overlap: the same folder, the source inside the folder
 * (the workspace is the repository or a parent of the manifests), or the
 * folder inside the source (the workspace is one part of what the app deploys).
 */
export function pathsOverlap(sourcePath: string | undefined, folder: string): boolean {
  const s = normalizeRepoPath(sourcePath);
  const f = normalizeRepoPath(folder);
  return s === f || f === '' || s === '' || s.startsWith(`${f}/`) || f.startsWith(`${s}/`);
}

/** One source of an application: `spec.source`, or an entry of `spec.sources`. */
export interface AppSourceRef {
  readonly repoURL?: string;
  /** Absent for a Helm chart source and for a `ref`-only source (values files). */
  readonly path?: string;
}

/**
 * Whether any of an application's sources deploys from the workspace folder.
 * A source without a path is taken as the repository root, so it overlaps
 * every folder: a `ref` source that supplies values files from this
 * repository is a reason to show the app. A Helm chart source names a chart
 * repository, which is no git remote, and so never matches.
 */
export function appMatches(sources: readonly AppSourceRef[], remoteUrl: string, folder: string): boolean {
  return sources.some((s) => typeof s.repoURL === 'string' && sameRepo(s.repoURL, remoteUrl) && pathsOverlap(s.path, folder));
}
