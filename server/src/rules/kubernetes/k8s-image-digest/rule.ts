import { defineRule } from '../../../engine/rule';
import { describeContainer, exemptNamespacesParam, setting, valueOf, workloads } from '../../../kubernetes/workloads';

interface Params {
  exempt_images: string[];
  exempt_namespaces: string[];
}

/** A digest ends the reference: `repo@sha256:…` or `repo:tag@sha256:…`, lower-case hex (OCI image spec). */
const PINNED = /@sha256:[a-f0-9]{64}$/;

export default defineRule<Params>({
  id: 'k8s-image-digest',
  title: 'Container images are pinned by sha256 digest',
  severity: 'high',
  domain: 'kubernetes',
  ai: true,
  mappings: { nist: ['CM-2', 'SI-7', 'SR-4'], euAiAct: ['Art.12', 'Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      exempt_images: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Images that may stay unpinned: glob patterns (`*` any characters, `?` one character) matched against the whole image, or against its repository without `:tag`/`@digest`.',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  check({ file, documents, params, report }) {
    const exempt = params.exempt_images.map(glob);
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        const image = setting(file, c.node, ['image']);
        // Absent (or empty) images are set later by config management (Kustomize `images:`, controllers).
        if (image.state !== 'known' || image.value.kind !== 'scalar' || typeof image.value.value !== 'string') continue;
        const ref = image.value.value.trim();
        if (ref === '' || PINNED.test(ref)) continue;
        if (exempt.some((re) => re.test(ref) || re.test(repository(ref)))) continue;
        const at = valueOf(image.pair);
        const data = { fix: 'resolve-digest', network: true, path: [...c.path, 'image'], image: ref };
        if (ref.includes('@'))
          report({
            at,
            message: `Image "${ref}" of ${describeContainer(c)} has a digest that is not "sha256:" followed by 64 lower-case hex digits, so it does not pin one build. Pin it as "${ref.slice(0, ref.indexOf('@'))}@sha256:<64 hex digits>".`,
            data,
          });
        else
          report({
            at,
            message: `Image "${ref}" of ${describeContainer(c)} is not pinned by digest: the registry can serve a different build under the same reference, so what runs is not traceable. Pin it by digest, e.g. "${ref}@sha256:<64 hex digits>".`,
            data,
          });
      }
    }
  },
});

/** `registry:5000/team/model:1.2@sha256:…` → `registry:5000/team/model`. */
function repository(ref: string): string {
  const noDigest = ref.includes('@') ? ref.slice(0, ref.indexOf('@')) : ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

function glob(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\*?]/g, (ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : `\\${ch}`));
  return new RegExp(`^${body}$`);
}
