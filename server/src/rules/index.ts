import type { AnyRule } from '../engine/rule';
import ghaActionPinnedSha from './github-actions/gha-action-pinned-sha/rule';
import ghaArtifactProvenance from './github-actions/gha-artifact-provenance/rule';
import ghaCheckoutPersistCredentials from './github-actions/gha-checkout-persist-credentials/rule';
import ghaContainerImageDigest from './github-actions/gha-container-image-digest/rule';
import ghaContinueOnErrorChecks from './github-actions/gha-continue-on-error-checks/rule';
import ghaDeployNeedsPolicyCheck from './github-actions/gha-deploy-needs-policy-check/rule';
import ghaGithubEnvInjection from './github-actions/gha-github-env-injection/rule';
import ghaHardcodedCredentials from './github-actions/gha-hardcoded-credentials/rule';
import ghaImagePushMutableTag from './github-actions/gha-image-push-mutable-tag/rule';
import ghaInsecureCommands from './github-actions/gha-insecure-commands/rule';
import ghaOidcTokenScope from './github-actions/gha-oidc-token-scope/rule';
import ghaPermissionsLeastPrivilege from './github-actions/gha-permissions-least-privilege/rule';
import ghaProdDeployEnvironment from './github-actions/gha-prod-deploy-environment/rule';
import ghaPullRequestTargetCheckout from './github-actions/gha-pull-request-target-checkout/rule';
import ghaScriptInjection from './github-actions/gha-script-injection/rule';
import ghaSecretsInherit from './github-actions/gha-secrets-inherit/rule';
import ghaSelfHostedRunnerPublic from './github-actions/gha-self-hosted-runner-public/rule';
import ghaStaticCloudCredentials from './github-actions/gha-static-cloud-credentials/rule';
import gitlabDebugTrace from './gitlab-ci/gitlab-debug-trace/rule';
import gitlabDeployNeedsPolicyCheck from './gitlab-ci/gitlab-deploy-needs-policy-check/rule';
import gitlabImageDigest from './gitlab-ci/gitlab-image-digest/rule';
import gitlabIncludePinned from './gitlab-ci/gitlab-include-pinned/rule';
import gitlabInputInjection from './gitlab-ci/gitlab-input-injection/rule';
import gitlabPlaintextSecretVariable from './gitlab-ci/gitlab-plaintext-secret-variable/rule';
import gitlabProdDeployGated from './gitlab-ci/gitlab-prod-deploy-gated/rule';
import gitlabSecurityJobAllowFailure from './gitlab-ci/gitlab-security-job-allow-failure/rule';
import gitlabStaticCloudCredentials from './gitlab-ci/gitlab-static-cloud-credentials/rule';
import gitlabTerraformApplyPlanGate from './gitlab-ci/gitlab-terraform-apply-plan-gate/rule';
import k8sAllowPrivilegeEscalation from './kubernetes/k8s-allow-privilege-escalation/rule';
import k8sAutomountSaToken from './kubernetes/k8s-automount-sa-token/rule';
import k8sCapabilitiesRestricted from './kubernetes/k8s-capabilities-restricted/rule';
import k8sDefaultNamespace from './kubernetes/k8s-default-namespace/rule';
import k8sDefaultServiceAccount from './kubernetes/k8s-default-service-account/rule';
import k8sGpuLimits from './kubernetes/k8s-gpu-limits/rule';
import k8sHostNamespaces from './kubernetes/k8s-host-namespaces/rule';
import k8sHostPorts from './kubernetes/k8s-host-ports/rule';
import k8sHostpathVolume from './kubernetes/k8s-hostpath-volume/rule';
import k8sImageDigest from './kubernetes/k8s-image-digest/rule';
import k8sImageNoLatest from './kubernetes/k8s-image-no-latest/rule';
import k8sImageRegistryAllowlist from './kubernetes/k8s-image-registry-allowlist/rule';
import k8sModelVersionLabel from './kubernetes/k8s-model-version-label/rule';
import k8sPrivilegedContainer from './kubernetes/k8s-privileged-container/rule';
import k8sProbes from './kubernetes/k8s-probes/rule';
import k8sPssNamespaceEnforce from './kubernetes/k8s-pss-namespace-enforce/rule';
import k8sRbacClusterAdminBinding from './kubernetes/k8s-rbac-cluster-admin-binding/rule';
import k8sRbacWildcard from './kubernetes/k8s-rbac-wildcard/rule';
import k8sReadOnlyRootFs from './kubernetes/k8s-read-only-root-fs/rule';
import k8sRequiredLabels from './kubernetes/k8s-required-labels/rule';
import k8sResourceLimits from './kubernetes/k8s-resource-limits/rule';
import k8sResourceRequests from './kubernetes/k8s-resource-requests/rule';
import k8sRunAsNonRoot from './kubernetes/k8s-run-as-non-root/rule';
import k8sSeccompProfile from './kubernetes/k8s-seccomp-profile/rule';
import k8sSecretEnvLiteral from './kubernetes/k8s-secret-env-literal/rule';
import tfAllowedRegions from './terraform/tf-allowed-regions/rule';
import tfAwsBedrockAgentGuardrail from './terraform/tf-aws-bedrock-agent-guardrail/rule';
import tfAwsBedrockInvocationLogging from './terraform/tf-aws-bedrock-invocation-logging/rule';
import tfAwsCloudtrailLogValidation from './terraform/tf-aws-cloudtrail-log-validation/rule';
import tfAwsCloudtrailMultiRegion from './terraform/tf-aws-cloudtrail-multi-region/rule';
import tfAwsCloudtrailS3DataEvents from './terraform/tf-aws-cloudtrail-s3-data-events/rule';
import tfAwsCloudwatchLogRetention from './terraform/tf-aws-cloudwatch-log-retention/rule';
import tfAwsEcrScanOnPush from './terraform/tf-aws-ecr-scan-on-push/rule';
import tfAwsEcrTagImmutability from './terraform/tf-aws-ecr-tag-immutability/rule';
import tfAwsEksAuditLogging from './terraform/tf-aws-eks-audit-logging/rule';
import tfAwsIamAdminWildcard from './terraform/tf-aws-iam-admin-wildcard/rule';
import tfAwsIamGithubOidcSub from './terraform/tf-aws-iam-github-oidc-sub/rule';
import tfAwsIamUserAccessKey from './terraform/tf-aws-iam-user-access-key/rule';
import tfAwsImdsv2 from './terraform/tf-aws-imdsv2/rule';
import tfAwsKmsKeyRotation from './terraform/tf-aws-kms-key-rotation/rule';
import tfAwsS3AccessLogging from './terraform/tf-aws-s3-access-logging/rule';
import tfAwsS3KmsEncryption from './terraform/tf-aws-s3-kms-encryption/rule';
import tfAwsS3ObjectLock from './terraform/tf-aws-s3-object-lock/rule';
import tfAwsS3PublicAccessBlock from './terraform/tf-aws-s3-public-access-block/rule';
import tfAwsS3Versioning from './terraform/tf-aws-s3-versioning/rule';
import tfAwsSagemakerEndpointDataCapture from './terraform/tf-aws-sagemaker-endpoint-data-capture/rule';
import tfAwsSagemakerEndpointKms from './terraform/tf-aws-sagemaker-endpoint-kms/rule';
import tfAwsSagemakerModelNetworkIsolation from './terraform/tf-aws-sagemaker-model-network-isolation/rule';
import tfAwsSagemakerNotebookDirectInternet from './terraform/tf-aws-sagemaker-notebook-direct-internet/rule';
import tfAwsSagemakerNotebookKms from './terraform/tf-aws-sagemaker-notebook-kms/rule';
import tfAwsSagemakerNotebookRootAccess from './terraform/tf-aws-sagemaker-notebook-root-access/rule';
import tfAzureAiCmk from './terraform/tf-azure-ai-cmk/rule';
import tfAzureAiDiagnosticLogs from './terraform/tf-azure-ai-diagnostic-logs/rule';
import tfAzureAiLocalAuth from './terraform/tf-azure-ai-local-auth/rule';
import tfAzureAiPublicNetwork from './terraform/tf-azure-ai-public-network/rule';
import tfAzureMlWorkspaceCmk from './terraform/tf-azure-ml-workspace-cmk/rule';
import tfAzureMlWorkspacePublicNetwork from './terraform/tf-azure-ml-workspace-public-network/rule';
import tfAzureOpenaiOutboundRestricted from './terraform/tf-azure-openai-outbound-restricted/rule';
import tfAzureStorageVersioningImmutability from './terraform/tf-azure-storage-versioning-immutability/rule';
import tfBackendEncryptionLocking from './terraform/tf-backend-encryption-locking/rule';
import tfGcpAiplatformDataAccessLogs from './terraform/tf-gcp-aiplatform-data-access-logs/rule';
import tfGcpGcsRetentionLock from './terraform/tf-gcp-gcs-retention-lock/rule';
import tfGcpGcsVersioning from './terraform/tf-gcp-gcs-versioning/rule';
import tfGcpVertexCmek from './terraform/tf-gcp-vertex-cmek/rule';
import tfGcpVertexEndpointPrivate from './terraform/tf-gcp-vertex-endpoint-private/rule';
import tfGcpWifGithubCondition from './terraform/tf-gcp-wif-github-condition/rule';
import tfGcpWorkbenchCmek from './terraform/tf-gcp-workbench-cmek/rule';
import tfGcpWorkbenchNoPublicIp from './terraform/tf-gcp-workbench-no-public-ip/rule';
import tfLifecycleIgnoreDrift from './terraform/tf-lifecycle-ignore-drift/rule';
import tfModuleSourcePinned from './terraform/tf-module-source-pinned/rule';
import tfNoStaticProviderCredentials from './terraform/tf-no-static-provider-credentials/rule';
import tfProviderVersionPinned from './terraform/tf-provider-version-pinned/rule';
import tfRequiredTags from './terraform/tf-required-tags/rule';

/**
 * Every built-in rule, listed explicitly: adding a rule is one folder under
 * rules/<domain>/ and one line here (the conventions test checks both).
 */
export const builtinRules: readonly AnyRule[] = [
  // Terraform
  tfAllowedRegions,
  tfAwsBedrockAgentGuardrail,
  tfAwsBedrockInvocationLogging,
  tfAwsCloudtrailLogValidation,
  tfAwsCloudtrailMultiRegion,
  tfAwsCloudtrailS3DataEvents,
  tfAwsCloudwatchLogRetention,
  tfAwsEcrScanOnPush,
  tfAwsEcrTagImmutability,
  tfAwsEksAuditLogging,
  tfAwsIamAdminWildcard,
  tfAwsIamGithubOidcSub,
  tfAwsIamUserAccessKey,
  tfAwsImdsv2,
  tfAwsKmsKeyRotation,
  tfAwsS3AccessLogging,
  tfAwsS3KmsEncryption,
  tfAwsS3ObjectLock,
  tfAwsS3PublicAccessBlock,
  tfAwsS3Versioning,
  tfAwsSagemakerEndpointDataCapture,
  tfAwsSagemakerEndpointKms,
  tfAwsSagemakerModelNetworkIsolation,
  tfAwsSagemakerNotebookDirectInternet,
  tfAwsSagemakerNotebookKms,
  tfAwsSagemakerNotebookRootAccess,
  tfAzureAiCmk,
  tfAzureAiDiagnosticLogs,
  tfAzureAiLocalAuth,
  tfAzureAiPublicNetwork,
  tfAzureMlWorkspaceCmk,
  tfAzureMlWorkspacePublicNetwork,
  tfAzureOpenaiOutboundRestricted,
  tfAzureStorageVersioningImmutability,
  tfBackendEncryptionLocking,
  tfGcpAiplatformDataAccessLogs,
  tfGcpGcsRetentionLock,
  tfGcpGcsVersioning,
  tfGcpVertexCmek,
  tfGcpVertexEndpointPrivate,
  tfGcpWifGithubCondition,
  tfGcpWorkbenchCmek,
  tfGcpWorkbenchNoPublicIp,
  tfLifecycleIgnoreDrift,
  tfModuleSourcePinned,
  tfNoStaticProviderCredentials,
  tfProviderVersionPinned,
  tfRequiredTags,
  // Kubernetes
  k8sAllowPrivilegeEscalation,
  k8sAutomountSaToken,
  k8sCapabilitiesRestricted,
  k8sDefaultNamespace,
  k8sDefaultServiceAccount,
  k8sGpuLimits,
  k8sHostNamespaces,
  k8sHostPorts,
  k8sHostpathVolume,
  k8sImageDigest,
  k8sImageNoLatest,
  k8sImageRegistryAllowlist,
  k8sModelVersionLabel,
  k8sPrivilegedContainer,
  k8sProbes,
  k8sPssNamespaceEnforce,
  k8sRbacClusterAdminBinding,
  k8sRbacWildcard,
  k8sReadOnlyRootFs,
  k8sRequiredLabels,
  k8sResourceLimits,
  k8sResourceRequests,
  k8sRunAsNonRoot,
  k8sSeccompProfile,
  k8sSecretEnvLiteral,
  // GitHub Actions
  ghaActionPinnedSha,
  ghaArtifactProvenance,
  ghaCheckoutPersistCredentials,
  ghaContainerImageDigest,
  ghaContinueOnErrorChecks,
  ghaDeployNeedsPolicyCheck,
  ghaGithubEnvInjection,
  ghaHardcodedCredentials,
  ghaImagePushMutableTag,
  ghaInsecureCommands,
  ghaOidcTokenScope,
  ghaPermissionsLeastPrivilege,
  ghaProdDeployEnvironment,
  ghaPullRequestTargetCheckout,
  ghaScriptInjection,
  ghaSecretsInherit,
  ghaSelfHostedRunnerPublic,
  ghaStaticCloudCredentials,
  // GitLab CI
  gitlabDebugTrace,
  gitlabDeployNeedsPolicyCheck,
  gitlabImageDigest,
  gitlabIncludePinned,
  gitlabInputInjection,
  gitlabPlaintextSecretVariable,
  gitlabProdDeployGated,
  gitlabSecurityJobAllowFailure,
  gitlabStaticCloudCredentials,
  gitlabTerraformApplyPlanGate,
];
