import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import allowedRegions from '../rules/terraform/tf-allowed-regions/rule';
import requiredTags from '../rules/terraform/tf-required-tags/rule';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';
import { attribute } from './module';

const ROOT = '/ws';

const FILES: Record<string, string> = {
  'infra/providers.tf': `provider "aws" {
  region = var.region

  default_tags {
    tags = {
      owner       = "ml-platform"
      cost-center = "cc-4410"
    }
  }
}
`,
  'infra/variables.tf': `variable "region" {
  type = string
}

variable "environment" {
  type = string
}

variable "team_tags" {
  type = map(string)
}
`,
  'infra/locals.tf': `locals {
  common_tags = {
    environment         = var.environment
    data-classification = "internal"
  }
}
`,
  'infra/main.tf': `resource "aws_s3_bucket" "datasets" {
  bucket = "acme-datasets"
  tags   = merge(local.common_tags, { component = "datasets" })
}

resource "aws_sqs_queue" "jobs" {
  name = "jobs"
  tags = var.team_tags
}

resource "aws_sns_topic" "alerts" {
  name = "alerts"
  tags = { environment = "prod" }
}

module "models" {
  source = "./modules/bucket"
  name   = "models"
  tags   = local.common_tags
}
`,
  'infra/terraform.tfvars': 'region      = "eu-central-1"\nenvironment = "prod"\n',
  'infra/modules/bucket/main.tf': `variable "name" {
  type = string
}

variable "tags" {
  type = map(string)
}

resource "aws_s3_bucket" "this" {
  bucket = "acme-\${var.name}"
  tags   = var.tags
}

output "bucket" {
  value = aws_s3_bucket.this.bucket
}
`,
};

async function service(files = FILES, params?: Record<string, Record<string, unknown>>) {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  return LanguageService.create({ fs: memoryFileSystem(abs), rules: [requiredTags, allowedRegions], roots: [ROOT], ...(params ? { params } : {}) });
}

const uri = (p: string) => toUri(`${ROOT}/${p}`);

describe('workspace: a multi-file module with tfvars, a local child module and provider default_tags', () => {
  it('tags from merge(local.common_tags, …) and default_tags are not missing; a variable without default is never a violation', async () => {
    const s = await service();
    const results = s.analyzeMany(Object.keys(FILES).filter((f) => f.endsWith('.tf')).map(uri));
    const found = [...results].flatMap(([u, r]) => r.findings.map((f) => `${u.slice(uri('').length)}:${f.range.start.line + 1} ${f.ruleId} ${f.message}`));
    // Only the topic lacks data-classification: everything else is tagged, by default_tags, locals or tfvars.
    assert.equal(found.length, 1, found.join('\n'));
    assert.match(found[0]!, /^infra\/main\.tf:13 tf-required-tags aws_sns_topic\.alerts .*missing required tags data-classification/);
  });

  it('relatedInformation points at the provider default_tags', async () => {
    const s = await service();
    const [f] = s.analyze(uri('infra/main.tf')).findings;
    assert.deepEqual(
      f!.related!.map((r) => `${r.at.uri.slice(uri('').length)}:${r.at.range.start.line + 1} ${r.message}`),
      ['infra/providers.tf:5 aws default tags of the provider configuration this resource uses'],
    );
  });

  it('the tfvars value is used: tf-allowed-regions sees the region from terraform.tfvars', async () => {
    const s = await service(FILES, { 'tf-allowed-regions': { allowed_regions: { aws: ['us-east-1'] } } });
    const f = s.analyze(uri('infra/providers.tf')).findings.filter((x) => x.ruleId === 'tf-allowed-regions');
    assert.equal(f.length, 1);
    assert.match(f[0]!.message, /"eu-central-1"/);
  });

  it('the child module is evaluated with the caller arguments; analysed on its own, its inputs are unknown', async () => {
    const s = await service();
    const root = s.moduleOf(uri('infra/main.tf'));
    const child = root.child(root.topLevel('module')[0]!);
    assert.ok(!(child instanceof Error) && 'resource' in child);
    const b = child.resource('aws_s3_bucket', 'this')!;
    assert.equal(child.evaluate(attribute(b, 'bucket')!.expr, b), 'acme-models');
    assert.deepEqual(child.evaluate(attribute(b, 'tags')!.expr, b), { environment: 'prod', 'data-classification': 'internal' });
    const p = child.providerOf(b);
    assert.ok('block' in p && p.block?.uri === uri('infra/providers.tf'), 'the child inherits the default provider configuration');
    assert.deepEqual(s.analyze(uri('infra/modules/bucket/main.tf')).findings, []);
  });

  it('an open buffer wins over the disk, also for tfvars', async () => {
    const s = await service(FILES, { 'tf-allowed-regions': { allowed_regions: { aws: ['eu-central-1'] } } });
    assert.deepEqual(s.analyze(uri('infra/providers.tf')).findings, []);
    s.openDocument(uri('infra/terraform.tfvars'), 'region = "us-east-1"\nenvironment = "prod"\n', 1);
    assert.match(s.analyze(uri('infra/providers.tf')).findings[0]!.message, /"us-east-1"/);
  });

  it('re-evaluation after an edit redoes only the module that changed', async () => {
    const files = { ...FILES, 'other/main.tf': 'resource "aws_s3_bucket" "x" {}\n' };
    const s = await service(files);
    const root = s.moduleOf(uri('infra/main.tf'));
    root.child(root.topLevel('module')[0]!); // the child is loaded lazily, as rules do
    const other = s.moduleOf(uri('other/main.tf'));
    assert.equal(s.moduleOf(uri('infra/locals.tf')), root, 'unchanged: cached');
    s.openDocument(uri('other/main.tf'), 'resource "aws_s3_bucket" "y" {}\n', 1);
    assert.notEqual(s.moduleOf(uri('other/main.tf')), other, 'the edited module is rebuilt');
    assert.equal(s.moduleOf(uri('infra/main.tf')), root, 'the other module is kept');
    // An edit in a child module rebuilds its callers too, and makes them dependents.
    s.openDocument(uri('infra/main.tf'), FILES['infra/main.tf']!, 1);
    const childUri = uri('infra/modules/bucket/main.tf');
    s.openDocument(childUri, FILES['infra/modules/bucket/main.tf']!.replace('acme-', 'corp-'), 1);
    assert.deepEqual(s.dependents(childUri), [uri('infra/main.tf')]);
    const rebuilt = s.moduleOf(uri('infra/main.tf'));
    assert.notEqual(rebuilt, root);
    const child = rebuilt.child(rebuilt.topLevel('module')[0]!);
    const b = 'resource' in child ? child.resource('aws_s3_bucket', 'this')! : undefined;
    assert.equal('resource' in child && b ? child.evaluate(attribute(b, 'bucket')!.expr, b) : undefined, 'corp-models');
  });
});
