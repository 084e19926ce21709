import { documentAt, nodeAt, type NodePath } from '../../../fixes/standard';
import { scalarLike } from '../../../fixes/k8sfix-yaml';
import { knownHostOf, matchesRegistry, normalizeImage, registryPatterns, repositoryOf, type NormalizedImage } from '../../../containers/imageRef';
import { defineRule } from '../../../engine/rule';
import { describeContainer, exemptNamespacesParam, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { get, pair, valueOf } from '../../../model/yaml';

interface Params {
  allowed_registries: string[];
  registry_mirror_map: Record<string, string>;
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-image-registry-allowlist',
  title: 'Container images come from allowed registries',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  ai: true,
  mappings: { nist: ['CM-7(5)', 'SR-3'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_registries: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Required: registries images may come from, as `host` or `host/path-prefix`; `*` matches one DNS label (`*.dkr.ecr.eu-central-1.amazonaws.com`). Images without a host are `docker.io/…` (`docker.io/library/…` for one segment). While empty, the rule checks nothing.',
      },
      registry_mirror_map: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: {},
        description: 'Source registry (`host` or `host/path-prefix`, after normalisation) → allowed mirror prefix; the quick fix rewrites the image to the mirror.',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix({ data, file, finding }) {
    if (data.fix !== 'set' || typeof data.value !== 'string') return [];
    const image = nodeAt(documentAt(file.documents, finding.range)?.root, data.path as NodePath).node;
    if (image?.kind !== 'scalar') return [];
    return [{ title: `Pull the image through the mirror: ${data.value}`, edits: [{ uri: file.uri, range: image.range, newText: scalarLike(image, data.value) }] }];
  },
  check({ file, documents, params, report, unknown }) {
    const allowed = registryPatterns(params.allowed_registries);
    if (allowed.length === 0) return;
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        const imagePair = pair(c.node, 'image');
        const node = get(c.node, 'image');
        if (!imagePair || node?.kind !== 'scalar' || typeof node.value !== 'string') {
          if (node && node.kind === 'map' && node.pairs.length === 0) unknown(node, templatedOrigin(`the image of ${describeContainer(c)}`));
          continue;
        }
        const ref = node.value.trim();
        if (ref === '') continue;
        const at = valueOf(imagePair);
        const reportDisallowed = (host: string, img: NormalizedImage | undefined): void => {
          const mirrored = img ? mirror(ref, img, params.registry_mirror_map) : undefined;
          const where = img ? `${img.host}/${img.path}` : host;
          report({
            at,
            message: `Image "${ref}" of ${describeContainer(c)} comes from ${where}, which is not an allowed registry (${params.allowed_registries.join(', ')}): images from outside the allow-list (public hubs included) are not scanned, signed or retained under your control. ${mirrored ? `Pull it through the mirror: "${mirrored}".` : 'Copy it into an allowed registry and reference that copy.'}`,
            data: mirrored ? { fix: 'set', path: [...c.path, 'image'], value: mirrored } : { fix: 'none', reason: 'no registry_mirror_map entry for this registry' },
          });
        };
        const templateAt = ref.search(/\{\{|\$\{/);
        const known = templateAt < 0 ? ref : ref.slice(0, templateAt);
        // Only the tag is templated (`repo:{{ .Values.tag }}`): the repository, and so the registry, is known.
        const onlyTag = templateAt >= 0 && known.lastIndexOf(':') > known.lastIndexOf('/') && !ref.slice(templateAt).includes('/');
        if (templateAt >= 0 && !onlyTag) {
          // Monotonic: a literal host before the template already decides a host-only verdict.
          const host = knownHostOf(known);
          const hostMatches = host !== undefined ? allowed.filter((p) => p.host.test(host)) : undefined;
          if (hostMatches?.length === 0) reportDisallowed(host!, undefined);
          else if (!hostMatches?.some((p) => p.pathPrefix === undefined)) unknown(node, templatedOrigin(`the image of ${describeContainer(c)}`));
          continue;
        }
        const image = normalizeImage(onlyTag ? known.slice(0, known.lastIndexOf(':')) : ref);
        if (allowed.some((p) => matchesRegistry(image, p))) continue;
        reportDisallowed(image.host, image);
      }
    }
  },
});

/** The image rewritten to its mirror, keeping tag and digest; undefined without a mapping. */
function mirror(ref: string, image: NormalizedImage, map: Record<string, string>): string | undefined {
  const full = `${image.host}/${image.path}`;
  const source = Object.keys(map)
    .filter((s) => full === s.replace(/\/+$/, '') || full.startsWith(`${s.replace(/\/+$/, '')}/`))
    .sort((a, b) => b.length - a.length)[0];
  if (source === undefined) return undefined;
  const rest = full.slice(source.replace(/\/+$/, '').length).replace(/^\//, '');
  const suffix = ref.slice(repositoryOf(ref).length);
  return `${map[source]!.replace(/\/+$/, '')}/${rest}${suffix}`;
}
