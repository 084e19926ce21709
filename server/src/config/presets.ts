import type { ConfigData } from './types';

/**
 * Presets shipped with Plumbline, named in `extends:`. `recommended` is the
 * catalog's defaults. `strict` treats controls that may live elsewhere as
 * required in the workspace and shortens waivers. `ai-act-high-risk` adds, for
 * high-risk AI systems (EU AI Act Art. 9–15: risk management, data governance,
 * record-keeping, human oversight), high severity on the traceability and
 * logging controls and shorter, better-justified waivers.
 */
export const PRESETS: Readonly<Record<string, ConfigData>> = {
  recommended: {},
  strict: {
    must_be_in_workspace: true,
    suppression: { max_days: 90 },
    rules: {
      'tf-provider-version-pinned': { severity: 'high' },
      'tf-module-source-pinned': { severity: 'high' },
      'k8s-probes': { severity: 'high' },
      'k8s-resource-limits': { severity: 'high' },
    },
  },
  'ai-act-high-risk': {
    extends: 'strict',
    suppression: { max_days: 60, min_reason_chars: 20 },
    rules: {
      'tf-required-tags': { severity: 'high' },
      'k8s-model-version-label': { severity: 'high' },
      'tf-aws-sagemaker-endpoint-data-capture': { severity: 'high' },
      'tf-aws-bedrock-invocation-logging': { severity: 'high' },
      'tf-azure-ai-diagnostic-logs': { severity: 'high' },
      'tf-gcp-aiplatform-data-access-logs': { severity: 'high' },
      'gha-artifact-provenance': { severity: 'high' },
      'gha-deploy-needs-policy-check': { severity: 'critical' },
      'gitlab-deploy-needs-policy-check': { severity: 'critical' },
    },
  },
};

export const PRESET_NAMES = Object.keys(PRESETS);
