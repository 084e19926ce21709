import { standardYamlFix } from '../../../fixes/standard';
import { defineRule } from '../../../engine/rule';
import { containerLocation, describeContainer, exemptNamespacesParam, linuxWorkloads, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { valueOf } from '../../../model/yaml';

interface Params {
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-allow-privilege-escalation',
  title: 'Containers set allowPrivilegeEscalation: false',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.6'], nist: ['AC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { exempt_namespaces: exemptNamespacesParam },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report, unknown }) {
    // Linux-only control: Windows pods are exempt, a templated OS is Unknown.
    for (const w of linuxWorkloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces }, unknown)) {
      for (const c of w.containers) {
        const path = [...c.path, 'securityContext', 'allowPrivilegeEscalation'];
        const s = setting(file, c.node, ['securityContext', 'allowPrivilegeEscalation']);
        if (s.state === 'unknown') {
          unknown(s.at, templatedOrigin(`securityContext.allowPrivilegeEscalation of ${describeContainer(c)}`));
          continue;
        }
        if (s.state === 'absent') {
          const who = describeContainer(c);
          report({
            at: containerLocation(c),
            message: `${who.charAt(0).toUpperCase()}${who.slice(1)} does not set securityContext.allowPrivilegeEscalation, so it defaults to allowed: a setuid binary or file capability can gain more privileges than the process started with. Set securityContext.allowPrivilegeEscalation: false.`,
            data: { fix: 'insert', path, value: false },
          });
          continue;
        }
        if (s.value.kind === 'scalar' && s.value.value === false) continue;
        const written = s.value.kind === 'scalar' ? s.value.source : 'not a boolean';
        report({
          at: valueOf(s.pair),
          message: `securityContext.allowPrivilegeEscalation: ${written} lets ${describeContainer(c)} gain more privileges than its process started with (setuid binaries, file capabilities). Set it to false.`,
          data: { fix: 'set', path, value: false },
        });
      }
    }
  },
});
