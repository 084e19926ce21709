import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Finding } from '../engine/finding';
import ecrTagImmutability from '../rules/terraform/tf-aws-ecr-tag-immutability/rule';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService, toUri } from '../service/languageService';
import { MAX_TESTED_LENGTH, boundedRegExp, unsafePattern } from './regex';
import { wildcard } from './wildcard';

const ROOT = '/ws';

async function service(files: Record<string, string>): Promise<LanguageService> {
  const abs = Object.fromEntries(Object.entries(files).map(([k, v]) => [`${ROOT}/${k}`, v]));
  return LanguageService.create({ fs: memoryFileSystem(abs), roots: [ROOT], rules: [ecrTagImmutability] });
}

/** `severity@line:col-line:col message`, 1-based, end exclusive. */
const brief = (f: Finding) => `${f.severity}@${f.range.start.line + 1}:${f.range.start.character + 1}-${f.range.end.line + 1}:${f.range.end.character + 1}`;

const GOOD = [
  '  - id: acme-good',
  '    title: A good policy',
  '    severity: low',
  '    message: Buckets are named acme-*',
  '    match: { terraform: { resources: [aws_s3_bucket] } }',
  "    assert: { properties: { bucket: { pattern: '^acme-' } } }",
];

/** Problems of `file` (a config or policy file), as findings. */
async function problems(file: string, text: string, extra: Record<string, string> = {}): Promise<Finding[]> {
  const s = await service({ [file]: text, ...extra });
  return s.analyze(toUri(`${ROOT}/${file}`)).findings;
}

describe('policy validation: diagnostics at the exact key', () => {
  const cases: { name: string; policy: string[]; expected: string[]; message?: RegExp }[] = [
    {
      name: 'an id that is not kebab-case',
      policy: ['  - id: Acme_Bad', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [Pod] } }', '    assert: { required: [spec] }'],
      expected: ['high@2:9-2:17'],
      message: /not kebab-case/,
    },
    {
      name: 'an id that collides with a built-in rule',
      policy: ['  - id: tf-aws-ecr-tag-immutability', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [Pod] } }', '    assert: { required: [spec] }'],
      expected: ['high@2:9-2:36'],
      message: /built-in Plumbline id/,
    },
    {
      name: 'an unknown severity',
      policy: ['  - id: acme-x', '    title: t', '    severity: urgent', '    message: m', '    match: { kubernetes: { kinds: [Pod] } }', '    assert: { required: [spec] }'],
      expected: ['high@4:15-4:21'],
      message: /critical, high, medium, low, info/,
    },
    {
      name: 'a missing field, on the id key, and an unknown field on its key',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    match: { kubernetes: { kinds: [Pod] } }', '    assert: { required: [spec] }', '    descripton: typo'],
      expected: ['high@2:5-2:7', 'high@7:5-7:15'],
    },
    {
      name: 'a match with two kinds',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    message: m', '    match:', '      kubernetes: { kinds: [Pod] }', '      terraform: { resources: [aws_s3_bucket] }', '    assert: { required: [spec] }'],
      expected: ['high@8:7-8:16'],
      message: /exactly one/,
    },
    {
      name: 'an unknown kind and an unknown selector field',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    message: m', '    match:', '      helm: { charts: [x] }', '    assert: { required: [spec] }', '  - id: acme-y', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [Pod], namespaces: [a] } }', '    assert: { required: [spec] }'],
      expected: ['high@7:7-7:11', 'high@13:42-13:52'],
    },
    {
      name: 'a match that can never match: a warning, and the policy still runs',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    message: m', '    match: { terraform: { resources: [S3Bucket, aws_s3_bucket] } }', '    assert: { required: [bucket] }', '  - id: acme-y', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [] } }', '    assert: { required: [spec] }'],
      expected: ['medium@6:39-6:47', 'medium@12:35-12:37'],
      message: /never match/,
    },
    {
      name: 'an assert that is not a valid JSON Schema, at the offending value',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [Pod] } }', '    assert:', '      properties:', '        spec: { type: objet }'],
      expected: ['high@9:23-9:28'],
      message: /assert is not a valid JSON Schema: assert\.properties\.spec\.type/,
    },
    {
      name: 'an assert with an unknown keyword, on that keyword',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [Pod] } }', '    assert:', '      requried: [spec]'],
      expected: ['high@8:7-8:15'],
      message: /unknown keyword: "requried"/,
    },
    {
      name: 'a pattern that could hang the server, on the pattern',
      policy: ['  - id: acme-x', '    title: t', '    severity: high', '    message: m', '    match: { kubernetes: { kinds: [Pod] } }', '    assert:', '      properties:', "        kind: { pattern: '^(a+)+$' }", '      patternProperties:', "        '(x|xy)*': {}"],
      expected: ['high@9:26-9:35', 'high@11:9-11:18'],
      message: /exponential time/,
    },
    {
      name: 'a duplicate id within the file, on the second id',
      policy: [...GOOD, ...GOOD],
      expected: ['high@8:9-8:18'],
      message: /already used on line 2/,
    },
  ];

  for (const c of cases)
    it(`${c.name}`, async () => {
      const found = await problems('.plumbline.yaml', ['policies:', ...c.policy, ''].join('\n'));
      assert.deepEqual(found.map(brief), c.expected);
      for (const f of found) assert.equal(f.ruleId, 'plumbline-config');
      if (c.message) assert.match(found[found.length - 1]!.message, c.message);
    });

  it('skips a policy with an error, runs the others and the built-in rules', async () => {
    const s = await service({
      '.plumbline.yaml': ['policies:', '  - id: acme-broken', '    title: t', '    severity: high', '    message: m', '    match: { terraform: { resources: [aws_s3_bucket] } }', '    assert: { type: objet }', ...GOOD, ''].join('\n'),
      'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "other"\n}\nresource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n',
    });
    const ids = s.analyze(toUri(`${ROOT}/main.tf`)).findings.map((f) => f.ruleId);
    assert.deepEqual(ids, ['acme-good', 'tf-aws-ecr-tag-immutability']);
  });

  it('reports problems in a policy file, and a clash with a policy of .plumbline.yaml on the policy file id', async () => {
    const file = '.plumbline/policies/team.yaml';
    const found = await problems(file, ['policies:', ...GOOD, 'extra: 1', ''].join('\n'), { '.plumbline.yaml': ['policies:', ...GOOD, ''].join('\n') });
    assert.deepEqual(found.map(brief), ['high@2:9-2:18', 'high@8:1-8:6']);
    assert.match(found[0]!.message, /already used by \.plumbline\.yaml line 2/);
  });

  it('keeps the policies of a policy file that stops parsing, and says so at the error', async () => {
    const s = await service({ '.plumbline/policies/p.yaml': ['policies:', ...GOOD, ''].join('\n'), 'main.tf': 'resource "aws_s3_bucket" "b" {\n  bucket = "other"\n}\n' });
    const uri = toUri(`${ROOT}/.plumbline/policies/p.yaml`);
    assert.deepEqual(s.analyze(uri).findings, []);
    assert.deepEqual(s.analyze(toUri(`${ROOT}/main.tf`)).findings.map((f) => f.ruleId), ['acme-good']);
    s.openDocument(uri, 'policies:\n  - id: [\n', 1);
    const broken = s.analyze(uri).findings;
    assert.equal(broken.length, 1);
    assert.match(broken[0]!.message, /last valid version/);
    assert.deepEqual(s.analyze(toUri(`${ROOT}/main.tf`)).findings.map((f) => f.ruleId), ['acme-good']);
  });
});

describe('regular expression bound', () => {
  it('refuses the shapes that backtrack without bound, and accepts common patterns', () => {
    for (const bad of ['(a+)+$', '(a*)*b', '^(\\w+\\s?)*$', '(a|ab)*c', '(\\d|\\w)+', '(.*)+x', '(a)\\1', '\\d+\\d+\\d+x', '(x+x+)+y', '('])
      assert.ok(unsafePattern(bad), `${bad} must be refused`);
    for (const good of ['^\\d+\\.\\d+\\.\\d+$', '^ml\\.(g5|inf2)\\.', '^(\\d+\\.)*\\d+$', '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', '^(dev|prod)-[a-z]+$', '^v?\\d+(\\.\\d+){0,2}$', 'a+b+c'])
      assert.equal(unsafePattern(good), undefined, `${good} must be accepted`);
  });

  it('does not test a string longer than the bound, so a slow pattern cannot stall', () => {
    const re = boundedRegExp('^(\\d+)*$', 'u');
    const long = `${'1'.repeat(MAX_TESTED_LENGTH + 1)}x`;
    const started = Date.now();
    assert.equal(re.test(long), true);
    assert.ok(Date.now() - started < 1000, 'a backtracking test of this string would not end');
    assert.equal(boundedRegExp('^\\d+$', 'u').test('12x'), false);
  });

  it('matches step patterns with * without regular expressions', () => {
    assert.ok(wildcard('actions/checkout@*', 'actions/checkout@v4'));
    assert.ok(wildcard('*terraform apply*', 'cd infra\nterraform apply -auto-approve\n'));
    assert.ok(!wildcard('actions/checkout@*', 'actions/setup-node@v4'));
    assert.ok(!wildcard(`${'*a'.repeat(20)}b`, 'a'.repeat(5000)));
  });
});
