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

/**
 * `policy_gate` (catalog §4): job ids that are policy gates, and the actions and
 * commands that make a job one.
 */
export const DEFAULT_POLICY_GATE_JOB_PATTERN = '(?i)^(policy|governance|plumbline)[-_]?(check|gate)$';

/** Actions (`owner/repo[/path]`, compared case-insensitively) that run a policy check. */
export const DEFAULT_POLICY_ACTIONS: readonly string[] = [
  'plumbline/plumbline',
  'plumbline/plumbline-action',
  'bridgecrewio/checkov-action',
  'aquasecurity/trivy-action',
  'instrumenta/conftest-action',
  'stackrox/kube-linter-action',
  'kubescape/github-action',
  'zizmorcore/zizmor-action',
  'raven-actions/actionlint',
  'reviewdog/action-actionlint',
];

/** Regular expressions over `run`/`script` text that run a policy check. */
export const DEFAULT_POLICY_COMMANDS: readonly string[] = [
  '\\bplumbline\\s+check\\b',
  '\\bcheckov\\b',
  '\\btrivy\\s+(config|conf)\\b',
  '\\bconftest\\s+test\\b',
  '\\bkube-linter\\s+lint\\b',
  '\\bkubescape\\s+scan\\b',
  '\\bzizmor\\b',
  '\\bactionlint\\b',
];

/**
 * Credentials recognisable by their shape (shared by `gha-hardcoded-credentials`,
 * `k8s-secret-env-literal`, `gitlab-plaintext-secret-variable`): AWS access key
 * ids, GitHub tokens, GitLab personal access tokens, Slack tokens, private keys,
 * OpenAI/Anthropic-style `sk-` keys, Hugging Face tokens.
 */
export const DEFAULT_CREDENTIAL_REGEXES: readonly string[] = [
  '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b',
  '\\bgh[pousr]_[A-Za-z0-9]{36,}\\b',
  '\\bgithub_pat_[A-Za-z0-9_]{22,}\\b',
  '\\bglpat-[A-Za-z0-9_-]{20,}\\b',
  '\\bxox[bp]-[A-Za-z0-9-]{10,}',
  '-----BEGIN ([A-Z0-9]+ )*PRIVATE KEY-----',
  '\\bsk-[A-Za-z0-9_-]{20,}',
  '\\bhf_[A-Za-z0-9]{30,}\\b',
];

/** Variable names that hold secrets, including AI provider keys. */
export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
  '(?i)(^|[_-])(password|passwd|pwd|secret|token|api[_-]?key|apikey|private[_-]?key|access[_-]?key|client[_-]?secret|credentials?)($|[_-])',
  '(?i)^(OPENAI_API_KEY|AZURE_OPENAI_API_KEY|ANTHROPIC_API_KEY|HF_TOKEN|HUGGING_FACE_HUB_TOKEN|WANDB_API_KEY)$',
];

/** The first pattern a text matches and where; undefined when none does. */
export function firstMatch(text: string, patterns: readonly string[]): { pattern: string; index: number; text: string } | undefined {
  for (const pattern of patterns) {
    const m = compilePattern(pattern).exec(text);
    if (m) return { pattern, index: m.index, text: m[0] };
  }
  return undefined;
}

/** A secret for a message: its first four characters and its length, never the whole value. */
export function maskSecret(value: string): string {
  return value.length <= 4 ? '****' : `${value.slice(0, 4)}… (${value.length} characters)`;
}
