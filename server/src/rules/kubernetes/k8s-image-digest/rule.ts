import { exemptImagesParam, hasDigest, imageMatcher, withoutDigest } from '../../../containers/imageRef';
import { defineRule } from '../../../engine/rule';
import { describeContainer, exemptNamespacesParam, setting, workloads } from '../../../kubernetes/workloads';
import { valueOf } from '../../../model/yaml';

interface Params {
  exempt_images: string[];
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-image-digest',
  title: 'Container images are pinned by sha256 digest',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  ai: true,
  mappings: { nist: ['CM-2', 'SI-7', 'SR-4'], euAiAct: ['Art.12', 'Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      exempt_images: exemptImagesParam('Images that may stay unpinned'),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  check({ file, documents, params, report }) {
    const exempt = imageMatcher(params.exempt_images);
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        const image = setting(file, c.node, ['image']);
        // Absent (or empty) images are set later by config management (Kustomize `images:`, controllers).
        if (image.state !== 'known' || image.value.kind !== 'scalar' || typeof image.value.value !== 'string') continue;
        const ref = image.value.value.trim();
        if (ref === '' || hasDigest(ref) || exempt(ref)) continue;
        const at = valueOf(image.pair);
        const data = { fix: 'resolve-digest', network: true, path: [...c.path, 'image'], image: ref };
        if (ref.includes('@'))
          report({
            at,
            message: `Image "${ref}" of ${describeContainer(c)} has a digest that is not "sha256:" followed by 64 lower-case hex digits, so it does not pin one build. Pin it as "${withoutDigest(ref)}@sha256:<64 hex digits>".`,
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
