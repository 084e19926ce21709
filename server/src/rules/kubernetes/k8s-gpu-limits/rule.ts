import { standardYamlFix } from '../../../fixes/standard';
import { retitled } from '../../../fixes/k8sfix-yaml';
import { yamlScalar } from '../../../fixes/yaml';
import { DEFAULT_GPU_RESOURCE_PATTERNS, gpuResourceMatcher, gpuResourcesOf } from '../../../kubernetes/aiWorkload';
import { defineRule, stringListParam, type BaseContext } from '../../../engine/rule';
import {
  compareQuantities,
  containerLocation,
  describeContainer,
  describeObject,
  exemptNamespacesParam,
  quantityOf,
  setting,
  templatedOrigin,
  workloads,
  type Quantity,
  type Workload,
} from '../../../kubernetes/workloads';
import { asMap, get, items, keyOf, pair, str, valueOf } from '../../../model/yaml';

interface Params {
  gpu_resource_patterns: string[];
  max_gpus_per_container: number;
  require_gpu_scheduling: boolean;
  gpu_taint_keys: string[];
  exempt_namespaces: string[];
}

export default defineRule<Params>({
  id: 'k8s-gpu-limits',
  title: 'GPU resources are set as whole-number limits and scheduled onto GPU nodes',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  ai: true,
  mappings: { nist: ['SC-6', 'CM-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      gpu_resource_patterns: stringListParam(DEFAULT_GPU_RESOURCE_PATTERNS, 'Extended-resource names that are GPUs (`*` matches any characters).'),
      max_gpus_per_container: { type: 'integer', minimum: 1, default: 8, description: 'Most GPUs of one resource a single container may take.' },
      require_gpu_scheduling: {
        type: 'boolean',
        default: true,
        description: 'Require pods that use GPUs to carry a nodeSelector, a node affinity, or a toleration for one of gpu_taint_keys.',
      },
      gpu_taint_keys: stringListParam(['nvidia.com/gpu'], 'Taint keys of GPU nodes; a toleration for one of them counts as GPU scheduling.'),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix(ctx) {
    const path = ctx.data.path as readonly (string | number)[];
    const [section, gpu] = path.slice(-2);
    const verb = ctx.data.fix === 'set' ? 'Set' : 'Add';
    // The standard title would split the resource name at its dot.
    return retitled(standardYamlFix(ctx), `${verb} resources.${String(section)}."${String(gpu)}": ${yamlScalar(ctx.data.value)}`);
  },
  check({ file, documents, params, report, unknown }) {
    const isGpu = gpuResourceMatcher(params.gpu_resource_patterns);
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const claims = setting(file, w.podSpec, ['resourceClaims']);
      if (claims.state !== 'absent') {
        // Dynamic Resource Allocation: the GPUs come from ResourceClaims this rule cannot see.
        unknown(claims.state === 'known' ? keyOf(claims.pair) : claims.at, `${describeObject(w.object)} uses DRA resourceClaims, whose devices are allocated outside the container resources`);
        continue;
      }
      let firstGpuContainer: (typeof w.containers)[number] | undefined;
      for (const c of w.containers) {
        if (c.list === 'ephemeralContainers') continue;
        const resources = setting(file, c.node, ['resources']);
        if (resources.state === 'unknown') {
          unknown(resources.at, templatedOrigin(`resources of ${describeContainer(c)}`));
          continue;
        }
        const gpus = gpuResourcesOf(c, isGpu);
        if (gpus.length === 0 || resources.state !== 'known') continue;
        firstGpuContainer ??= c;
        for (const gpu of gpus) {
          const request = setting(file, c.node, ['resources', 'requests', gpu]);
          const limit = setting(file, c.node, ['resources', 'limits', gpu]);
          if (request.state === 'unknown') {
            unknown(request.at, templatedOrigin(`resources.requests."${gpu}" of ${describeContainer(c)}`));
            continue;
          }
          if (limit.state === 'unknown') {
            unknown(limit.at, templatedOrigin(`resources.limits."${gpu}" of ${describeContainer(c)}`));
            continue;
          }
          const who = describeContainer(c);
          if (limit.state === 'absent') {
            if (request.state !== 'known') continue;
            report({
              at: keyOf(resources.pair),
              message: `${who.charAt(0).toUpperCase()}${who.slice(1)} requests ${gpu} but sets no limit for it: GPUs are extended resources, specified in limits (a request alone is rejected or never scheduled). Set resources.limits."${gpu}": ${request.value.kind === 'scalar' ? request.value.source : '<count>'}.`,
              data: { fix: 'insert', path: [...c.path, 'resources', 'limits', gpu], value: request.value.kind === 'scalar' ? request.value.value : undefined },
            });
            continue;
          }
          const limitQ = quantityOf(limit.value);
          const limitText = limit.value.kind === 'scalar' ? limit.value.source : 'a non-scalar value';
          if (!limitQ || !isWholePositive(limitQ)) {
            report({
              at: valueOf(limit.pair),
              message: `resources.limits."${gpu}": ${limitText} of ${who} is not a whole number of at least 1: GPUs cannot be shared by fractions or overcommitted this way. Use an integer count (or a MIG profile resource for a slice of a GPU).`,
              data: { fix: 'none', reason: 'the intended GPU count is unknowable' },
            });
            continue;
          }
          if (compareQuantities(limitQ, { digits: BigInt(params.max_gpus_per_container), exp10: 0, exp2: 0 }) > 0) {
            report({
              at: valueOf(limit.pair),
              message: `resources.limits."${gpu}": ${limitText} of ${who} exceeds max_gpus_per_container (${params.max_gpus_per_container}). Split the work across pods (distributed training) or get the larger allocation approved and raise the parameter.`,
              data: { fix: 'none', reason: 'the intended GPU count is unknowable' },
            });
            continue;
          }
          if (request.state === 'known') {
            const requestQ = quantityOf(request.value);
            if (!requestQ || compareQuantities(requestQ, limitQ) !== 0)
              report({
                at: valueOf(request.pair),
                message: `resources.requests."${gpu}": ${request.value.kind === 'scalar' ? request.value.source : 'a non-scalar value'} of ${who} differs from its limit (${limitText}); extended resources cannot be overcommitted, so the API rejects it. Set the request equal to the limit, or drop the request.`,
                data: { fix: 'set', path: [...c.path, 'resources', 'requests', gpu], value: limit.value.kind === 'scalar' ? limit.value.value : undefined },
              });
          }
        }
      }
      if (params.require_gpu_scheduling && firstGpuContainer) checkScheduling(w, firstGpuContainer, params.gpu_taint_keys, report, unknown);
    }
  },
});

function isWholePositive(q: Quantity): boolean {
  if (q.digits <= 0n) return false;
  if (q.exp10 >= 0) return true;
  return q.digits % 10n ** BigInt(-q.exp10) === 0n;
}

function checkScheduling(
  w: Workload,
  c: Workload['containers'][number],
  taintKeys: readonly string[],
  report: BaseContext<Params>['report'],
  unknown: BaseContext<Params>['unknown'],
): void {
  const file = w.object.file;
  for (const path of [['nodeSelector'], ['affinity', 'nodeAffinity'], ['tolerations']]) {
    const s = setting(file, w.podSpec, path);
    if (s.state === 'unknown') return unknown(s.at, templatedOrigin(`spec.${path.join('.')} of ${describeObject(w.object)}`));
  }
  if ((asMap(get(w.podSpec, 'nodeSelector'))?.pairs.length ?? 0) > 0) return;
  if (pair(asMap(get(w.podSpec, 'affinity')), 'nodeAffinity')?.value) return;
  for (const t of items(get(w.podSpec, 'tolerations'))) {
    const key = str(get(t, 'key'));
    if (key !== undefined && taintKeys.includes(key)) return;
    if (key === undefined && str(get(t, 'operator')) === 'Exists') return;
  }
  report({
    at: containerLocation(c),
    message: `${describeObject(w.object)} uses GPUs but has no nodeSelector, node affinity or toleration for ${taintKeys.join(', ') || 'a GPU taint'}, so it is not steered to the intended GPU node pool. Add a nodeSelector (e.g. nvidia.com/gpu.product) or a toleration for the GPU taint.`,
    data: { fix: 'none', reason: 'the GPU node pool labels are cluster-specific' },
  });
}
