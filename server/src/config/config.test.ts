import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryFileSystem } from '../service/fileSystem';
import { CONFIG_ERROR_ID, LanguageService, toUri } from '../service/languageService';

const ECR = 'resource "aws_ecr_repository" "models" {\n  name                 = "models"\n  image_tag_mutability = "MUTABLE"\n  image_scanning_configuration {\n    scan_on_push = true\n  }\n}\n';
const POD = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: ml\nspec:\n  containers:\n    - name: c\n      image: registry.example.com/c@sha256:' + 'a'.repeat(64) + '\n      securityContext:\n        allowPrivilegeEscalation: true\n';

async function service(files: Record<string, string>) {
  return LanguageService.create({ fs: memoryFileSystem(files), roots: ['/repo'] });
}
const findings = (s: LanguageService, file: string, rule?: string) =>
  s.analyze(toUri(file)).findings.filter((f) => !rule || f.ruleId === rule);
const brief = (f: { range: { start: { line: number; character: number }; end: { line: number; character: number } } }) =>
  `${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;

describe('.plumbline.yaml', () => {
  it('disables a rule and overrides a severity; the nearest file wins over its parents', async () => {
    const s = await service({
      '/repo/.plumbline.yaml': 'rules:\n  tf-aws-ecr-tag-immutability:\n    severity: critical\n',
      '/repo/infra/main.tf': ECR,
      '/repo/team/.plumbline.yaml': 'rules:\n  tf-aws-ecr-tag-immutability:\n    enabled: false\n',
      '/repo/team/main.tf': ECR,
    });
    assert.deepEqual(findings(s, '/repo/infra/main.tf', 'tf-aws-ecr-tag-immutability').map((f) => f.severity), ['critical']);
    assert.deepEqual(findings(s, '/repo/team/main.tf', 'tf-aws-ecr-tag-immutability'), []);
  });

  it('extends presets and local files, in order, before its own settings', async () => {
    const s = await service({
      '/repo/base.yaml': 'rules:\n  k8s-allow-privilege-escalation:\n    severity: low\n',
      '/repo/.plumbline.yaml': 'extends: [ai-act-high-risk, ./base.yaml]\n',
      '/repo/pod.yaml': POD,
      '/repo/main.tf': ECR,
    });
    assert.deepEqual(findings(s, '/repo/pod.yaml', 'k8s-allow-privilege-escalation').map((f) => f.severity), ['low']);
    assert.equal(s.suppressionSettings(toUri('/repo/main.tf')).maxDays, 60, 'the preset shortens waivers');
  });

  it('passes global parameters to every rule that declares them', async () => {
    const tf = 'provider "aws" {\n  region = "us-east-1"\n}\n';
    const s = await service({ '/repo/.plumbline.yaml': 'allowed_regions:\n  aws: [eu-central-1]\n', '/repo/main.tf': tf });
    assert.deepEqual(findings(s, '/repo/main.tf', 'tf-allowed-regions').map(brief), ['2:12-2:23']);
  });

  it('excludes paths from analysis, and a rule from some paths', async () => {
    const s = await service({
      '/repo/.plumbline.yaml': 'exclude: [legacy/**]\nrules:\n  tf-aws-ecr-tag-immutability:\n    exclude_paths: ["sandbox/*.tf"]\n',
      '/repo/legacy/main.tf': ECR,
      '/repo/sandbox/main.tf': ECR,
      '/repo/prod/main.tf': ECR,
    });
    assert.deepEqual(findings(s, '/repo/legacy/main.tf'), []);
    assert.deepEqual(findings(s, '/repo/sandbox/main.tf', 'tf-aws-ecr-tag-immutability'), []);
    assert.equal(findings(s, '/repo/prod/main.tf', 'tf-aws-ecr-tag-immutability').length, 1);
  });

  it('reports problems at the offending key and applies the rest', async () => {
    const config = [
      'rules:',
      '  tf-no-such-rule:',
      '    enabled: false',
      '  tf-aws-ecr-tag-immutability:',
      '    severity: urgent',
      '  tf-required-tags:',
      '    params:',
      '      required_tags: [owner]',
      '      requird_tags: [typo]',
      '  k8s-allow-privilege-escalation:',
      '    enabled: false',
      '  k8s-probes: off',
      '',
    ].join('\n');
    const s = await service({ '/repo/.plumbline.yaml': config, '/repo/pod.yaml': POD });
    const problems = findings(s, '/repo/.plumbline.yaml');
    assert.deepEqual(
      problems.map((f) => `${f.ruleId} ${brief(f)} ${f.message.split(':')[0]}`),
      [
        `${CONFIG_ERROR_ID} 2:3-2:18 Unknown rule id "tf-no-such-rule"`,
        `${CONFIG_ERROR_ID} 5:15-5:21 rules.tf-aws-ecr-tag-immutability.severity must be one of "critical", "high", "medium", "low", "info". This value is ignored.`,
        `${CONFIG_ERROR_ID} 9:7-9:19 Rule tf-required-tags has no parameter "requird_tags". This parameter is ignored.`,
        `${CONFIG_ERROR_ID} 12:15-12:18 rules.k8s-probes must be object. This value is ignored.`,
      ],
    );
    assert.deepEqual(findings(s, '/repo/pod.yaml', 'k8s-allow-privilege-escalation'), [], 'the valid part still applies');
  });

  it('keeps the last valid version while the file does not parse, and says so', async () => {
    const s = await service({ '/repo/.plumbline.yaml': 'rules:\n  k8s-allow-privilege-escalation:\n    enabled: false\n', '/repo/pod.yaml': POD });
    assert.deepEqual(findings(s, '/repo/pod.yaml', 'k8s-allow-privilege-escalation'), []);
    s.openDocument(toUri('/repo/.plumbline.yaml'), 'rules:\n  k8s-allow-privilege-escalation:\n    enabled: [false\n', 2);
    assert.deepEqual(findings(s, '/repo/pod.yaml', 'k8s-allow-privilege-escalation'), [], 'still disabled');
    assert.match(findings(s, '/repo/.plumbline.yaml')[0]!.message, /last valid version of this file stays in force/);
    s.updateDocument(toUri('/repo/.plumbline.yaml'), 'rules: {}\n', 3);
    assert.equal(findings(s, '/repo/pod.yaml', 'k8s-allow-privilege-escalation').length, 1, 'hot reload: the edit applies at once');
    assert.deepEqual(s.dependents(toUri('/repo/.plumbline.yaml')), [], 'only open documents depend on it');
  });

  it('names unknown presets', async () => {
    const s = await service({ '/repo/.plumbline.yaml': 'extends: strictest\n' });
    assert.match(findings(s, '/repo/.plumbline.yaml')[0]!.message, /Unknown preset "strictest"/);
  });
});
