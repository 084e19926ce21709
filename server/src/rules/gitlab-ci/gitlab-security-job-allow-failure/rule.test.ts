import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (blocking scanners; exit_codes for infrastructure errors only; non-security job may fail)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'allow_failure from an extends target in an included file is unknown: nothing reported',
      code: 'include:\n  - local: ci/scanners.yml\niac-scan:\n  extends: .scanner-base\n  script: [checkov -d infra]\n',
    },
    {
      name: 'trivy --exit-code from a project variable is unknown: nothing reported',
      code: 'scan:\n  script:\n    - trivy fs --exit-code $FAIL_CODE .\n',
    },
    {
      name: 'trivy with a config file (which may set exit-code)',
      code: 'scan:\n  script:\n    - trivy fs --config ci/trivy.yaml .\n',
    },
    {
      name: 'a security template overridden with allow_failure: false in the file',
      code: 'include:\n  - template: Jobs/SAST.gitlab-ci.yml\n.sast-analyzer:\n  allow_failure: false\n',
    },
    {
      name: 'custom check_commands without checkov',
      code: 'lint:\n  script:\n    - checkov -d . --soft-fail\n',
      params: { check_commands: ['\\bconftest\\s+test\\b'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.yml (template allow_failure, --soft-fail, || true, --exit-code 0, rules allow_failure, exit_codes covering 1)',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '5:18-5:22', severity: 'high', message: 'allow_failure: true on security/policy job "iac-scan"' },
        { at: '10:24-10:35', severity: 'high', message: 'checkov --soft-fail' },
        { at: '11:27-11:34', severity: 'high', message: '"|| true" after "trivy config"' },
        { at: '11:7-11:19', severity: 'high', message: '"trivy config" in job "iac-scan" has no --exit-code' },
        { at: '16:31-16:32', severity: 'high', message: 'trivy --exit-code 0' },
        { at: '19:22-19:26', severity: 'high', message: 'container_scanning' },
        { at: '27:7-28:12', severity: 'high', message: 'lets the job fail with 1' },
      ],
      output: fixture(__dirname, 'fail.yml')
        .replace(/allow_failure: true/g, 'allow_failure: false')
        .replace(' --soft-fail', '')
        .replace('trivy config infra/ || true', 'trivy config --exit-code 1 infra/')
        .replace('--exit-code 0', '--exit-code 1')
        .replace('allow_failure:\n    exit_codes:\n      - 1\n      - 137', 'allow_failure: false'),
    },
    {
      name: 'trivy without --exit-code',
      code: 'image-scan:\n  script:\n    - trivy image registry.example.com/ml/serving:1.4\n',
      errors: [{ at: '3:7-3:18', message: 'has no --exit-code' }],
      output: 'image-scan:\n  script:\n    - trivy image --exit-code 1 registry.example.com/ml/serving:1.4\n',
    },
    {
      name: 'a job named like a GitLab analyzer, by name only, with allow_failure: true',
      code: 'semgrep-sast:\n  script: [/analyzer run]\n  allow_failure: true\n',
      errors: [{ at: '3:18-3:22' }],
    },
    {
      name: 'a job extending a security template by name',
      code: '.sast-analyzer:\n  script: [/analyzer run]\nmodel-code-scan:\n  extends: .sast-analyzer\n  allow_failure: true\n',
      errors: [{ at: '5:18-5:22', message: 'job "model-code-scan"' }],
    },
    {
      name: 'zizmor findings exit codes covered by exit_codes as a single number',
      code: 'workflows-audit:\n  script:\n    - zizmor .github/workflows\n  allow_failure:\n    exit_codes: 13\n',
      errors: [{ at: '5:17-5:19', message: 'lets the job fail with 13' }],
    },
    {
      name: 'one finding for a template shared by two scanner jobs, naming both',
      code: '.soft:\n  allow_failure: true\na:\n  extends: .soft\n  script: [checkov -d a]\nb:\n  extends: .soft\n  script: [checkov -d b]\n',
      errors: [{ at: '2:18-2:22', message: 'jobs "a", "b"' }],
    },
    {
      name: 'a GitLab-managed security template: info',
      code: 'include:\n  - template: Jobs/SAST.gitlab-ci.yml\n',
      errors: [{ at: '2:15-2:38', severity: 'info', message: 'Jobs/SAST.gitlab-ci.yml run with allow_failure: true' }],
    },
    {
      name: 'custom security_job_patterns',
      code: 'model-eval-gate:\n  script: [python eval.py]\n  allow_failure: true\n',
      params: { security_job_patterns: ['^model-eval-gate$'] },
      errors: [{ at: '3:18-3:22' }],
    },
    {
      name: 'report_unknown: allow_failure from a missing extends target gets an info note',
      code: 'include:\n  - local: ci/scanners.yml\niac-scan:\n  extends: .scanner-base\n  script: [checkov -d infra]\n',
      params: { report_unknown: true },
      errors: [{ at: '4:12-4:25', severity: 'info', message: 'could not evaluate gitlab-security-job-allow-failure: allow_failure of job "iac-scan"' }],
    },
    {
      name: 'report_unknown: trivy --exit-code from a project variable gets an info note',
      code: 'scan:\n  script:\n    - trivy fs --exit-code $FAIL_CODE .\n',
      params: { report_unknown: true },
      errors: [{ at: '3:28-3:38', severity: 'info', message: 'depends on a variable' }],
    },
  ],
});
