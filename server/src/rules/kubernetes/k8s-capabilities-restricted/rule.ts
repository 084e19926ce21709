import { defineRule, stringListParam } from '../../../engine/rule';
import { type Container, containerLocation, describeContainer, exemptNamespacesParam, isUnknownNode, linuxWorkloads, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { type YamlFile, type YamlScalar } from '../../../model/yaml';
import type { BaseContext } from '../../../engine/rule';
import { capabilitiesFix } from './fix';

interface Params {
  allowed_add: string[];
  exempt_namespaces: string[];
}

/** Capabilities that amount to node compromise or network spoofing (catalog: critical). */
const DANGEROUS = new Set(['ALL', 'SYS_ADMIN', 'NET_RAW', 'SYS_PTRACE', 'SYS_MODULE']);

export default defineRule<Params>({
  id: 'k8s-capabilities-restricted',
  title: 'Containers drop ALL capabilities and add back only allowed ones',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.8', 'Kubernetes 5.2.9', 'Kubernetes 5.2.10'], nist: ['CM-7', 'AC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_add: stringListParam(
        ['NET_BIND_SERVICE'],
        'Capabilities a container may add back after dropping ALL, compared exactly as the restricted Pod Security Standard does (default: only NET_BIND_SERVICE).',
      ),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: capabilitiesFix,
  check(ctx) {
    const { file, documents, params, unknown } = ctx;
    // Linux-only control: Windows pods are exempt, a templated OS is Unknown.
    for (const w of linuxWorkloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces }, unknown)) {
      for (const c of w.containers) {
        checkDrop(ctx, file, c);
        checkAdd(ctx, file, c, params.allowed_add);
      }
    }
  },
});

function checkDrop({ report, unknown }: BaseContext<Params>, file: YamlFile, c: Container): void {
  const path = [...c.path, 'securityContext', 'capabilities', 'drop'];
  const drop = setting(file, c.node, ['securityContext', 'capabilities', 'drop']);
  if (drop.state === 'unknown') return unknown(drop.at, templatedOrigin(`securityContext.capabilities.drop of ${describeContainer(c)}`));
  const who = describeContainer(c);
  const Who = `${who.charAt(0).toUpperCase()}${who.slice(1)}`;
  if (drop.state === 'known' && drop.value.kind === 'seq') {
    const names = drop.value.items.filter((i): i is YamlScalar => i.kind === 'scalar');
    if (names.some((i) => i.value === 'ALL')) return;
    const templated = drop.value.items.find((i) => isUnknownNode(file, i));
    if (templated) return unknown(templated, templatedOrigin(`an item of securityContext.capabilities.drop of ${who}`));
    const lower = names.find((i) => typeof i.value === 'string' && i.value.toUpperCase() === 'ALL');
    if (lower) {
      report({
        at: lower,
        severity: 'info',
        message: `securityContext.capabilities.drop of ${who} lists ${lower.source}, not "ALL": the restricted Pod Security admission compares capability names case-sensitively and rejects the pod. Write "ALL" in upper case.`,
        data: { fix: 'set', path: [...path, drop.value.items.indexOf(lower)], value: 'ALL' },
      });
      return;
    }
    report({
      at: containerLocation(c),
      message: `${Who} drops some capabilities but not ALL, so it keeps the runtime's default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW…). Add "ALL" to the drop list and add back only what it needs.`,
      data: { fix: 'insert', append: true, path, value: 'ALL' },
    });
    return;
  }
  report({
    at: containerLocation(c),
    message: `${Who} does not drop capabilities, so it keeps the runtime's default set (CHOWN, DAC_OVERRIDE, SETUID, NET_RAW…). Set securityContext.capabilities.drop: ["ALL"] and add back only what it needs.`,
    data: { fix: 'insert', path, value: ['ALL'] },
  });
}

function checkAdd({ report, unknown }: BaseContext<Params>, file: YamlFile, c: Container, allowed: readonly string[]): void {
  const add = setting(file, c.node, ['securityContext', 'capabilities', 'add']);
  if (add.state === 'unknown') return unknown(add.at, templatedOrigin(`securityContext.capabilities.add of ${describeContainer(c)}`));
  if (add.state !== 'known' || add.value.kind !== 'seq') return;
  add.value.items.forEach((item, i) => {
    if (isUnknownNode(file, item)) return unknown(item, templatedOrigin(`an item of securityContext.capabilities.add of ${describeContainer(c)}`));
    if (item.kind !== 'scalar' || typeof item.value !== 'string' || allowed.includes(item.value)) return;
    const name = item.value.toUpperCase().replace(/^CAP_/, '');
    const dangerous = DANGEROUS.has(name);
    report({
      at: item,
      ...(dangerous ? { severity: 'critical' as const } : {}),
      message: `${describeContainer(c)} adds capability ${item.source}${dangerous ? ', which is enough to escape to or attack the node' : ''}; ${allowed.length ? `only ${allowed.join(', ')} may be added back` : 'no capability may be added back'}. Remove it and grant the specific access another way.`.replace(/^./, (ch) => ch.toUpperCase()),
      data: { fix: 'delete', path: [...c.path, 'securityContext', 'capabilities', 'add', i] },
    });
  });
}
