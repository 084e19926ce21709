import type { DriftError, DriftProblem } from './types';

/** The problem a stack or source report carries for a DriftError. */
export function problemOf(e: DriftError): DriftProblem {
  return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
}

/**
 * Runs `fn` over the items, `limit` at a time, results in item order. After
 * the first failure no item is started, `onFailure` runs (to cancel what is in
 * flight), and the failure is thrown once every started call has settled, so
 * no request outlives the check.
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>, onFailure: () => void = () => undefined): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  let failed: { error: unknown } | undefined;
  const worker = async () => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        out[i] = await fn(items[i]!);
      } catch (error) {
        if (!failed) {
          failed = { error };
          onFailure();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  if (failed) throw failed.error;
  return out;
}
