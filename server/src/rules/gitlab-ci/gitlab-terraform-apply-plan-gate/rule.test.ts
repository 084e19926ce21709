import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (saved plan through needs with -chdir and a variable path; gitlab-terraform through dependencies)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'a plan file from an included job is unknown: nothing reported',
      code: 'include:\n  - local: ci/plan.yml\napply:\n  stage: deploy\n  script: [terraform apply tfplan]\n',
    },
    {
      name: 'a plan file named by a project variable is unknown: nothing reported',
      code: 'apply:\n  script: [terraform apply "$PLAN_FILE"]\n',
    },
    {
      name: 'a plan from an earlier stage by a glob, rules: manual gate to production',
      code: 'plan:\n  stage: build\n  script: [terraform plan -out plans/prod.tfplan]\n  artifacts:\n    paths: ["plans/*.tfplan"]\napply:\n  stage: deploy\n  environment: prod\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n      when: manual\n  script: [terraform apply plans/prod.tfplan]\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (-auto-approve without plan; production manual but non-blocking and plan job allow_failure; plan file nobody produces)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '14:7-14:58', severity: 'high', message: 'runs with -auto-approve and no saved plan' },
        { at: '22:7-22:29', severity: 'high', message: 'The plan job "plan" that produces tfplan for job "apply-production" has allow_failure: true' },
        { at: '22:7-22:29', severity: 'high', message: 'behind a manual action that does not block the pipeline' },
        { at: '28:7-28:30', severity: 'high', message: 'applies a plan that no job it downloads artifacts from' },
      ],
      // apply-wrong-file already needs the plan job: the missing file is for its author to sort out.
      output: fixture(__dirname, 'fail.yml')
        .replace('allow_failure: true', 'allow_failure: false')
        .replace('  when: manual\n', '  when: manual\n  allow_failure: false\n'),
    },
    {
      name: 'fixture fail2.yml (gitlab-terraform plan and apply in one job, production tier, automatic)',
      code: fixture(__dirname, 'fail2.yml'),
      errors: [
        { at: '8:7-8:29', message: 'makes the plan plan.cache and applies it in the same job' },
        { at: '8:7-8:29', message: 'changes production without anyone approving it' },
      ],
      output: fixture(__dirname, 'fail2.yml').concat('  when: manual\n  allow_failure: false\n'),
    },
    {
      name: 'fixture fail-needs.yml (the plan job is in the same stage: the apply needs it)',
      code: fixture(__dirname, 'fail-needs.yml'),
      errors: [{ at: '19:7-19:29', message: 'applies a plan that no job it downloads artifacts from' }],
      output: fixture(__dirname, 'fail-needs.yml').replace('apply:\n  stage: infra', 'apply:\n  needs: [{job: plan, artifacts: true}]\n  stage: infra'),
    },
    {
      name: 'apply without a plan file and without -auto-approve',
      code: 'apply:\n  script:\n    - terraform apply -input=false\n',
      errors: [{ at: '3:7-3:35', message: 'has no saved plan' }],
    },
    {
      name: 'needs with artifacts: false does not download the plan',
      code: 'plan:\n  script: [terraform plan -out tfplan]\n  artifacts:\n    paths: [tfplan]\napply:\n  needs:\n    - job: plan\n      artifacts: false\n  script: [terraform apply tfplan]\n',
      errors: [{ at: '9:12-9:34', message: 'applies a plan that no job it downloads artifacts from' }],
    },
    {
      name: 'always_manual: a non-production apply must be gated too',
      code: 'plan:\n  stage: build\n  script: [terraform plan -out tfplan]\n  artifacts:\n    paths: [tfplan]\napply:\n  stage: deploy\n  script: [terraform apply tfplan]\n',
      params: { always_manual: true },
      errors: [{ at: '8:12-8:34', message: 'changes infrastructure (always_manual) without anyone approving it' }],
    },
    {
      name: 'report_unknown: a plan file named by a project variable gets an info note',
      code: 'apply:\n  script: [terraform apply "$PLAN_FILE"]\n',
      params: { report_unknown: true },
      errors: [{ at: '2:12-2:40', severity: 'info', message: 'could not evaluate gitlab-terraform-apply-plan-gate: the plan file of "terraform apply" depends on $PLAN_FILE' }],
    },
  ],
});
