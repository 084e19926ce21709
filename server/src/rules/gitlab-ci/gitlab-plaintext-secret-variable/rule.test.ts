import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (references, empty values, non-secret names, secrets:)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'a secret name with a literal prefix and a project variable is unknown: nothing reported',
      code: 'deploy:\n  variables:\n    API_TOKEN: "Bearer $API_TOKEN_VALUE"\n  script: [./deploy.sh]\n',
    },
    {
      name: 'report_unknown: a pure reference is compliant, not unknown',
      code: 'variables:\n  DB_PASSWORD: $DB_PASSWORD_FROM_SETTINGS\n  API_KEY: ${A}${B}\n',
      params: { report_unknown: true },
    },
    {
      name: 'a custom secret_name_patterns list that does not match',
      code: 'variables:\n  DB_PASSWORD: hunter2\n',
      params: { secret_name_patterns: ['(?i)_PASS$'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (name match, credential in any variable, long form, rules and workflow:rules)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '2:16-2:29', severity: 'critical', message: 'DB_PASSWORD in the top-level variables looks like a secret' },
        { at: '3:18-3:62', severity: 'critical', message: 'The value of RELEASE_NOTES in the top-level variables is a credential' },
        { at: '8:14-8:54', message: 'OPENAI_API_KEY in job "deploy-model" is a credential' },
        { at: '10:24-10:44', message: 'The value of AWS_ACCESS_KEY_ID in job "deploy-model" is a credential' },
        { at: '16:19-16:56', message: 'a rules: entry of job "deploy-model"' },
        { at: '22:26-22:33', message: 'REGISTRY_SECRET in workflow:rules looks like a secret' },
      ],
    },
    {
      name: 'the value is masked in the message',
      code: 'variables:\n  DB_PASSWORD: hunter2\n',
      errors: [{ at: '2:16-2:23', message: /^(?!.*hunter2).*masked here/ }],
    },
    {
      name: 'a literal completed from a variable written in the file',
      code: 'variables:\n  SUFFIX: "42"\n  DB_PASSWORD: "hunter$SUFFIX"\n',
      errors: [{ at: '3:16-3:31', message: 'DB_PASSWORD' }],
    },
    {
      name: 'a GitLab CI/CD job token literal',
      code: 'publish:\n  variables:\n    UPSTREAM: glcbt-64_AbCdEfGhIjKlMnOpQrStUvWx\n  script: [./publish.sh]\n',
      errors: [{ at: '3:15-3:48', message: 'is a credential' }],
    },
    {
      name: 'a private key in a block scalar',
      code: 'variables:\n  DEPLOY_KEY: |\n    -----BEGIN OPENSSH PRIVATE KEY-----\n    b3BlbnNzaC1rZXktdjEAAAAA\n    -----END OPENSSH PRIVATE KEY-----\n',
      errors: [{ at: '2:15-5:38', message: 'DEPLOY_KEY' }],
    },
    {
      name: 'custom secret_name_patterns',
      code: 'variables:\n  LDAP_BIND_PASS: hunter2\n',
      params: { secret_name_patterns: ['(?i)_PASS$'] },
      errors: [{ at: '2:19-2:26' }],
    },
    {
      name: 'report_unknown: a literal prefix with a project variable gets an info note',
      code: 'deploy:\n  variables:\n    API_TOKEN: "Bearer $API_TOKEN_VALUE"\n  script: [./deploy.sh]\n',
      params: { report_unknown: true },
      errors: [{ at: '3:16-3:41', severity: 'info', message: 'could not evaluate gitlab-plaintext-secret-variable: API_TOKEN mixes literal text' }],
    },
  ],
});
