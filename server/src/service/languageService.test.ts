import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PARSE_ERROR_ID } from '../engine/finding';
import gitlabImageDigest from '../rules/gitlab-ci/gitlab-image-digest/rule';
import ghaPermissions from '../rules/github-actions/gha-permissions-least-privilege/rule';
import ecrTagImmutability from '../rules/terraform/tf-aws-ecr-tag-immutability/rule';
import { memoryFileSystem } from './fileSystem';
import { LanguageService, toUri } from './languageService';

const ROOT = '/ws';
const UNPINNED_PIPELINE = 'deploy:\n  image: alpine:3.20\n  script: [echo hi]\n';

async function service(files: Record<string, string>): Promise<LanguageService> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  // A few rules, named, so that rules added later do not change what these tests see.
  return LanguageService.create({ fs: memoryFileSystem(abs), roots: [ROOT], rules: [gitlabImageDigest, ghaPermissions, ecrTagImmutability] });
}

const ids = (s: LanguageService, rel: string) => s.analyze(toUri(`${ROOT}/${rel}`)).findings.map((f) => f.ruleId);

describe('language service', () => {
  it('treats a file that .gitlab-ci.yml includes locally as GitLab CI, and other YAML as not', async () => {
    const s = await service({
      '.gitlab-ci.yml': 'include:\n  - local: /ci/deploy.yml\n  - ci/other.yml\n',
      'ci/deploy.yml': UNPINNED_PIPELINE,
      'ci/other.yml': UNPINNED_PIPELINE,
      'ci/unrelated.yml': UNPINNED_PIPELINE,
    });
    assert.equal(s.kindOf(toUri(`${ROOT}/ci/deploy.yml`)), 'gitlab-ci');
    assert.deepEqual(ids(s, 'ci/deploy.yml'), ['gitlab-image-digest']);
    assert.deepEqual(ids(s, 'ci/other.yml'), ['gitlab-image-digest']);
    assert.equal(s.kindOf(toUri(`${ROOT}/ci/unrelated.yml`)), 'yaml');
    assert.deepEqual(ids(s, 'ci/unrelated.yml'), []);
  });

  it('notices when .gitlab-ci.yml stops including a file', async () => {
    const s = await service({ '.gitlab-ci.yml': 'include: /ci/deploy.yml\n', 'ci/deploy.yml': UNPINNED_PIPELINE });
    assert.deepEqual(ids(s, 'ci/deploy.yml'), ['gitlab-image-digest']);
    s.openDocument(toUri(`${ROOT}/.gitlab-ci.yml`), 'stages: [build]\n', 1);
    assert.deepEqual(ids(s, 'ci/deploy.yml'), []);
  });

  it('reports syntax errors in YAML it analyses, not in YAML that is none of its business', async () => {
    const s = await service({
      '.github/workflows/ci.yml': 'on: push\njobs: [\n',
      'config/app.yml': 'key: [\n',
    });
    // The part that parses is still analysed: `on:` has no permissions beside it.
    assert.deepEqual(ids(s, '.github/workflows/ci.yml'), ['gha-permissions-least-privilege', PARSE_ERROR_ID]);
    assert.deepEqual(ids(s, 'config/app.yml'), []);
  });

  it('reports a syntax error in a .tfvars file', async () => {
    const s = await service({ 'prod.tfvars': 'region = "eu-central-1\nzone = "a"\n' });
    assert.deepEqual(ids(s, 'prod.tfvars'), [PARSE_ERROR_ID]);
  });

  it('an open buffer wins over the disk, and closing it goes back to the disk', async () => {
    const s = await service({ 'main.tf': 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n' });
    const uri = toUri(`${ROOT}/main.tf`);
    assert.deepEqual(ids(s, 'main.tf'), ['tf-aws-ecr-tag-immutability']);
    s.openDocument(uri, 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "IMMUTABLE"\n}\n', 1);
    assert.deepEqual(ids(s, 'main.tf'), []);
    s.closeDocument(uri);
    assert.deepEqual(ids(s, 'main.tf'), ['tf-aws-ecr-tag-immutability']);
  });

  it('keeps the last good findings of a block while it holds a syntax error, moved with the block', async () => {
    const s = await service({});
    const uri = toUri(`${ROOT}/main.tf`);
    const good = 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n  name = "x"\n}\n';
    s.openDocument(uri, good, 1);
    assert.equal(s.analyze(uri).findings[0]!.range.start.line, 1);
    // Two lines added above, and the block is half-typed: its finding stays, two lines lower.
    s.updateDocument(uri, `# a\n# b\n${good.replace('name = "x"', 'name = ')}`, 2);
    const findings = s.analyze(uri).findings;
    assert.deepEqual(findings.map((f) => `${f.ruleId}@${f.range.start.line}`), [`tf-aws-ecr-tag-immutability@3`, `${PARSE_ERROR_ID}@4`]);
  });

  it('treats terraform.tfvars.json as variable values: re-checks the open files of its module, reports nothing itself', async () => {
    const s = await service({ 'm/main.tf': 'variable "x" {}\n', 'm/terraform.tfvars.json': '{ "x": "a" }' });
    const main = toUri(`${ROOT}/m/main.tf`);
    s.openDocument(main, 'variable "x" {}\n', 1);
    assert.equal(s.kindOf(toUri(`${ROOT}/m/terraform.tfvars.json`)), 'terraform-vars');
    assert.deepEqual(s.dependents(toUri(`${ROOT}/m/terraform.tfvars.json`)), [main]);
    assert.deepEqual(ids(s, 'm/terraform.tfvars.json'), []);
  });
});
