import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** A workflow with one job `deploy` (line 3 after a one-line `on:`) running `command`. */
const deployJob = (on: string, command: string, extra = '') => `on: ${on}
jobs:
  deploy:
    runs-on: ubuntu-latest
${extra}    steps:
      - run: ${command}
`;

const releaseBranch = `on:
  push:
    branches: [release/2025]
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: terraform apply -auto-approve
`;

const webappsDeploy = deployJob('release', 'echo packaging').replace(
  '      - run: echo packaging\n',
  '      - uses: azure/webapps-deploy@0123456789abcdef0123456789abcdef01234567\n',
);

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (environment production as map and, case-insensitively, as string)', code: fixture(__dirname, 'pass.yml') },
    {
      name: 'fixture pass-unknown.yml (environment expressions, push: expression, reusable workflow call)',
      code: fixture(__dirname, 'pass-unknown.yml'),
    },
    {
      name: 'fixture pass-not-prod.yml (branches-ignore main, pull_request, a prod-named job that does not deploy)',
      code: fixture(__dirname, 'pass-not-prod.yml'),
    },
    { name: 'push to a branch outside the default protected_refs', code: releaseBranch },
    {
      name: 'a negated branch filter excludes main, and a branch-only filter excludes tags',
      code: releaseBranch.replace('[release/2025]', "['**', '!main']"),
    },
    {
      name: 'every environment used is listed in protected_environments',
      code: fixture(__dirname, 'fail.yml').replace(/  apply:[\s\S]*?(?=  rollout:)/, ''),
      params: { protected_environments: ['production', 'staging', 'prod-eu'] },
    },
    { name: 'a command outside the default deploy_signals', code: deployJob('release', 'make deploy') },
    { name: 'a job id outside the default prod_patterns', code: deployJob('workflow_dispatch', 'helm upgrade --install scorer ./chart').replace('deploy:', 'prd:') },
  ],
  invalid: [
    {
      name: 'fixture fail.yml: missing environment, unprotected string and map environments on push to main',
      code: fixture(__dirname, 'fail.yml'),
      output: fixture(__dirname, 'fail.yml')
        .replace('    runs-on: ubuntu-latest\n    steps:\n      - run: |', '    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: |')
        .replace('environment: staging', 'environment: production')
        .replace('name: prod-eu', 'name: production'),
      errors: [
        { at: '8:3-8:8', severity: 'high', message: 'Job "apply" deploys (terraform apply) to production (triggered by push to main) without a named environment' },
        { at: '16:18-16:25', severity: 'high', message: 'in environment "staging", which is not a protected environment (production)' },
        { at: '22:13-22:20', severity: 'high', message: 'docker/build-push-action with push: true) to production (environment "prod-eu")' },
      ],
    },
    {
      name: 'job id matches prod_patterns',
      code: deployJob('workflow_dispatch', 'helm upgrade --install scorer ./chart').replace('deploy:', 'prod-deploy:'),
      errors: [{ at: '3:3-3:14', message: 'job id "prod-deploy"' }],
    },
    {
      name: 'job name matches prod_patterns',
      code: deployJob('workflow_dispatch', 'argocd app sync scorer', '    name: live-eu\n'),
      errors: [{ at: '3:3-3:9', message: 'job name "live-eu"' }],
    },
    {
      name: 'a matrix value matches prod_patterns',
      code: deployJob('workflow_dispatch', 'kubectl set image deploy/scorer app=x', '    strategy:\n      matrix:\n        target: [staging, production]\n'),
      errors: [{ at: '3:3-3:9', message: 'matrix value "production"' }],
    },
    {
      name: 'a workflow_dispatch input default matches prod_patterns',
      code: `on:
  workflow_dispatch:
    inputs:
      target:
        default: production
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: aws sagemaker update-endpoint --endpoint-name scorer
`,
      errors: [{ at: '7:3-7:9', message: 'workflow_dispatch input "target" defaults to "production"' }],
    },
    {
      name: 'a release trigger',
      code: deployJob('release', 'docker push ghcr.io/acme/scorer:1.2.0'),
      errors: [{ at: '3:3-3:9', message: '(docker push) to production (triggered by release)' }],
    },
    {
      name: 'push of tags matches refs/tags/*',
      code: 'on:\n  push:\n    tags: ["v*"]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: crane copy a b\n',
      errors: [{ at: '5:3-5:9', message: 'triggered by push to refs/tags/*' }],
    },
    {
      name: 'push without filters reaches every protected ref',
      code: deployJob('push', 'gcloud ai endpoints deploy-model 123'),
      errors: [{ at: '3:3-3:9', message: 'triggered by push to main or refs/tags/*' }],
    },
    {
      name: 'protected_refs globs in GitHub filter syntax',
      code: releaseBranch,
      params: { protected_refs: ['release/*'] },
      errors: [{ at: '5:3-5:9', message: 'triggered by push to release/*' }],
    },
    {
      name: 'an environment map without name counts as missing',
      code: deployJob('release', 'terraform apply', '    environment:\n      url: https://models.example.com\n'),
      errors: [{ at: '3:3-3:9', message: 'without a named environment' }],
      output: deployJob('release', 'terraform apply', '    environment:\n      url: https://models.example.com\n      name: production\n'),
    },
    {
      name: 'deploy_signals over run text',
      code: deployJob('release', 'make deploy'),
      params: { deploy_signals: ['\\bmake\\s+deploy\\b'] },
      errors: [{ at: '3:3-3:9', message: '(make deploy)' }],
    },
    {
      name: 'deploy_signals over action names',
      code: webappsDeploy,
      params: { deploy_signals: ['^azure/webapps-deploy$'] },
      errors: [{ at: '3:3-3:9', message: '(azure/webapps-deploy)' }],
    },
    {
      name: 'prod_patterns replace the default',
      code: deployJob('workflow_dispatch', 'helm upgrade --install scorer ./chart').replace('deploy:', 'prd:'),
      params: { prod_patterns: ['(?i)^PRD$'] },
      errors: [{ at: '3:3-3:6', message: 'job id "prd"' }],
    },
  ],
});

describe('gha-prod-deploy-environment related information and quick-fix data', () => {
  it('points at the deploy command and the production trigger, and inserts the first protected environment', async () => {
    const findings = await analyze(rule, { '.github/workflows/ci.yml': fixture(__dirname, 'fail.yml') }, { protected_environments: ['prod-approved', 'production'] });
    const apply = findings.find((f) => f.range.start.line === 7)!;
    assert.deepEqual(apply.data, { fix: 'insert', key: 'environment', value: 'prod-approved', job: 'apply' });
    assert.deepEqual(
      apply.related?.map((r) => [r.message, r.at.range]),
      [
        ['deploys: terraform apply', { start: { line: 12, character: 10 }, end: { line: 12, character: 25 } }],
        ['targets production: triggered by push to main', { start: { line: 2, character: 2 }, end: { line: 2, character: 6 } }],
      ],
    );
    const rollout = findings.find((f) => f.range.start.line === 15)!;
    assert.deepEqual(rollout.data, { fix: 'set', key: 'environment', value: 'prod-approved', job: 'rollout' });
  });
});
