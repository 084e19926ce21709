import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HclParser } from '../parsers/hcl/parser';
import { linkCompanions } from './companions';
import { TerraformModule } from './module';

async function moduleOf(text: string): Promise<TerraformModule> {
  const parser = await HclParser.create();
  return new TerraformModule('file:///m', [parser.parse('file:///m/main.tf', text, false)]);
}

const BUCKET = 'resource "aws_s3_bucket" "b" {\n  bucket = "data"\n}\n';

describe('linkCompanions', () => {
  it('links by reference and by literal name', async () => {
    const m = await moduleOf(`${BUCKET}
resource "aws_s3_bucket_versioning" "by_ref" { bucket = aws_s3_bucket.b.id }
resource "aws_s3_bucket_versioning" "by_name" { bucket = "data" }
resource "aws_s3_bucket_versioning" "other" { bucket = "other" }
`);
    const links = linkCompanions(m, m.resource('aws_s3_bucket', 'b')!, 'aws_s3_bucket_versioning');
    assert.deepEqual(links.linked.map((b) => b.labels[1]!.value), ['by_ref', 'by_name']);
    assert.equal(links.unknownLink, false);
    assert.equal(links.escapes, false);
  });

  it('a link through a variable is unknown', async () => {
    const m = await moduleOf(`${BUCKET}resource "aws_s3_bucket_versioning" "v" { bucket = var.name }\n`);
    assert.equal(linkCompanions(m, m.resource('aws_s3_bucket', 'b')!, 'aws_s3_bucket_versioning').unknownLink, true);
  });

  it('the identity escapes through an output, a module call, or locals that reach one', async () => {
    for (const exit of [
      'output "id" { value = aws_s3_bucket.b.id }',
      'module "m" {\n  source = "./m"\n  bucket = aws_s3_bucket.b.arn\n}',
      'locals {\n  a = aws_s3_bucket.b.id\n  c = upper(local.a)\n}\noutput "x" { value = local.c }',
    ]) {
      const m = await moduleOf(`${BUCKET}${exit}\n`);
      assert.equal(linkCompanions(m, m.resource('aws_s3_bucket', 'b')!, 'aws_s3_bucket_versioning').escapes, true, exit);
    }
  });

  it('a local that no output uses keeps the identity inside', async () => {
    const m = await moduleOf(`${BUCKET}locals { a = aws_s3_bucket.b.id }\noutput "x" { value = "constant" }\n`);
    assert.equal(linkCompanions(m, m.resource('aws_s3_bucket', 'b')!, 'aws_s3_bucket_versioning').escapes, false);
  });
});

describe('module.evaluate', () => {
  it('evaluates an expression once per module version and block', async () => {
    const m = await moduleOf('locals { t = { a = 1 } }\nresource "aws_s3_bucket" "b" {\n  tags = merge(local.t, { b = 2 })\n}\n');
    const bucket = m.resource('aws_s3_bucket', 'b')!;
    const expr = bucket.body.attributes[0]!.expr;
    const first = m.evaluate(expr, bucket);
    assert.deepEqual(first, { a: 1, b: 2 });
    assert.equal(m.evaluate(expr, bucket), first, 'the same value object, not a second evaluation');
  });
});
