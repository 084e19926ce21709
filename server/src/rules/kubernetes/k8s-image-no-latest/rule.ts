import { hasAnyDigest, tagOf } from '../../../containers/imageRef';
import { defineRule } from '../../../engine/rule';
import { describeContainer, exemptNamespacesParam, setting, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { valueOf } from '../../../model/yaml';

interface Params {
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-image-no-latest',
  title: 'Container images name a version, not latest',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { nist: ['CM-2'], euAiAct: ['Art.12'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { exempt_namespaces: exemptNamespacesParam },
  },
  check({ file, documents, params, report, unknown }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        const image = setting(file, c.node, ['image']);
        if (image.state === 'unknown') {
          unknown(image.at, templatedOrigin(`the image of ${describeContainer(c)}`));
          continue;
        }
        // Absent (or empty) images are set later by config management (Kustomize `images:`, controllers).
        if (image.state !== 'known' || image.value.kind !== 'scalar' || typeof image.value.value !== 'string') continue;
        const ref = image.value.value.trim();
        if (ref === '' || hasAnyDigest(ref)) continue;
        const tag = tagOf(ref);
        if (tag !== undefined && tag !== 'latest') continue;
        const repo = tag === undefined ? ref : ref.slice(0, -':latest'.length);
        report({
          at: valueOf(image.pair),
          message: `Image "${ref}" of ${describeContainer(c)} ${tag === undefined ? 'has no tag, so it means :latest' : 'uses the :latest tag'}: what runs changes whenever someone pushes, and a rollback cannot name the previous version. Use an explicit version tag (e.g. "${repo}:1.4.2"), or better a digest.`,
          data: { fix: 'none', reason: 'the intended version is unknowable; k8s-image-digest offers the digest fix' },
        });
      }
    }
  },
});
