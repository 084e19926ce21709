import { imageMatcher } from '../containers/imageRef';
import { asMap, get } from '../model/yaml';
import { containerImage, workloadLabels, type Container, type Workload } from './workloads';

/**
 * The catalog's `ai_workload_selector` (§4): a pod that requests a GPU
 * resource, or is labelled `plumbline.dev/workload-type` ∈ {training,
 * fine-tuning, inference, batch-inference}, or runs an image matching
 * `ai_image_patterns`.
 */

export const DEFAULT_GPU_RESOURCE_PATTERNS: readonly string[] = ['nvidia.com/gpu', 'nvidia.com/mig-*', 'amd.com/gpu', 'gpu.intel.com/*'];

export const WORKLOAD_TYPE_LABEL = 'plumbline.dev/workload-type';
export const AI_WORKLOAD_TYPES: readonly string[] = ['training', 'fine-tuning', 'inference', 'batch-inference'];
/** Workload types that consume a dataset version (k8s-model-version-label). */
export const TRAINING_WORKLOAD_TYPES: readonly string[] = ['training', 'fine-tuning'];

/** Matches extended-resource names against `gpu_resource_patterns` (`*` = any characters). */
const matchers = new WeakMap<readonly string[], (resource: string) => boolean>();

/** A test for GPU resource names matching `patterns` (`*` = any characters), compiled once per patterns list. */
export function gpuResourceMatcher(patterns: readonly string[]): (resource: string) => boolean {
  let match = matchers.get(patterns);
  if (!match) {
    const res = patterns.map((p) => new RegExp(`^${p.replace(/[.+^${}()|[\]\\?]/g, (ch) => `\\${ch}`).replace(/\*/g, '.*')}$`));
    match = (resource) => res.some((re) => re.test(resource));
    matchers.set(patterns, match);
  }
  return match;
}

/** The GPU resource names a container mentions in `resources.requests` or `resources.limits`. */
export function gpuResourcesOf(c: Container, isGpu: (resource: string) => boolean): string[] {
  const out = new Set<string>();
  for (const section of ['requests', 'limits']) {
    for (const p of asMap(get(asMap(get(c.node, 'resources')), section))?.pairs ?? []) if (isGpu(p.key)) out.add(p.key);
  }
  return [...out];
}

export interface AiWorkloadSelector {
  readonly gpuResourcePatterns?: readonly string[];
  readonly aiImagePatterns?: readonly string[];
}

/** Whether the workload matches the `ai_workload_selector`. */
export function isAiWorkload(w: Workload, selector: AiWorkloadSelector = {}): boolean {
  const isGpu = gpuResourceMatcher(selector.gpuResourcePatterns ?? DEFAULT_GPU_RESOURCE_PATTERNS);
  if (w.containers.some((c) => gpuResourcesOf(c, isGpu).length > 0)) return true;
  const type = workloadLabels(w).get(WORKLOAD_TYPE_LABEL);
  if (type !== undefined && AI_WORKLOAD_TYPES.includes(type)) return true;
  const aiImage = imageMatcher(selector.aiImagePatterns ?? []);
  return w.containers.some((c) => {
    const image = containerImage(c);
    return image !== undefined && aiImage(image);
  });
}
