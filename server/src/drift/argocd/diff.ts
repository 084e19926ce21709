import { fieldPath } from '../manifests';
import { SENSITIVE_MASK, type AttributeChange, type JsonValue } from '../types';

/**
 * The field-level difference between what Argo CD would apply
 * (`predictedLiveState`) and what runs (`normalizedLiveState`), with paths
 * in the notation of manifests.ts (`spec.template.spec.containers[0].image`).
 *
 * Argo CD has already normalised both sides (defaults, ignoreDifferences),
 * so what remains is real drift; bookkeeping fields the API server writes are
 * skipped all the same, in case an older server leaves them in.
 */

/** Fields under `metadata` that the API server owns. */
const SERVER_METADATA = new Set(['resourceVersion', 'uid', 'creationTimestamp', 'generation', 'managedFields', 'selfLink', 'deletionGracePeriodSeconds']);
/** Annotations that restate the object (and, for a Secret, its data). */
const NOISY_ANNOTATIONS = new Set(['kubectl.kubernetes.io/last-applied-configuration']);

/** More changes than this in one object are cut off (a wholly different object says enough with the first ones). */
export const MAX_CHANGES = 200;

export interface DiffOptions {
  /**
   * Mask every value (a Secret): the changes name paths only, each side is
   * SENSITIVE_MASK when present, and `sensitive` is set.
   */
  readonly sensitive: boolean;
}

/** Changes from `declared` (predicted) to `live` (normalized); either side may be null (no object). */
export function diffObjects(declared: JsonValue, live: JsonValue, options: DiffOptions): AttributeChange[] {
  const out: AttributeChange[] = [];
  walk(declared ?? undefined, live ?? undefined, [], out, options);
  return out.slice(0, MAX_CHANGES);
}

function walk(d: JsonValue | undefined, l: JsonValue | undefined, steps: (string | number)[], out: AttributeChange[], options: DiffOptions): void {
  if (out.length >= MAX_CHANGES || ignored(steps)) return;
  if (isRecord(d) && isRecord(l)) {
    for (const key of [...new Set([...Object.keys(d), ...Object.keys(l)])].sort()) walk(d[key], l[key], [...steps, key], out, options);
    return;
  }
  if (Array.isArray(d) && Array.isArray(l)) {
    for (let i = 0; i < Math.max(d.length, l.length); i++) walk(d[i], l[i], [...steps, i], out, options);
    return;
  }
  // Scalars, or two values of different shapes (a map against a list) which are never equal.
  if (d === l) return;
  const path = fieldPath(steps);
  if (options.sensitive) {
    out.push({ path, ...(d !== undefined ? { declared: SENSITIVE_MASK } : {}), ...(l !== undefined ? { live: SENSITIVE_MASK } : {}), sensitive: true });
  } else {
    out.push({ path, ...(d !== undefined ? { declared: d } : {}), ...(l !== undefined ? { live: l } : {}) });
  }
}

function ignored(steps: readonly (string | number)[]): boolean {
  if (steps.length === 1 && steps[0] === 'status') return true;
  if (steps[0] !== 'metadata') return false;
  if (steps.length === 2 && SERVER_METADATA.has(String(steps[1]))) return true;
  return steps.length === 3 && steps[1] === 'annotations' && NOISY_ANNOTATIONS.has(String(steps[2]));
}

function isRecord(v: JsonValue | undefined): v is { [key: string]: JsonValue } {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
