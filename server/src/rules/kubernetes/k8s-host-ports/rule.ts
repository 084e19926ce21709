import { nodeAt, documentAt, standardYamlFix, type NodePath } from '../../../fixes/standard';
import { retitled } from '../../../fixes/k8sfix-yaml';
import { defineRule } from '../../../engine/rule';
import { describeContainer, exemptNamespacesParam, setting, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { items, valueOf } from '../../../model/yaml';

interface Params {
  allowed_host_ports: number[];
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-host-ports',
  title: 'Containers do not bind host ports',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.13'], nist: ['SC-7'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_host_ports: {
        type: 'array',
        items: { type: 'integer', minimum: 1, maximum: 65535 },
        default: [],
        description: 'Host ports containers may bind (default: none, as in the baseline Pod Security Standard).',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix(ctx) {
    // Name the port in the title: a container may bind several.
    const hostPort = nodeAt(documentAt(ctx.file.documents, ctx.finding.range)?.root, ctx.data.path as NodePath).node;
    return retitled(standardYamlFix(ctx), `Remove hostPort: ${hostPort?.kind === 'scalar' ? hostPort.source : ''}`.trimEnd());
  },
  check({ file, documents, params, report, unknown }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      for (const c of w.containers) {
        const ports = setting(file, c.node, ['ports']);
        if (ports.state === 'unknown') {
          unknown(ports.at, templatedOrigin(`ports of ${describeContainer(c)}`));
          continue;
        }
        if (ports.state !== 'known') continue;
        items(ports.value).forEach((port, i) => {
          const hostPort = setting(file, port, ['hostPort']);
          if (hostPort.state === 'unknown') return unknown(hostPort.at, templatedOrigin(`ports[${i}].hostPort of ${describeContainer(c)}`));
          if (hostPort.state !== 'known' || hostPort.value.kind !== 'scalar') return;
          const n = Number(hostPort.value.value);
          if (!Number.isInteger(n) || n === 0 || params.allowed_host_ports.includes(n)) return;
          report({
            at: valueOf(hostPort.pair),
            message: `hostPort: ${hostPort.value.source} binds ${describeContainer(c)} to a port on the node's own address, bypassing Services and NetworkPolicies and pinning the pod to nodes where the port is free. Remove hostPort and expose the containerPort through a Service${params.allowed_host_ports.length ? ` (allowed host ports: ${params.allowed_host_ports.join(', ')})` : ''}.`,
            data: { fix: 'delete', path: [...c.path, 'ports', i, 'hostPort'] },
          });
        });
      }
    }
  },
});
