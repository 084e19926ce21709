/**
 * Shared CI selectors of the catalog (§4): which jobs deploy, and which
 * environments and branches count as production.
 */

/** Environment names, job ids and tiers that mean production. */
export const DEFAULT_PROD_PATTERN = '(?i)^(prod|production|live)([-_].*)?$';

/** Commands and action references that change what runs: apply, deploy, push, promote, create environments. */
export const DEFAULT_DEPLOY_SIGNALS: readonly string[] = [
  '\\b(terraform|tofu)\\s+apply\\b',
  '\\bgitlab-terraform\\s+apply\\b',
  '\\bkubectl\\s+(apply|create|replace|rollout|set\\s+image)\\b',
  '\\bhelm\\s+(upgrade|install)\\b',
  '\\bargocd\\s+app\\s+sync\\b',
  '\\baws\\s+sagemaker\\s+(create|update)-endpoint\\b',
  '\\bgcloud\\s+ai\\s+endpoints\\s+deploy-model\\b',
  '\\baz\\s+ml\\s+online-deployment\\s+(create|update)\\b',
  '\\bdocker\\s+push\\b',
  '\\bcrane\\s+(copy|tag|push)\\b',
  '\\bgh\\s+api\\b.*\\/environments\\b',
];

/**
 * Compiles a catalog pattern. Patterns may start with the inline flag `(?i)`
 * (as in the catalog's defaults), which JavaScript spells as the `i` flag.
 */
export function compilePattern(pattern: string): RegExp {
  const m = /^\(\?([a-z]+)\)/.exec(pattern);
  if (!m) return new RegExp(pattern);
  return new RegExp(pattern.slice(m[0].length), m[1]!.replace(/[^imsu]/g, ''));
}

export function matchesAny(text: string, patterns: readonly string[]): boolean {
  return patterns.some((p) => compilePattern(p).test(text));
}
