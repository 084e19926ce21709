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
