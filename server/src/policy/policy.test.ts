import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../engine/finding';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';

const ROOT = '/ws';

async function service(files: Record<string, string>): Promise<LanguageService> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  // No built-in rule: only the policies speak.
  return LanguageService.create({ fs: memoryFileSystem(abs), roots: [ROOT], rules: [], now: () => new Date('2026-01-01T00:00:00Z') });
}

/** `id@line:col-line:col`, 1-based, end exclusive, as the rule tests write them. */
const brief = (f: Finding) => `${f.ruleId}@${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;

function findings(s: LanguageService, rel: string, prefix = 'acme-'): Finding[] {
  return s.analyze(toUri(`${ROOT}/${rel}`)).findings.filter((f) => f.ruleId.startsWith(prefix));
}

/** A `.plumbline.yaml` holding one policy. */
function config(id: string, match: string, assertion: string, severity = 'high'): string {
  return [
    'policies:',
    `  - id: ${id}`,
    '    title: A custom policy',
    `    severity: ${severity}`,
    '    message: Custom policy failed',
    '    match:',
    `      ${match}`,
    '    assert:',
    ...assertion.split('\n').map((l) => `      ${l}`),
    '',
  ].join('\n');
}

const K8S_LABEL_ASSERT = `properties:
  metadata:
    required: [labels]
    properties:
      labels:
        required: [model-version]
        properties:
          model-version: { type: string, pattern: '^\\d+\\.\\d+\\.\\d+$' }`;

describe('custom policies: Kubernetes', () => {
  const manifest = [
    'apiVersion: apps/v1', // 1
    'kind: Deployment',
    'metadata:',
    '  name: scorer',
    '  labels:', // 5
    '    workload: model-serving',
    '    model-version: "1.4"', // 7
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment', // 10
    'metadata:',
    '  name: other',
    '  labels:', // 13
    '    workload: model-serving',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:', // 18
    '  name: no-labels',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: batch',
    '  labels:',
    '    workload: batch',
    '',
  ].join('\n');

  it('reports a wrong value on the value, a missing property on the key of the mapping that lacks it, and honours the label selector', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-model-version', 'kubernetes: { kinds: [Deployment], labels: { workload: model-serving } }', K8S_LABEL_ASSERT),
      'k8s/app.yaml': manifest,
    });
    const found = findings(s, 'k8s/app.yaml');
    assert.deepEqual(found.map(brief), ['acme-model-version@7:20-7:25', 'acme-model-version@13:3-13:9']);
    assert.equal(found[0]!.message, 'Custom policy failed: metadata.labels.model-version must match pattern ^\\d+\\.\\d+\\.\\d+$');
    assert.equal(found[1]!.message, "Custom policy failed: metadata.labels must have required property 'model-version'");
    assert.equal(found[0]!.severity, 'high');
  });

  it('reports a missing nested mapping on its parent key, and an unexpected key on that key', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-no-extra', 'kubernetes: { kinds: [Deployment], apiVersions: [apps/v1] }', 'properties:\n  metadata:\n    required: [labels]\n    propertyNames: { enum: [name, labels] }'),
      'k8s/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n  namespace: ml\n',
    });
    assert.deepEqual(findings(s, 'k8s/app.yaml').map(brief), ['acme-no-extra@3:1-3:9', 'acme-no-extra@5:3-5:12']);
  });

  it('draws no verdict from a templated value', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-model-version', 'kubernetes: { kinds: [Deployment] }', K8S_LABEL_ASSERT),
      'k8s/app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  labels:\n    model-version: "{{ .Values.version }}"\n',
    });
    assert.deepEqual(findings(s, 'k8s/app.yaml'), []);
  });
});

const ENDPOINT_POLICY = config(
  'acme-sagemaker-instance-family',
  'terraform: { resources: [aws_sagemaker_endpoint_configuration] }',
  `required: [production_variants, kms_key_arn]
properties:
  production_variants:
    items:
      required: [instance_type]
      properties:
        instance_type: { pattern: '^ml\\.(g5|inf2)\\.' }
  tags:
    required: [owner]`,
);

describe('custom policies: Terraform', () => {
  const main = [
    'variable "instance_type" {}', // 1
    'locals {',
    '  family = "ml.g5"',
    '}',
    'resource "aws_sagemaker_endpoint_configuration" "serving" {', // 5
    '  name = "serving"',
    '  production_variants {',
    '    variant_name  = "primary"',
    '    instance_type = "ml.m5.large"', // 9
    '  }',
    '  production_variants {', // 11
    '    variant_name = "shadow"',
    '  }',
    '  production_variants {',
    '    variant_name  = "canary"', // 15
    '    instance_type = var.instance_type',
    '  }',
    '  production_variants {',
    '    instance_type = "${local.family}.xlarge"',
    '  }', // 20
    '  tags = {',
    '    team = "ml"', // 22
    '  }',
    '}',
    '',
  ].join('\n');

  it('lands on the block header, a nested block header, an attribute value and a nested key, after evaluation', async () => {
    const s = await service({ '.plumbline.yaml': ENDPOINT_POLICY, 'tf/main.tf': main });
    const found = findings(s, 'tf/main.tf');
    assert.deepEqual(found.map(brief), [
      'acme-sagemaker-instance-family@5:1-5:58', // kms_key_arn missing: the resource header
      'acme-sagemaker-instance-family@9:21-9:34', // wrong value
      'acme-sagemaker-instance-family@11:3-11:22', // a nested block lacking instance_type: its header
      'acme-sagemaker-instance-family@21:3-21:7', // tags lacks owner: the tags key
    ]);
    assert.match(found[0]!.message, /the resource must have required property 'kms_key_arn'$/);
    assert.match(found[1]!.message, /production_variants\[0\]\.instance_type must match pattern/);
    assert.match(found[2]!.message, /production_variants\[1\] must have required property 'instance_type'$/);
  });

  it('never reports an Unknown value, nor a required property whose value is Unknown', async () => {
    const s = await service({
      '.plumbline.yaml': ENDPOINT_POLICY,
      'tf/main.tf': [
        'variable "kms" {}',
        'variable "type" {}',
        'resource "aws_sagemaker_endpoint_configuration" "serving" {',
        '  kms_key_arn = var.kms',
        '  production_variants {',
        '    instance_type = var.type',
        '  }',
        '  tags = merge(var.common, { team = "ml" })',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings(s, 'tf/main.tf'), []);
  });

  it('treats a dynamic block as unknown, and data sources by their own match', async () => {
    const s = await service({
      '.plumbline.yaml': ENDPOINT_POLICY,
      'tf/main.tf': [
        'resource "aws_sagemaker_endpoint_configuration" "serving" {',
        '  kms_key_arn = "arn:aws:kms:eu-west-1:1:key/x"',
        '  dynamic "production_variants" {',
        '    for_each = var.variants',
        '    content {}',
        '  }',
        '}',
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings(s, 'tf/main.tf'), []);
  });

  it('evaluates each known instance of a for_each resource, reporting each place once', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-region', 'terraform: { resources: [aws_s3_bucket] }', "properties:\n  bucket: { pattern: '^acme-' }"),
      'tf/main.tf': 'resource "aws_s3_bucket" "b" {\n  for_each = toset(["acme-a", "other"])\n  bucket   = each.value\n}\n',
    });
    const found = findings(s, 'tf/main.tf');
    assert.deepEqual(found.map(brief), ['acme-region@3:14-3:24']);
  });
});

describe('custom policies: pipelines', () => {
  it('GitHub Actions jobs: missing key on the job id, wrong value on the value, nested key', async () => {
    const s = await service({
      '.plumbline.yaml': config(
        'acme-job-timeout',
        'github-actions: { jobs: "*" }',
        'required: [timeout-minutes]\nproperties:\n  runs-on: { const: self-hosted }\n  env:\n    additionalProperties: false\n    properties: { CI: {} }',
      ),
      '.github/workflows/ci.yml': 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n      CI: "1"\n      TOKEN: x\n    steps:\n      - run: make\n',
    });
    assert.deepEqual(findings(s, '.github/workflows/ci.yml').map(brief), ['acme-job-timeout@3:3-3:8', 'acme-job-timeout@4:14-4:27', 'acme-job-timeout@7:7-7:12']);
  });

  it('GitHub Actions steps selected by uses, with expressions left unknown', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-checkout', 'github-actions: { steps: { uses: "actions/checkout@*" } }', "required: [with]\nproperties:\n  with:\n    required: [persist-credentials]\n    properties:\n      persist-credentials: { const: false }"),
      '.github/workflows/ci.yml': [
        'on: push',
        'jobs:',
        '  build:',
        '    runs-on: ubuntu-latest',
        '    steps:',
        '      - uses: actions/checkout@v4', // 6
        '      - uses: actions/checkout@v4',
        '        with:',
        '          persist-credentials: true', // 9
        '      - uses: actions/checkout@v4',
        '        with:',
        '          persist-credentials: ${{ inputs.persist }}',
        '      - uses: actions/setup-node@v4',
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings(s, '.github/workflows/ci.yml').map(brief), ['acme-checkout@6:9-6:34', 'acme-checkout@9:32-9:36']);
  });

  it('GitLab jobs: named jobs only, and no missing-key verdict where extends may supply it', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-gitlab-tags', 'gitlab-ci: { jobs: [deploy, release] }', 'required: [tags]\nproperties:\n  when: { enum: [manual] }'),
      '.gitlab-ci.yml': [
        'stages: [deploy]',
        '.base:',
        '  tags: [prod]',
        'deploy:', // 4
        '  script: [make deploy]',
        '  when: always', // 6
        'release:',
        '  extends: .base',
        '  script: [make release]',
        'test:',
        '  script: [make test]',
        '',
      ].join('\n'),
    });
    assert.deepEqual(findings(s, '.gitlab-ci.yml').map(brief), ['acme-gitlab-tags@4:1-4:7', 'acme-gitlab-tags@6:9-6:15']);
  });
});

describe('policy files and suppressions', () => {
  it('reads .plumbline/policies/*.yaml at the workspace root and in sub-folders, for documents under that folder only', async () => {
    const policy = (id: string) =>
      `policies:\n  - id: ${id}\n    title: Labels\n    severity: low\n    message: Needs an owner\n    match: { kubernetes: { kinds: [ConfigMap] } }\n    assert: { properties: { metadata: { required: [labels] } } }\n`;
    const s = await service({
      '.plumbline/policies/root.yaml': policy('acme-root'),
      'team/.plumbline/policies/team.yml': policy('acme-team'),
      'team/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
      'other/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    assert.deepEqual(findings(s, 'team/cm.yaml').map(brief), ['acme-root@3:1-3:9', 'acme-team@3:1-3:9']);
    assert.deepEqual(findings(s, 'other/cm.yaml').map(brief), ['acme-root@3:1-3:9']);
    assert.equal(findings(s, 'team/cm.yaml')[0]!.severity, 'low');
    // Editing a policy file re-analyses the open documents under the folder that holds its .plumbline/.
    s.openDocument(toUri(`${ROOT}/team/cm.yaml`), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 1);
    s.openDocument(toUri(`${ROOT}/other/cm.yaml`), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n', 1);
    assert.deepEqual(s.dependents(toUri(`${ROOT}/team/.plumbline/policies/team.yml`)), [toUri(`${ROOT}/team/cm.yaml`)]);
    s.openDocument(toUri(`${ROOT}/team/.plumbline/policies/team.yml`), 'policies: []\n', 1);
    assert.deepEqual(findings(s, 'team/cm.yaml').map(brief), ['acme-root@3:1-3:9']);
    // A new policy file counts as soon as it is open, before it is saved.
    s.openDocument(toUri(`${ROOT}/other/.plumbline/policies/new.yaml`), policy('acme-new'), 1);
    assert.deepEqual(findings(s, 'other/cm.yaml').map(brief), ['acme-new@3:1-3:9', 'acme-root@3:1-3:9']);
  });

  it('a directive may suppress a policy finding by the policy id, and an unknown id is still refused', async () => {
    const s = await service({
      '.plumbline.yaml': config('acme-model-version', 'kubernetes: { kinds: [Deployment] }', K8S_LABEL_ASSERT),
      'k8s/app.yaml': [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        '  name: x',
        '  # plumbline:ignore acme-model-version reason="JIRA-12 versioned by the registry" expires=2026-03-01',
        '  labels:',
        '    app: x',
        '',
      ].join('\n'),
      'k8s/other.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  # plumbline:ignore acme-model-versoin reason="JIRA-12 versioned by the registry" expires=2026-03-01\n  labels: {}\n',
    });
    const all = s.analyze(toUri(`${ROOT}/k8s/app.yaml`));
    assert.deepEqual(all.findings, []);
    assert.equal(all.directives[0]?.suppressed, 1);
    const other = s.analyze(toUri(`${ROOT}/k8s/other.yaml`)).findings;
    assert.deepEqual(other.map((f) => f.ruleId).sort(), ['acme-model-version', 'plumbline-suppression-invalid']);
    assert.match(other.find((f) => f.ruleId === 'plumbline-suppression-invalid')!.message, /did you mean "acme-model-version"/);
  });

  it('runs in analyzeMany (the CLI path) for Terraform modules too', async () => {
    const s = await service({ '.plumbline.yaml': ENDPOINT_POLICY, 'tf/main.tf': 'resource "aws_sagemaker_endpoint_configuration" "e" {\n  kms_key_arn = "k"\n}\n' });
    const result = s.analyzeMany([toUri(`${ROOT}/tf/main.tf`)]);
    assert.deepEqual(result.get(toUri(`${ROOT}/tf/main.tf`))!.findings.map(brief), ['acme-sagemaker-instance-family@1:1-1:52']);
  });
});
