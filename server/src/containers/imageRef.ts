/**
 * Container image references (`[host[:port]/]path[:tag][@digest]`), shared by
 * every rule that reads an image: Kubernetes containers, GitLab CI `image:` and
 * `services:`, GitHub Actions `container:` and `docker://`. One notion of
 * "pinned", one of "the repository", one meaning of `exempt_images`.
 */

/** A digest ends the reference: `repo@sha256:…` or `repo:tag@sha256:…`, lower-case hex (OCI image spec). */
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/** Whether the reference ends in `@sha256:` and 64 lower-case hex digits. */
export function hasDigest(ref: string): boolean {
  return DIGEST.test(ref);
}

/** The reference without its `@digest`: `app:1.0@sha256:…` → `app:1.0`. */
export function withoutDigest(ref: string): string {
  const at = ref.indexOf('@');
  return at < 0 ? ref : ref.slice(0, at);
}

/** The repository, without `:tag` and `@digest`: `registry:5000/team/model:1.2@sha256:…` → `registry:5000/team/model`. */
export function repositoryOf(ref: string): string {
  const noDigest = withoutDigest(ref);
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

/**
 * The `exempt_images` matcher: glob patterns (`*` any characters, `/` included;
 * `?` one character), each matched against the whole reference as written or
 * against its repository (`busybox` exempts `busybox:1.36`).
 */
export function imageMatcher(patterns: readonly string[]): (ref: string) => boolean {
  const globs = patterns.map(imageGlob);
  return (ref) => {
    if (globs.length === 0) return false;
    const repository = repositoryOf(ref);
    return globs.some((re) => re.test(ref) || re.test(repository));
  };
}

function imageGlob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : `\\${ch}`));
  return new RegExp(`^${body}$`);
}

/** The `exempt_images` param, for rules to put in their params schema; `what` starts the description. */
export function exemptImagesParam(what = 'Images this rule does not check') {
  return {
    type: 'array',
    items: { type: 'string' },
    default: [],
    description: `${what}: glob patterns (\`*\` any characters, \`?\` one character) matched against the whole image, or against its repository without \`:tag\`/\`@digest\`.`,
  };
}

/** The tag, if any: `registry:5000/team/model:1.2@sha256:…` → `1.2`; `registry:5000/team/model` → undefined. */
export function tagOf(ref: string): string | undefined {
  const noDigest = withoutDigest(ref);
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(colon + 1) : undefined;
}

/** Whether the reference has any digest (`@algorithm:…`), well-formed or not. */
export function hasAnyDigest(ref: string): boolean {
  return ref.includes('@');
}

/** A reference split as the container runtime resolves it: registry host (with port) and repository path. */
export interface NormalizedImage {
  readonly host: string;
  readonly path: string;
}

/**
 * Docker's normalisation: the first segment is a registry host when it has a
 * `.` or `:` or is `localhost`; otherwise the host is `docker.io`, and a
 * single-segment name lives under `library/` (`busybox` → `docker.io/library/busybox`).
 */
export function normalizeImage(ref: string): NormalizedImage {
  const repository = repositoryOf(ref);
  const slash = repository.indexOf('/');
  const first = slash < 0 ? '' : repository.slice(0, slash);
  if (slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    const host = first.toLowerCase();
    return { host: host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host, path: repository.slice(slash + 1) };
  }
  return { host: 'docker.io', path: slash < 0 ? `library/${repository}` : repository };
}

/** The host of a reference whose text is only known up to `knownPrefix` (the rest is templated), if that prefix already fixes it. */
export function knownHostOf(knownPrefix: string): string | undefined {
  const slash = knownPrefix.indexOf('/');
  if (slash < 0) return undefined;
  return normalizeImage(`${knownPrefix.slice(0, slash)}/x`).host;
}

/**
 * Registry allow-list patterns: `host` or `host/path-prefix`; `*` matches one
 * DNS label of the host (`*.dkr.ecr.eu-central-1.amazonaws.com`). Path prefixes
 * match whole segments.
 */
export interface RegistryPattern {
  readonly pattern: string;
  readonly host: RegExp;
  /** Undefined for a host-only pattern. */
  readonly pathPrefix: string | undefined;
}

export function registryPatterns(patterns: readonly string[]): RegistryPattern[] {
  return patterns.map((pattern) => {
    const slash = pattern.indexOf('/');
    const hostPart = (slash < 0 ? pattern : pattern.slice(0, slash)).toLowerCase();
    const body = hostPart.replace(/[.+^${}()|[\]\\?]/g, (ch) => `\\${ch}`).replace(/\*/g, '[^./]+');
    const pathPrefix = slash < 0 ? undefined : pattern.slice(slash + 1).replace(/\/+$/, '') || undefined;
    return { pattern, host: new RegExp(`^${body}$`), pathPrefix };
  });
}

export function matchesRegistry(image: NormalizedImage, p: RegistryPattern): boolean {
  if (!p.host.test(image.host)) return false;
  return p.pathPrefix === undefined || image.path === p.pathPrefix || image.path.startsWith(`${p.pathPrefix}/`);
}
