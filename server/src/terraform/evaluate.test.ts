import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HclParser } from '../parsers/hcl/parser';
import { attribute, TerraformModule, type ModuleLoader } from './module';
import { isUnknown, keyOrigin, knownEntries, knownItems, PartialList, PartialMap, ResourceRef, Unknown, type Value } from './value';

let parser: HclParser | undefined;

async function moduleOf(files: Record<string, string>, opts: { tfvars?: Record<string, string> } = {}): Promise<TerraformModule> {
  parser ??= await HclParser.create();
  const p = parser;
  const parsed = (dir: string) =>
    Object.entries(files)
      .filter(([k]) => k.endsWith('.tf') && (k.includes('/') ? k.slice(0, k.lastIndexOf('/')) : '') === dir)
      .map(([k, v]) => p.parse(`file:///w/${k}`, v, false));
  const load: ModuleLoader = (uri) => {
    const dir = uri.replace(/^file:\/\/\/w\/?/, '');
    const out = parsed(dir);
    return out.length ? out : undefined;
  };
  const varFiles = Object.entries(opts.tfvars ?? {}).map(([name, text]) =>
    name.endsWith('.json') ? { uri: `file:///w/${name}`, json: text } : { uri: `file:///w/${name}`, hcl: p.parse(`file:///w/${name}`, text, false) },
  );
  return new TerraformModule('file:///w', parsed(''), { varFiles, load });
}

/** Evaluates `expr` as `local.x` of a module with `extra` source around it. */
async function ev(expr: string, extra = ''): Promise<Value> {
  const m = await moduleOf({ 'main.tf': `locals {\n  x = ${expr}\n}\n${extra}` });
  return m.localValue('x');
}

function origin(v: Value): string {
  assert.ok(v instanceof Unknown, `expected Unknown, got ${JSON.stringify(v)}`);
  return v.origin;
}

describe('evaluator: literals, templates, operators', () => {
  it('literals, tuples, objects', async () => {
    assert.deepEqual(await ev('{ a = 1, "b" = [true, null, "s"] }'), { a: 1, b: [true, null, 's'] });
  });
  it('string templates with interpolation, if and for directives', async () => {
    assert.equal(await ev('"${local.n}-${1 + 2}"', 'locals {\n  n = "ml"\n}\n'), 'ml-3');
    assert.equal(await ev('"%{ if true }yes%{ else }no%{ endif }"'), 'yes');
    assert.equal(await ev('"%{ for s in ["a", "b"] }${s};%{ endfor }"'), 'a;b;');
  });
  it('arithmetic, comparison, logic, unary', async () => {
    assert.deepEqual(await ev('[1 + 2 * 3, 7 % 4, 4 / 2, 2 > 1, 1 == 1, "a" != "a", true && false, false || true, !true, -(3)]'), [
      7, 3, 2, true, true, false, false, true, false, -3,
    ]);
  });
  it('conditionals: known condition picks a branch; unknown condition with equal branches is known', async () => {
    assert.equal(await ev('1 > 0 ? "a" : "b"'), 'a');
    assert.equal(await ev('var.flag ? "same" : "same"', 'variable "flag" {}\n'), 'same');
    assert.match(origin(await ev('var.flag ? "a" : "b"', 'variable "flag" {}\n')), /var\.flag \(no default\)/);
  });
  it('for expressions: list, map, filter, grouping', async () => {
    assert.deepEqual(await ev('[for s in ["a", "b"] : upper(s)]'), ['A', 'B']);
    assert.deepEqual(await ev('{ for k, v in { a = 1, b = 2 } : k => v * 10 if v > 1 }'), { b: 20 });
    assert.deepEqual(await ev('{ for k, v in { x = "a", y = "a", z = "b" } : v => k... }'), { a: ['x', 'y'], b: ['z'] });
    assert.deepEqual(await ev('[for i, s in ["a", "b"] : "${i}${s}"]'), ['0a', '1b']);
  });
});

describe('evaluator: functions', () => {
  const cases: [string, Value][] = [
    ['merge({ a = 1, b = 1 }, { b = 2 })', { a: 1, b: 2 }],
    ['concat(["a"], ["b", "c"])', ['a', 'b', 'c']],
    ['lookup({ a = 1 }, "a", 0)', 1],
    ['lookup({ a = 1 }, "z", 0)', 0],
    ['coalesce(null, "", "x")', 'x'],
    ['try(local.missing_map.key, "fallback")', 'fallback'],
    ['try(local.missing_map["b"], "fallback")', 'fallback'],
    ['try(local.missing_map, "fallback")', {}],
    ['can(local.missing_map["b"])', false],
    ['can(local.missing_map)', true],
    ['tomap({ a = "1" })', { a: '1' }],
    ['tolist(["a"])', ['a']],
    ['toset(["b", "a", "b"])', ['b', 'a']],
    ['format("%s-%03d-%q", "x", 7, "y")', 'x-7-"y"'],
    ['join(",", ["a", "b"])', 'a,b'],
    ['split(",", "a,b")', ['a', 'b']],
    ['lower("AbC")', 'abc'],
    ['upper("abc")', 'ABC'],
    ['replace("a-b-c", "-", "_")', 'a_b_c'],
    ['replace("a1b22", "/[0-9]+/", "#")', 'a#b#'],
    ['jsonencode({ b = 1, a = ["x"] })', '{"a":["x"],"b":1}'],
    ['jsondecode("{\\"a\\": [1, true]}")', { a: [1, true] }],
    ['length(["a", "b"])', 2],
    ['length({ a = 1 })', 1],
    ['length("abc")', 3],
    ['contains(["a", "b"], "b")', true],
    ['contains(["a"], "z")', false],
    ['keys({ b = 1, a = 2 })', ['a', 'b']],
    ['values({ b = 1, a = 2 })', [2, 1]],
  ];
  for (const [expr, expected] of cases)
    it(expr, async () => {
      assert.deepEqual(await ev(expr, 'locals {\n  missing_map = {}\n}\n'), expected);
    });

  it('an unknown argument makes the call unknown, with its origin', async () => {
    assert.match(origin(await ev('upper(var.name)', 'variable "name" {}\n')), /depends on var\.name \(no default\)/);
    assert.match(origin(await ev('jsonencode({ a = var.name })', 'variable "name" {}\n')), /var\.name/);
  });
  it('a function Plumbline does not evaluate is unknown', async () => {
    assert.match(origin(await ev('timestamp()')), /timestamp\(\) is not evaluated/);
  });
});

describe('evaluator: partial knowledge (catalog §3 rule 2)', () => {
  it('merge(var.common, { owner = "x" }) proves owner and nothing else', async () => {
    const v = await ev('merge(var.common, { owner = "x" })', 'variable "common" {}\n');
    assert.ok(v instanceof PartialMap);
    assert.ok(isUnknown(v), 'a partial map is Unknown to rules that only check isUnknown');
    assert.deepEqual(knownEntries(v), { owner: 'x' });
  });
  it('an earlier key stays present but its value is unknown when an unknown map follows', async () => {
    const v = await ev('merge({ owner = "x" }, var.common)', 'variable "common" {}\n');
    assert.ok(v instanceof PartialMap);
    assert.ok('owner' in v.entries && isUnknown(v.entries.owner));
  });
  it('concat(["*"], var.extra) proves "*" is an element', async () => {
    const v = await ev('concat(["*"], var.extra)', 'variable "extra" {}\n');
    assert.ok(v instanceof PartialList);
    assert.deepEqual(knownItems(v), ['*']);
    assert.equal(await ev('contains(concat(["*"], var.extra), "*")', 'variable "extra" {}\n'), true);
  });
  it('an object with a computed key keeps its literal keys', async () => {
    const v = await ev('{ (var.k) = 1, owner = "x" }', 'variable "k" {}\n');
    assert.deepEqual(knownEntries(v), { owner: 'x' });
    assert.deepEqual(await ev('lookup(merge(var.m, { a = 1 }), "a")', 'variable "m" {}\n'), 1);
  });
});

describe('evaluator: references', () => {
  it('var: default, tfvars (later files win), tfvars.json, no default', async () => {
    const src = 'variable "a" {\n  default = "d"\n}\nvariable "b" {}\nvariable "c" {}\nvariable "none" {}\nlocals {\n  all = [var.a, var.b, var.c]\n}\n';
    const m = await moduleOf(
      { 'main.tf': src },
      { tfvars: { 'terraform.tfvars': 'b = "from-tfvars"\nc = "x"\n', 'terraform.tfvars.json': '{"c": "from-json"}', 'z.auto.tfvars': 'c = "from-auto"\n' } },
    );
    assert.deepEqual(m.localValue('all'), ['d', 'from-tfvars', 'from-auto']);
    assert.equal(origin(m.variableValue('none')), 'depends on var.none (no default)');
    assert.equal(origin(m.variableValue('undeclared')), 'depends on var.undeclared (not declared)');
  });
  it('locals in dependency order, across files', async () => {
    const m = await moduleOf({ 'a.tf': 'locals {\n  b = "${local.a}-b"\n}\n', 'b.tf': 'locals {\n  a = "a"\n}\n' });
    assert.equal(m.localValue('b'), 'a-b');
  });
  it('count over its own instances is Unknown, not a hang', async () => {
    const m = await moduleOf({ 'main.tf': 'resource "aws_s3_bucket" "c" {\n  count = count.index\n  bucket = "b-${count.index}"\n}\n' });
    const c = m.resource('aws_s3_bucket', 'c')!;
    assert.ok(m.instances(c) instanceof Unknown);
    assert.ok(isUnknown(m.evaluate(attribute(c, 'bucket')!.expr, c)));
  });
  it('a cycle among locals is Unknown naming the cycle', async () => {
    const m = await moduleOf({ 'main.tf': 'locals {\n  a = local.b\n  b = local.a\n  c = upper(local.a)\n}\n' });
    assert.equal(origin(m.localValue('a')), 'cycle: local.a → local.b → local.a');
    assert.match(origin(m.localValue('c')), /cycle/);
  });
  it('resources resolve to the referenced block; data sources and terraform.workspace are Unknown', async () => {
    const m = await moduleOf({
      'main.tf': 'resource "aws_s3_bucket" "b" {}\nlocals {\n  r = aws_s3_bucket.b.arn\n  d = data.aws_caller_identity.me.account_id\n  w = terraform.workspace\n}\n',
    });
    const r = m.localValue('r');
    assert.ok(r instanceof ResourceRef && r.name === 'b' && r.path[0] === 'arn');
    assert.match(origin(m.localValue('d')), /data source/);
    assert.match(origin(m.localValue('w')), /terraform\.workspace/);
  });
  it('count.index and each.key/each.value per instance; without an instance only what all instances agree on', async () => {
    const m = await moduleOf({
      'main.tf': `resource "aws_s3_bucket" "c" {
  count  = 2
  bucket = "b-\${count.index}"
  acl    = count.index >= 0 ? "private" : "x"
}
resource "aws_s3_bucket" "e" {
  for_each = { a = "x", b = "y" }
  bucket   = "\${each.key}-\${each.value}"
}
variable "n" {}
resource "aws_s3_bucket" "u" {
  count  = var.n
  bucket = "u-\${count.index}"
}
`,
    });
    const c = m.resource('aws_s3_bucket', 'c')!;
    const insts = m.instances(c);
    assert.ok(Array.isArray(insts) && insts.length === 2);
    assert.deepEqual((insts as { key: number }[]).map((i) => m.evaluate(attribute(c, 'bucket')!.expr, c, i)), ['b-0', 'b-1']);
    assert.equal(m.evaluate(attribute(c, 'acl')!.expr, c), 'private');
    assert.match(origin(m.evaluate(attribute(c, 'bucket')!.expr, c)), /differs per instance/);
    const e = m.resource('aws_s3_bucket', 'e')!;
    const ei = m.instances(e) as { key: string }[];
    assert.deepEqual(ei.map((i) => m.evaluate(attribute(e, 'bucket')!.expr, e, i)), ['a-x', 'b-y']);
    const u = m.resource('aws_s3_bucket', 'u')!;
    assert.ok(m.instances(u) instanceof Unknown);
    assert.match(origin(m.evaluate(attribute(u, 'bucket')!.expr, u)), /var\.n/);
  });
  it('local modules are evaluated with the caller arguments; registry modules are Unknown', async () => {
    const m = await moduleOf({
      'main.tf': `locals {
  tags = { owner = "ml" }
}
module "bucket" {
  source = "./modules/bucket"
  name   = "datasets"
  tags   = local.tags
}
module "remote" {
  source = "terraform-aws-modules/s3-bucket/aws"
}
locals {
  out    = module.bucket.tags
  remote = module.remote.id
}
`,
      'modules/bucket/main.tf': `variable "name" {}
variable "tags" {
  default = {}
}
variable "unset" {}
resource "aws_s3_bucket" "this" {
  bucket = "acme-\${var.name}"
  tags   = merge(var.tags, { component = var.name })
}
output "tags" {
  value = aws_s3_bucket.this.bucket == "" ? {} : merge(var.tags, { name = var.name })
}
`,
    });
    const child = m.child(m.topLevel('module')[0]!);
    assert.ok(child instanceof TerraformModule);
    const b = child.resource('aws_s3_bucket', 'this')!;
    assert.equal(child.evaluate(attribute(b, 'bucket')!.expr, b), 'acme-datasets');
    assert.deepEqual(child.evaluate(attribute(b, 'tags')!.expr, b), { owner: 'ml', component: 'datasets' });
    assert.match(origin(child.variableValue('unset')), /not passed by module\.bucket/);
    assert.match(origin(m.localValue('remote')), /not from this workspace/);
    assert.ok(isUnknown(m.localValue('out')), 'an output over a computed attribute is unknown');
  });
  it('provider configurations: alias, default, module providers map, unresolvable alias', async () => {
    const m = await moduleOf({
      'main.tf': `provider "aws" {
  region = "eu-central-1"
}
provider "aws" {
  alias  = "west"
  region = "eu-west-1"
}
resource "aws_s3_bucket" "a" {}
resource "aws_s3_bucket" "w" {
  provider = aws.west
}
resource "aws_s3_bucket" "x" {
  provider = aws.nowhere
}
module "child" {
  source    = "./child"
  providers = { aws = aws.west }
}
module "inherit" {
  source = "./child"
}
`,
      'child/main.tf': 'resource "aws_s3_bucket" "c" {}\n',
    });
    const region = (b: string, mod = m) => {
      const p = mod.providerOf(mod.resource('aws_s3_bucket', b)!);
      if (p instanceof Unknown) return p;
      return p.block ? p.module.evaluate(attribute(p.block, 'region')!.expr, p.block) : undefined;
    };
    assert.equal(region('a'), 'eu-central-1');
    assert.equal(region('w'), 'eu-west-1');
    assert.match(origin(region('x')!), /aws\.nowhere is not configured/);
    const [child, inherit] = m.topLevel('module').map((c) => m.child(c) as TerraformModule);
    assert.equal(region('c', child), 'eu-west-1');
    assert.equal(region('c', inherit), 'eu-central-1');
  });
});

describe('evaluator: provenance', () => {
  it('keyOrigin says where a tag key was written, through merge and locals; trace lists the definitions read', async () => {
    const m = await moduleOf(
      {
        'locals.tf': 'locals {\n  common_tags = {\n    owner = var.owner\n  }\n}\n',
        'main.tf': 'variable "owner" {}\nresource "aws_s3_bucket" "b" {\n  tags = merge(local.common_tags, { env = "prod" })\n}\n',
      },
      { tfvars: { 'terraform.tfvars': 'owner = "ml"\n' } },
    );
    const b = m.resource('aws_s3_bucket', 'b')!;
    const tags = m.evaluate(attribute(b, 'tags')!.expr, b);
    assert.deepEqual(tags, { owner: 'ml', env: 'prod' });
    const at = keyOrigin(tags, 'owner')!;
    assert.equal(at.uri, 'file:///w/locals.tf');
    assert.equal(at.range.start.line, 2);
    assert.equal(keyOrigin(tags, 'env')!.uri, 'file:///w/main.tf');
    const trace = m.trace(attribute(b, 'tags')!.expr);
    assert.deepEqual(
      trace.map((t) => `${t.message} @ ${t.at.uri.split('/').pop()}:${t.at.range.start.line + 1}`),
      ['local.common_tags is defined here @ locals.tf:2', 'var.owner comes from terraform.tfvars @ terraform.tfvars:1'],
    );
  });
});
