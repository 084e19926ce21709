import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (gate in needs, gate in an earlier stage, gate reached through needs of needs)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'a needed job from an included file is unknown: nothing reported',
      code: 'include:\n  - local: ci/policy.yml\ndeploy:\n  needs: [policy-check]\n  script: [kubectl apply -f k8s/]\n',
    },
    {
      name: 'an environment stop job is not a deploy',
      code: 'stop-review:\n  environment:\n    name: review/$CI_COMMIT_REF_SLUG\n    action: stop\n  script: [./teardown.sh]\n',
    },
    {
      name: 'a gate matched by a custom job pattern, in .pre',
      code: 'model-card-review:\n  stage: .pre\n  script: [./review.sh]\ndeploy:\n  stage: deploy\n  script: [argocd app sync serving]\n',
      params: { policy_gate_jobs: ['^model-card-review$'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (needs without gate; needs: []; gate in a later stage)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '3:1-3:12', severity: 'high', message: 'Job "build-image" runs "docker push "$IMAGE"" without a passing policy check: it has no needs, and no policy gate runs in a stage before "build"' },
        { at: '11:10-11:23', severity: 'high', message: 'none of the jobs in its needs' },
        { at: '17:10-17:12', severity: 'high', message: 'needs: [] starts it immediately' },
      ],
      // The only gate runs in a later stage, and GitLab rejects needs on a later job: no fix.
      output: fixture(__dirname, 'fail.yml'),
    },
    {
      name: 'fixture fail2.yml (the only gate has allow_failure: true)',
      code: fixture(__dirname, 'fail2.yml'),
      errors: [{ at: '7:1-7:6', severity: 'high', message: 'that gate has allow_failure: true' }],
      output: fixture(__dirname, 'fail2.yml').concat(
        '\npolicy-check:\n  stage: REPLACE_ME # earliest stage\n  # image: REPLACE_ME (policy image pinned by @sha256)\n  script:\n' +
          '    - REPLACE_ME # policy command, must exit non-zero on violations\n  allow_failure: false\n',
      ),
    },
    {
      name: 'fixture fail-needs.yml (needs without the gate, needs: [], when: always)',
      code: fixture(__dirname, 'fail-needs.yml'),
      errors: [
        { at: '15:10-15:23', message: 'none of the jobs in its needs' },
        { at: '22:10-22:12', message: 'needs: [] starts it immediately' },
        { at: '26:1-26:8', message: 'with when: always' },
      ],
      output: fixture(__dirname, 'fail-needs.yml').replace('[build-image]', '[build-image, policy-check]').replace('needs: []', 'needs: [policy-check]').replace('  when: always\n', ''),
    },
    {
      name: 'a policy command in the deploy job itself is not a gate job',
      code: 'deploy:\n  script:\n    - checkov -d infra\n    - terraform apply tfplan\n',
      errors: [{ at: '1:1-1:7', message: 'no job in this pipeline is a policy gate' }],
    },
    {
      name: 'no gate at all',
      code: 'deploy:\n  script: [helm upgrade serving charts/serving]\n',
      errors: [{ at: '1:1-1:7', message: 'no job in this pipeline is a policy gate' }],
    },
    {
      name: 'when: always bypasses the gate',
      code: 'policy-check:\n  stage: test\n  script: [conftest test k8s/]\ndeploy:\n  stage: deploy\n  when: always\n  script: [kubectl apply -f k8s/]\n',
      errors: [{ at: '4:1-4:7', message: 'when: always' }],
    },
    {
      name: 'a gate in the same stage does not run before the job',
      code: 'policy-check:\n  stage: deploy\n  script: [conftest test k8s/]\ndeploy:\n  stage: deploy\n  script: [kubectl apply -f k8s/]\n',
      errors: [{ at: '4:1-4:7', message: 'no policy gate runs in a stage before "deploy"' }],
    },
    {
      name: 'report_unknown: a needed job from an included file gets an info note',
      code: 'include:\n  - local: ci/policy.yml\ndeploy:\n  needs: [policy-check]\n  script: [kubectl apply -f k8s/]\n',
      params: { report_unknown: true },
      errors: [{ at: '4:11-4:23', severity: 'info', message: 'could not evaluate gitlab-deploy-needs-policy-check: the jobs "deploy" waits for: needed job policy-check is not in this file' }],
    },
  ],
});
