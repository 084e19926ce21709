import { standardYamlFix } from '../../../fixes/standard';
import { defineRule } from '../../../engine/rule';
import {
  compareQuantities,
  containerLocation,
  describeContainer,
  exemptNamespacesParam,
  quantityOf,
  setting,
  workloads,
  type Setting,
} from '../../../kubernetes/workloads';
import { valueOf, type YamlNode } from '../../../model/yaml';

interface Params {
  require_cpu_limit: boolean;
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-resource-limits',
  title: 'Containers set a memory limit no lower than their memory request',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { nist: ['SC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      require_cpu_limit: {
        type: 'boolean',
        default: false,
        description: 'Also require resources.limits.cpu. Off by default: CPU limits throttle latency-sensitive servers, and CPU requests already share the node fairly.',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: standardYamlFix,
  check({ file, documents, params, report }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      // Ephemeral containers cannot set resources (the API rejects them): only regular and init containers.
      for (const c of w.containers.filter((x) => x.list !== 'ephemeralContainers')) {
        const who = describeContainer(c);
        const resourcesPath = [...c.path, 'resources'];
        const limit = setting(file, c.node, ['resources', 'limits', 'memory']);
        const request = setting(file, c.node, ['resources', 'requests', 'memory']);
        if (limit.state === 'absent') {
          const value = knownScalar(request);
          report({
            at: containerLocation(c),
            message: `${capitalize(who)} sets no resources.limits.memory: it can take the node's memory until the kernel OOM-kills it or its neighbours. Set resources.limits.memory${value !== undefined ? ` to at least its requests.memory (${value})` : ' (e.g. "2Gi", sized from observed peak use)'}.`,
            data:
              value !== undefined
                ? { fix: 'insert', path: [...resourcesPath, 'limits', 'memory'], value }
                : { fix: 'none', reason: 'the memory the container needs is unknowable from the manifest' },
          });
        } else if (limit.state === 'known') {
          const limitQ = quantityOf(limit.value);
          const requestQ = request.state === 'known' ? quantityOf(request.value) : undefined;
          if (!limitQ)
            report({
              at: valueOf(limit.pair),
              message: `resources.limits.memory (${source(limit.value)}) of ${who} is not a Kubernetes quantity, so no memory limit applies (the API server rejects it). Write it like "2Gi", "2G" or "2147483648".`,
              data: { fix: 'none', reason: 'the intended quantity is unknowable' },
            });
          else if (requestQ && request.state === 'known' && compareQuantities(limitQ, requestQ) < 0) {
            const value = knownScalar(request);
            report({
              at: valueOf(limit.pair),
              message: `resources.limits.memory (${source(limit.value)}) of ${who} is below its requests.memory (${source(request.value)}); the API server rejects a request above the limit. Set limits.memory to at least ${source(request.value)}.`,
              data: { fix: 'set', path: [...resourcesPath, 'limits', 'memory'], value },
            });
          }
        }
        if (params.require_cpu_limit && setting(file, c.node, ['resources', 'limits', 'cpu']).state === 'absent') {
          const value = knownScalar(setting(file, c.node, ['resources', 'requests', 'cpu']));
          report({
            at: containerLocation(c),
            message: `${capitalize(who)} sets no resources.limits.cpu, which require_cpu_limit asks for. Set resources.limits.cpu${value !== undefined ? ` to at least its requests.cpu (${value})` : ' (e.g. "1" or "500m")'}.`,
            data:
              value !== undefined
                ? { fix: 'insert', path: [...resourcesPath, 'limits', 'cpu'], value }
                : { fix: 'none', reason: 'the CPU the container needs is unknowable from the manifest' },
          });
        }
      }
    }
  },
});

/** A known string or number value, as the fix would write it. */
function knownScalar(s: Setting): string | number | undefined {
  if (s.state !== 'known' || s.value.kind !== 'scalar') return undefined;
  const v = s.value.value;
  return typeof v === 'string' || typeof v === 'number' ? v : undefined;
}

function source(node: YamlNode): string {
  return node.kind === 'scalar' ? node.source : '…';
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
