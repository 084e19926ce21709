import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';
import { codeLenses, terraformTargets, yamlTargets } from './codeLens';

const at = (l: { range: { start: { line: number; character: number } } }) => `${l.range.start.line + 1}:${l.range.start.character + 1}`;

describe('code lens', () => {
  it('counts each Terraform block\'s findings by severity, or says it is compliant', async () => {
    const tf = [
      'terraform {',
      '  required_version = "~> 1.9"',
      '  required_providers {',
      '    aws = { source = "hashicorp/aws", version = "~> 5.70" }',
      '  }',
      '}',
      'resource "aws_ecr_repository" "mutable" {',
      '  image_tag_mutability = "MUTABLE"',
      '}',
      'resource "aws_ecr_repository" "good" {',
      '  image_tag_mutability = "IMMUTABLE"',
      '  image_scanning_configuration {',
      '    scan_on_push = true',
      '  }',
      '}',
      '',
    ].join('\n');
    const s = await LanguageService.create({ fs: memoryFileSystem({ '/w/main.tf': tf }) });
    const uri = toUri('/w/main.tf');
    const lenses = codeLenses(uri, terraformTargets(s.hclFile(uri)!), s.analyze(uri).findings, s.rulesRunOn(uri));
    assert.deepEqual(
      lenses.map((l) => `${at(l)} ${l.command!.title}`),
      ['7:1 Plumbline: 1 high · 1 medium', `10:1 Plumbline: compliant (${s.rulesRunOn(uri)} rules)`],
    );
    assert.ok(s.rulesRunOn(uri) >= 48, 'every Terraform rule ran');
    // When drift is known, the lens says so: "drifted 2 h ago".
    const header = s.hclFile(uri)!.body.blocks[1]!.headerRange;
    const drifted = codeLenses(uri, terraformTargets(s.hclFile(uri)!), s.analyze(uri).findings, s.rulesRunOn(uri), [{ at: header, status: 'drifted', checkedAt: '2026-11-20T10:00:00Z' }], new Date('2026-11-20T12:05:00Z'));
    assert.equal(drifted[0]!.command!.title, 'Plumbline: 1 high · 1 medium · drifted 2 h ago');
    assert.equal(drifted[1]!.command!.title, `Plumbline: compliant (${s.rulesRunOn(uri)} rules)`);
    const [, label, items] = lenses[0]!.command!.arguments as [string, string, { ruleId: string }[]];
    assert.equal(label, 'aws_ecr_repository.mutable');
    assert.deepEqual(items.map((i) => i.ruleId).sort(), ['tf-aws-ecr-scan-on-push', 'tf-aws-ecr-tag-immutability']);
  });

  it('puts one lens on each Kubernetes object and each pipeline job', async () => {
    const k8s = 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ml\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  namespace: ml\n';
    const gha = 'on: push\npermissions: {}\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
    const gitlab = 'stages: [build]\n.hidden:\n  script: [x]\nbuild:\n  stage: build\n  script: [make]\n';
    const s = await LanguageService.create({ fs: memoryFileSystem({ '/w/k.yaml': k8s, '/w/.github/workflows/ci.yml': gha, '/w/.gitlab-ci.yml': gitlab }), roots: ['/w'] });
    const targets = (p: string) => yamlTargets(s.yamlFile(toUri(p))!).map((t) => `${at({ range: t.at })} ${t.label}`);
    assert.deepEqual(targets('/w/k.yaml'), ['1:1 Namespace ml', '6:1 ConfigMap c']);
    assert.deepEqual(targets('/w/.github/workflows/ci.yml'), ['4:3 job build']);
    assert.deepEqual(targets('/w/.gitlab-ci.yml'), ['4:1 job build']);
  });
});
