import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { checkFixes, type CheckedFix } from '../server/src/fixes/engine';
import { builtinRules } from '../server/src/rules';
import { memoryFileSystem } from '../server/src/service/fileSystem';
import { LanguageService, toUri } from '../server/src/service/languageService';
import { DEFAULT_FILE } from './ruleTester';

/**
 * The catalog rules whose "Quick fix" column names a fix that works offline
 * (fixes marked (net) need registry or API access and are not offered; rows
 * that say "none" have none). Each must have a `fix`.
 */
export const FIXABLE = [
  // Terraform
  'tf-provider-version-pinned', 'tf-module-source-pinned', 'tf-backend-encryption-locking', 'tf-required-tags',
  'tf-no-static-provider-credentials',
  'tf-aws-s3-versioning', 'tf-aws-s3-object-lock', 'tf-aws-s3-access-logging', 'tf-aws-s3-public-access-block',
  'tf-aws-s3-kms-encryption', 'tf-aws-ecr-tag-immutability', 'tf-aws-ecr-scan-on-push',
  'tf-aws-sagemaker-notebook-direct-internet', 'tf-aws-sagemaker-notebook-root-access', 'tf-aws-sagemaker-notebook-kms',
  'tf-aws-sagemaker-endpoint-kms', 'tf-aws-sagemaker-endpoint-data-capture', 'tf-aws-sagemaker-model-network-isolation',
  'tf-aws-bedrock-agent-guardrail', 'tf-aws-bedrock-invocation-logging', 'tf-aws-iam-github-oidc-sub',
  'tf-aws-cloudtrail-log-validation', 'tf-aws-cloudtrail-multi-region', 'tf-aws-cloudtrail-s3-data-events',
  'tf-aws-cloudwatch-log-retention', 'tf-aws-kms-key-rotation', 'tf-aws-imdsv2', 'tf-aws-eks-audit-logging',
  'tf-azure-ai-public-network', 'tf-azure-ai-local-auth', 'tf-azure-openai-outbound-restricted', 'tf-azure-ai-diagnostic-logs',
  'tf-azure-ml-workspace-public-network', 'tf-azure-ml-workspace-cmk', 'tf-azure-storage-versioning-immutability',
  'tf-gcp-workbench-no-public-ip', 'tf-gcp-workbench-cmek', 'tf-gcp-vertex-cmek', 'tf-gcp-gcs-versioning',
  'tf-gcp-gcs-retention-lock', 'tf-gcp-wif-github-condition', 'tf-gcp-aiplatform-data-access-logs',
  // Kubernetes
  'k8s-privileged-container', 'k8s-allow-privilege-escalation', 'k8s-run-as-non-root', 'k8s-capabilities-restricted',
  'k8s-seccomp-profile', 'k8s-host-namespaces', 'k8s-host-ports', 'k8s-automount-sa-token', 'k8s-read-only-root-fs',
  'k8s-image-registry-allowlist', 'k8s-resource-requests', 'k8s-resource-limits', 'k8s-gpu-limits', 'k8s-required-labels',
  'k8s-model-version-label', 'k8s-secret-env-literal', 'k8s-default-namespace', 'k8s-pss-namespace-enforce',
  // GitHub Actions
  'gha-permissions-least-privilege', 'gha-oidc-token-scope', 'gha-script-injection', 'gha-checkout-persist-credentials',
  'gha-static-cloud-credentials', 'gha-prod-deploy-environment', 'gha-deploy-needs-policy-check', 'gha-continue-on-error-checks',
  'gha-secrets-inherit', 'gha-hardcoded-credentials', 'gha-insecure-commands', 'gha-artifact-provenance',
  'gha-image-push-mutable-tag',
  // GitLab CI
  'gitlab-prod-deploy-gated', 'gitlab-security-job-allow-failure', 'gitlab-terraform-apply-plan-gate',
  'gitlab-deploy-needs-policy-check', 'gitlab-static-cloud-credentials', 'gitlab-debug-trace', 'gitlab-input-injection',
] as const;

const RULES_DIR = path.join(__dirname, '..', 'server', 'src', 'rules');
const ROOT = '/workspace';

describe('quick fixes', () => {
  it('every catalog rule that names an offline fix has one', () => {
    const missing = FIXABLE.filter((id) => !builtinRules.find((r) => r.id === id)?.fix);
    assert.deepEqual(missing, [], 'rules without a fix');
  });

  // Verification over every rule's failing fixtures, with all rules enabled,
  // as the editor does it: each proposed fix is applied to a copy, re-parsed
  // and re-analysed; it must remove its finding and add none.
  const summary: { rule: string; offered: number; rejected: { fix: string; reason: string }[] }[] = [];
  for (const rule of builtinRules.filter((r) => r.fix)) {
    it(`${rule.id}: its fixes verify on its fixtures`, async () => {
      const dir = path.join(RULES_DIR, rule.domain, rule.id, 'fixtures');
      const checked: CheckedFix[] = [];
      // fixtures/fail*.<ext>, each with optional rule params in <name>.params.json (fixes that need a param).
      for (const name of readdirSync(dir).filter((n) => n.startsWith('fail') && !/\.(params|files)\.json$/.test(n))) {
        const file = path.posix.join(ROOT, DEFAULT_FILE[rule.domain]);
        const paramsFile = path.join(dir, `${name}.params.json`);
        const params = existsSync(paramsFile) ? { [rule.id]: JSON.parse(readFileSync(paramsFile, 'utf8')) as Record<string, unknown> } : undefined;
        // <name>.files.json: other files of the workspace, by path relative to the fixture (a lock file, modules.json).
        const extraFile = path.join(dir, `${name}.files.json`);
        const extra = existsSync(extraFile)
          ? Object.fromEntries(Object.entries(JSON.parse(readFileSync(extraFile, 'utf8')) as Record<string, string>).map(([k, v]) => [path.posix.join(path.posix.dirname(file), k), v]))
          : {};
        const fs = memoryFileSystem({ ...extra, [file]: readFileSync(path.join(dir, name), 'utf8') });
        const service = await LanguageService.create({ fs, roots: [ROOT], ...(params ? { params } : {}) });
        const uri = toUri(file);
        checked.push(...checkFixes(service, uri, service.analyze(uri).findings.filter((f) => f.ruleId === rule.id)));
      }
      const rejected = checked.filter((c) => c.rejected).map((c) => ({ fix: c.fix.title, reason: c.rejected! }));
      summary.push({ rule: rule.id, offered: checked.length, rejected });
      assert.ok(checked.some((c) => !c.rejected), `no fix of ${rule.id} passes verification on its fail fixtures: ${JSON.stringify(rejected)}`);
    });
  }

  it('writes the verification summary', () => {
    const out = path.join(__dirname, '..', 'test-results');
    mkdirSync(out, { recursive: true });
    const totals = { rules: summary.length, offered: summary.reduce((n, s) => n + s.offered, 0), rejected: summary.reduce((n, s) => n + s.rejected.length, 0) };
    writeFileSync(path.join(out, 'fix-verification.json'), `${JSON.stringify({ totals, rules: summary }, null, 2)}\n`);
  });
});
