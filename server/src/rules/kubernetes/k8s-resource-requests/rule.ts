import { mergingYamlFix } from '../../../fixes/k8sfix-yaml';
import { defineRule } from '../../../engine/rule';
import { containerLocation, describeContainer, exemptNamespacesParam, setting, templatedOrigin, workloads } from '../../../kubernetes/workloads';

interface Params {
  default_requests?: { cpu?: string; memory?: string };
  exempt_namespaces: string[];
}

const RESOURCES = ['cpu', 'memory'] as const;

export default defineRule<Params>({
  id: 'k8s-resource-requests',
  title: 'Containers request CPU and memory',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { nist: ['SC-6', 'CM-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      default_requests: {
        type: 'object',
        properties: { cpu: { type: 'string' }, memory: { type: 'string' } },
        additionalProperties: false,
        description: 'Requests the quick fix inserts (e.g. {cpu: "500m", memory: "1Gi"}); no default: without it there is no fix, since sizing is unknowable.',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: mergingYamlFix,
  check({ file, documents, params, report, unknown }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        // Ephemeral (debug) containers cannot have resources.
        if (c.list === 'ephemeralContainers') continue;
        const missing: (typeof RESOURCES)[number][] = [];
        let unknownSeen = false;
        for (const r of RESOURCES) {
          const request = setting(file, c.node, ['resources', 'requests', r]);
          // A request left out defaults to the limit when one is set (Kubernetes API documentation).
          const limit = request.state === 'absent' ? setting(file, c.node, ['resources', 'limits', r]) : request;
          if (limit.state === 'unknown') {
            unknown(limit.at, templatedOrigin(`resources of ${describeContainer(c)}`));
            unknownSeen = true;
            break;
          }
          if (limit.state === 'absent') missing.push(r);
        }
        if (unknownSeen || missing.length === 0) continue;
        const fixValues = Object.fromEntries(missing.flatMap((r) => (params.default_requests?.[r] ? [[r, params.default_requests[r]]] : [])));
        const who = describeContainer(c);
        report({
          at: containerLocation(c),
          message: `${who.charAt(0).toUpperCase()}${who.slice(1)} does not request ${missing.join(' or ')}, so the scheduler places it without reserving ${missing.length > 1 ? 'them' : 'it'} and it is among the first evicted under node pressure. Set resources.requests.${missing.join(' and resources.requests.')} to what it needs at steady state.`,
          data:
            Object.keys(fixValues).length === missing.length
              ? { fix: 'insert', path: [...c.path, 'resources', 'requests'], value: fixValues }
              : { fix: 'none', reason: 'sizing is unknowable; configure default_requests for a quick fix', missing },
        });
      }
    }
  },
});
