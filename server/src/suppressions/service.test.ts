import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ecrTagImmutability from '../rules/terraform/tf-aws-ecr-tag-immutability/rule';
import k8sHostNamespaces from '../rules/kubernetes/k8s-host-namespaces/rule';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';
import { SUPPRESSION_EXPIRED_ID, SUPPRESSION_UNUSED_ID, suppressionEdit } from '.';

const ROOT = '/ws';
const NOW = new Date('2026-11-21T12:00:00Z');
const MUTABLE = 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n';

async function service(files: Record<string, string>, now = NOW): Promise<LanguageService> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  return LanguageService.create({ fs: memoryFileSystem(abs), roots: [ROOT], rules: [ecrTagImmutability, k8sHostNamespaces], now: () => now });
}

const uri = (rel: string) => toUri(`${ROOT}/${rel}`);
const ids = (s: LanguageService, rel: string) => s.analyze(uri(rel)).findings.map((f) => f.ruleId);

describe('suppressions in the language service', () => {
  it('applies a file\'s directives to that file only, in analyze and analyzeMany', async () => {
    const directive = '# plumbline:ignore tf-aws-ecr-tag-immutability reason="cache repository, GOV-9" expires=2027-01-01\n';
    const s = await service({ 'a.tf': directive + MUTABLE, 'b.tf': MUTABLE.replace('"r"', '"q"') });
    assert.deepEqual(ids(s, 'a.tf'), []);
    assert.deepEqual(ids(s, 'b.tf'), ['tf-aws-ecr-tag-immutability']);
    const many = s.analyzeMany([uri('a.tf'), uri('b.tf')]);
    assert.deepEqual(many.get(uri('a.tf'))!.findings, []);
    assert.deepEqual(many.get(uri('a.tf'))!.directives.map((d) => [d.status, d.suppressed]), [['active', 1]]);
    assert.equal(many.get(uri('b.tf'))!.findings.length, 1);
  });

  it('uses the injected clock and the suppression settings', async () => {
    const text = '# plumbline:ignore tf-aws-ecr-tag-immutability reason="cache repository, GOV-9" expires=2026-11-01\n' + MUTABLE;
    const s = await service({ 'main.tf': text });
    assert.deepEqual(ids(s, 'main.tf'), [SUPPRESSION_EXPIRED_ID, 'tf-aws-ecr-tag-immutability']);
    assert.equal(s.analyze(uri('main.tf')).findings[0]!.severity, 'high');
    const earlier = await service({ 'main.tf': text }, new Date('2026-10-01T00:00:00Z'));
    assert.deepEqual(ids(earlier, 'main.tf'), []);
  });

  it('applies directives in YAML it analyses, and ignores them in YAML that is none of its business', async () => {
    const pod = 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  # plumbline:ignore k8s-host-namespaces reason="NCCL over host network, GOV-77" expires=2027-01-01\n  hostNetwork: true\n  containers:\n    - name: c\n      image: x\n';
    const s = await service({ 'k8s/pod.yaml': pod, 'config/app.yml': '# plumbline:ignore nothing\na: 1\n' });
    assert.deepEqual(ids(s, 'k8s/pod.yaml'), []);
    assert.deepEqual(ids(s, 'config/app.yml'), []);
    assert.deepEqual(s.analyze(uri('config/app.yml')).directives, []);
  });

  it('the suppress edit hides the finding once applied, also through analyzeVariant', async () => {
    const s = await service({ 'main.tf': MUTABLE });
    const [finding] = s.analyze(uri('main.tf')).findings;
    const edit = suppressionEdit(s.hclFile(uri('main.tf'))!, finding!, finding!.ruleId, NOW)!;
    const lines = MUTABLE.split('\n');
    lines.splice(edit.range.start.line, 0, edit.newText.replace(/\n$/, ''));
    const result = s.analyzeVariant(uri('main.tf'), lines.join('\n'));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(result.directives.map((d) => d.status), ['active']);
    // The real document is untouched.
    assert.deepEqual(ids(s, 'main.tf'), ['tf-aws-ecr-tag-immutability']);
  });

  it('reports an unused directive as info', async () => {
    const s = await service({ 'main.tf': '# plumbline:ignore tf-aws-ecr-tag-immutability reason="cache repository, GOV-9" expires=2027-01-01\n' + MUTABLE.replace('MUTABLE', 'IMMUTABLE') });
    assert.deepEqual(ids(s, 'main.tf'), [SUPPRESSION_UNUSED_ID]);
  });
});
