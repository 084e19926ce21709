import { exemptImagesParam, imageMatcher } from '../../../containers/imageRef';
import { standardYamlFix } from '../../../fixes/standard';
import { defineRule } from '../../../engine/rule';
import { containerImage, describeContainer, exemptNamespacesParam, setting, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { valueOf } from '../../../model/yaml';

interface Params {
  exempt_images: string[];
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-privileged-container',
  title: 'Containers do not run privileged',
  severity: 'critical',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.2'], nist: ['AC-6', 'CM-7'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      exempt_images: exemptImagesParam('Images allowed to run privileged (e.g. a CNI or GPU device plugin)'),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report, unknown }) {
    const exempt = imageMatcher(params.exempt_images);
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        const privileged = setting(file, c.node, ['securityContext', 'privileged']);
        if (privileged.state === 'unknown') {
          unknown(privileged.at, templatedOrigin(`securityContext.privileged of ${describeContainer(c)}`));
          continue;
        }
        if (privileged.state !== 'known' || privileged.value.kind !== 'scalar' || privileged.value.value !== true) continue;
        const image = containerImage(c);
        if (image !== undefined && exempt(image)) continue;
        report({
          at: valueOf(privileged.pair),
          message: `securityContext.privileged: true gives ${describeContainer(c)} every capability and all host devices, equivalent to root on the node. Set privileged: false and grant only the specific capabilities or device-plugin resources it needs.`,
          data: { fix: 'set', path: [...c.path, 'securityContext', 'privileged'], value: false },
        });
      }
    }
  },
});
