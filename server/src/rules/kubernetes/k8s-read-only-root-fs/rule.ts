import { readOnlyRootFsFix } from './fix';
import { defineRule, stringListParam } from '../../../engine/rule';
import { containerLocation, describeContainer, exemptNamespacesParam, linuxWorkloads, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { get, items, str, valueOf } from '../../../model/yaml';

interface Params {
  writable_paths_hint: string[];
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-read-only-root-fs',
  title: 'Containers have a read-only root filesystem',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { nist: ['CM-7', 'SI-7'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      writable_paths_hint: stringListParam(
        ['/tmp'],
        'Paths the companion quick fix mounts as emptyDir volumes so that the container can still write there (e.g. /tmp, a HF_HOME cache).',
      ),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: readOnlyRootFsFix,
  check({ file, documents, params, report, unknown }) {
    // Linux-only control: Windows pods are exempt, a templated OS is Unknown.
    for (const w of linuxWorkloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces }, unknown)) {
      for (const c of w.containers) {
        const path = [...c.path, 'securityContext', 'readOnlyRootFilesystem'];
        const s = setting(file, c.node, ['securityContext', 'readOnlyRootFilesystem']);
        if (s.state === 'unknown') {
          unknown(s.at, templatedOrigin(`securityContext.readOnlyRootFilesystem of ${describeContainer(c)}`));
          continue;
        }
        const mounted = new Set(items(get(c.node, 'volumeMounts')).map((m) => str(get(m, 'mountPath'))));
        const companion = { writablePaths: params.writable_paths_hint.filter((p) => !mounted.has(p)) };
        if (s.state === 'absent') {
          const who = describeContainer(c);
          report({
            at: containerLocation(c),
            message: `${who.charAt(0).toUpperCase()}${who.slice(1)} does not set securityContext.readOnlyRootFilesystem, so its filesystem is writable: code or model files in the image can be changed at runtime and drift from what was built. Set readOnlyRootFilesystem: true and mount emptyDir volumes where it must write (${params.writable_paths_hint.join(', ') || 'e.g. /tmp'}).`,
            data: { fix: 'insert', path, value: true, ...companion },
          });
          continue;
        }
        if (s.value.kind === 'scalar' && s.value.value === true) continue;
        const written = s.value.kind === 'scalar' ? s.value.source : 'not a boolean';
        report({
          at: valueOf(s.pair),
          message: `securityContext.readOnlyRootFilesystem: ${written} leaves the filesystem of ${describeContainer(c)} writable, so the running code and model files can drift from the image. Set it to true and mount emptyDir volumes where it must write (${params.writable_paths_hint.join(', ') || 'e.g. /tmp'}).`,
          data: { fix: 'set', path, value: true, ...companion },
        });
      }
    }
  },
});
