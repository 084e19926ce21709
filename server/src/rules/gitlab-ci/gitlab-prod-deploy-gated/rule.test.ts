import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (manual template, rules manual, staging, review/$VAR, $VAR name)', code: fixture(__dirname, 'pass.yml') },
    { name: 'fixture pass-anchors-and-reference.yml (<<: merge key, rules from !reference)', code: fixture(__dirname, 'pass-anchors-and-reference.yml') },
    {
      name: 'the later extends entry wins (.manual after .auto)',
      code: '.manual:\n  when: manual\n  allow_failure: false\n.auto:\n  when: on_success\ndeploy:\n  extends: [.auto, .manual]\n  environment: production\n  script: [./deploy.sh]\n',
    },
    {
      name: 'another protected production environment',
      code: 'deploy:\n  when: manual\n  allow_failure: false\n  environment: prod-eu\n  script: [./deploy.sh]\n',
      params: { protected_environments: ['production', 'prod-eu'] },
    },
    {
      name: 'gate settings from a template in an included file are unknown',
      code: 'include:\n  - local: ci/deploy.yml\ndeploy:\n  extends: .deploy-from-include\n  environment: production\n',
    },
    {
      name: 'environment action prepare does not deploy',
      code: 'prepare-prod:\n  environment:\n    name: production-eu\n    action: prepare\n  script: [./prepare.sh]\n',
    },
    {
      name: 'an environment name from a variable that is not in the file',
      code: 'deploy:\n  environment:\n    name: $TARGET_ENV\n  script: [./deploy.sh]\n',
    },
    {
      name: 'a job that never runs (all rules never)',
      code: 'deploy:\n  environment: production\n  rules:\n    - when: never\n  script: [./deploy.sh]\n',
    },
    {
      name: 'default prod_patterns do not match other names',
      code: 'deploy:\n  environment: preprod\n  script: [./deploy.sh]\n',
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (automatic, manual without allow_failure, allow_failure true, rules allow_failure true, unprotected names)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '3:3-3:14', severity: 'high', message: 'job "deploy-prod" deploys to production environment "production" automatically' },
        { at: '8:3-8:7', severity: 'high', message: 'defaults to allow_failure: true' },
        { at: '10:11-10:18', severity: 'high', message: 'Environment "live-eu" (deployed by job "deploy-live") is production but not in protected_environments' },
        { at: '16:18-16:22', severity: 'high', message: 'Set allow_failure: false' },
        { at: '25:11-25:21', severity: 'high', message: 'Environment "ml-serving"' },
        { at: '30:22-30:26', severity: 'high', message: 'allow_failure is not false for the manual job "release-endpoint"' },
      ],
      output: fixture(__dirname, 'fail.yml')
        .replace('  environment: production\n', '  environment: production\n  when: manual\n  allow_failure: false\n')
        .replace('deploy-live:\n  when: manual\n', 'deploy-live:\n  when: manual\n  allow_failure: false\n')
        .replace(/allow_failure: true/g, 'allow_failure: false'),
    },
    {
      name: 'fixture fail-extends-template.yml (deep-merged tier, shared templates named once with every job)',
      code: fixture(__dirname, 'fail-extends-template.yml'),
      errors: [
        { at: '12:3-12:14', message: 'job "serve-eu" deploys to production environment "ml-serving-eu" automatically' },
        { at: '13:11-13:24', message: 'Environment "ml-serving-eu"' },
        { at: '8:3-8:7', message: 'when: manual on jobs "deploy-us", "deploy-apac" (deploying to production environment "production") defaults to allow_failure: true' },
        { at: '28:3-28:14', message: 'jobs "rollout-a", "rollout-b" deploy' },
      ],
    },
    {
      name: 'a rules: entry that runs the job without approval',
      code: 'deploy:\n  environment: production\n  rules:\n    - if: $CI_COMMIT_TAG\n      when: manual\n    - if: $CI_COMMIT_BRANCH == "main"\n  script: [./deploy.sh]\n',
      errors: [{ at: '2:3-2:14', message: 'a rules: entry lets it run without anyone starting it (when: on_success)' }],
      output: 'deploy:\n  environment: production\n  rules:\n    - if: $CI_COMMIT_TAG\n      when: manual\n    - if: $CI_COMMIT_BRANCH == "main"\n      when: manual\n  script: [./deploy.sh]\n',
    },
    {
      name: 'rules manual with a job-level allow_failure true',
      code: 'deploy:\n  environment: production\n  allow_failure: true\n  rules:\n    - when: manual\n  script: [./deploy.sh]\n',
      errors: [{ at: '3:18-3:22', message: 'allow_failure is not false' }],
    },
    {
      name: 'when: on_success is not manual',
      code: 'deploy:\n  when: on_success\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '3:3-3:14', message: 'automatically' }],
    },
    {
      name: 'allow_failure with exit codes is not blocking',
      code: 'deploy:\n  when: manual\n  allow_failure:\n    exit_codes: [3]\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '4:5-4:20', message: 'allow_failure is not false' }],
    },
    {
      name: 'an environment name from a variable written in the file',
      code: 'variables:\n  DEPLOY_ENV: production\ndeploy:\n  environment: $DEPLOY_ENV\n  script: [./deploy.sh]\n',
      errors: [{ at: '4:3-4:14', message: 'production environment "production"' }],
    },
    {
      name: 'a job-level variable wins over the top-level one',
      code: 'variables:\n  DEPLOY_ENV: staging\ndeploy:\n  variables:\n    DEPLOY_ENV: prod-eu\n  environment: $DEPLOY_ENV\n  script: [./deploy.sh]\n',
      errors: [
        { at: '6:3-6:14', message: 'production environment "prod-eu"' },
        { at: '6:16-6:27', message: 'Environment "prod-eu"' },
      ],
    },
    {
      name: 'rules from a !reference are resolved (and can run the job automatically)',
      code: '.auto-rules:\n  rules:\n    - if: $CI_COMMIT_TAG\ndeploy:\n  rules: !reference [.auto-rules, rules]\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '6:3-6:14', message: 'a rules: entry lets it run' }],
    },
    {
      name: 'the later extends entry wins (.auto after .manual)',
      code: '.manual:\n  when: manual\n  allow_failure: false\n.auto:\n  when: on_success\ndeploy:\n  extends: [.manual, .auto]\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '8:3-8:14', message: 'automatically' }],
    },
    {
      name: 'an extends cycle stops and the job is still evaluated',
      code: '.a:\n  extends: .b\n.b:\n  extends: .a\n  when: manual\ndeploy:\n  extends: .a\n  environment: production\n  script: [./deploy.sh]\n',
      errors: [{ at: '5:3-5:7', message: 'defaults to allow_failure: true' }],
    },
    {
      name: 'custom prod_patterns',
      code: 'deploy:\n  environment: prd\n  script: [./deploy.sh]\n',
      params: { prod_patterns: ['^prd$'], protected_environments: ['prd'] },
      errors: [{ at: '2:3-2:14', message: 'production environment "prd"' }],
    },
    {
      name: 'protected_environments empty: production itself is unprotected',
      code: 'deploy:\n  when: manual\n  allow_failure: false\n  environment: production\n  script: [./deploy.sh]\n',
      params: { protected_environments: [] },
      errors: [{ at: '4:16-4:26', message: 'not in protected_environments (none)' }],
    },
  ],
});
