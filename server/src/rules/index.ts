import type { AnyRule } from '../engine/rule';
import ghaActionPinnedSha from './github-actions/gha-action-pinned-sha/rule';
import ghaPermissionsLeastPrivilege from './github-actions/gha-permissions-least-privilege/rule';
import ghaProdDeployEnvironment from './github-actions/gha-prod-deploy-environment/rule';
import gitlabImageDigest from './gitlab-ci/gitlab-image-digest/rule';
import gitlabIncludePinned from './gitlab-ci/gitlab-include-pinned/rule';
import gitlabProdDeployGated from './gitlab-ci/gitlab-prod-deploy-gated/rule';
import k8sImageDigest from './kubernetes/k8s-image-digest/rule';
import k8sResourceLimits from './kubernetes/k8s-resource-limits/rule';
import k8sRunAsNonRoot from './kubernetes/k8s-run-as-non-root/rule';
import tfAwsEcrTagImmutability from './terraform/tf-aws-ecr-tag-immutability/rule';
import tfAwsImdsv2 from './terraform/tf-aws-imdsv2/rule';
import tfAwsS3Versioning from './terraform/tf-aws-s3-versioning/rule';

/**
 * Every built-in rule, listed explicitly: adding a rule is one folder under
 * rules/<domain>/ and one line here (the conventions test checks both).
 */
export const builtinRules: readonly AnyRule[] = [
  // Terraform
  tfAwsS3Versioning,
  tfAwsEcrTagImmutability,
  tfAwsImdsv2,
  // Kubernetes
  k8sImageDigest,
  k8sResourceLimits,
  k8sRunAsNonRoot,
  // GitHub Actions
  ghaActionPinnedSha,
  ghaPermissionsLeastPrivilege,
  ghaProdDeployEnvironment,
  // GitLab CI
  gitlabIncludePinned,
  gitlabImageDigest,
  gitlabProdDeployGated,
];
