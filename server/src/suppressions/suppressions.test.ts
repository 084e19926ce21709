import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { Finding } from '../engine/finding';
import type { Range } from '../model/location';
import { HclParser } from '../parsers/hcl/parser';
import { parseYaml } from '../parsers/yaml/parser';
import {
  suppressInFile,
  suppressionEdit,
  suppressionOptions,
  SUPPRESSION_EXPIRED_ID,
  SUPPRESSION_INVALID_ID,
  SUPPRESSION_UNUSED_ID,
  type RuleInfo,
  type SuppressibleFile,
} from '.';

function r(l1: number, c1: number, l2: number, c2: number): Range {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

const TF = 'file:///ws/main.tf';
const YML = 'file:///ws/app.yaml';
const NOW = new Date('2026-11-21T12:00:00Z');
const RULES: RuleInfo[] = [
  { id: 'tf-a', severity: 'high' },
  { id: 'tf-b', severity: 'critical' },
  { id: 'tf-c', severity: 'medium' },
  { id: 'k8s-host-namespaces', severity: 'critical' },
  { id: 'tf-no-static-provider-credentials', severity: 'critical' },
];
const OK = 'reason="legacy bucket, ticket GOV-142" expires=2027-01-31';

let hcl: HclParser;
before(async () => {
  hcl = await HclParser.create();
});

const tf = (text: string) => hcl.parse(TF, text, false);
const yaml = (text: string) => parseYaml(YML, text, { kindOf: () => 'kubernetes' });
const finding = (ruleId: string, range: Range, uri = TF): Finding => ({ ruleId, severity: 'high', message: 'm', uri, range });

function run(file: SuppressibleFile, findings: Finding[], now = NOW) {
  return suppressInFile(file, findings, suppressionOptions({}, now), RULES);
}

/** `ruleId@l:c-l:c` of each finding, for compact exact-range assertions. */
const show = (fs: readonly Finding[]) =>
  fs.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character}`);

describe('suppressions: HCL targets', () => {
  const text = [
    `# plumbline:ignore tf-a ${OK}`, // 0
    'resource "aws_s3_bucket" "x" {', // 1
    '  bucket = "b"', //                 2
    '  versioning {', //                 3
    '    enabled = false', //            4
    '  }', //                            5
    '}', //                              6
    'resource "aws_s3_bucket" "y" {}', // 7
  ].join('\n');

  it('a directive above a block suppresses its rule anywhere inside, nested blocks included', () => {
    const out = run(tf(text), [finding('tf-a', r(1, 0, 1, 28)), finding('tf-a', r(4, 14, 4, 19)), finding('tf-a', r(7, 0, 7, 28)), finding('tf-b', r(2, 11, 2, 14))]);
    assert.deepEqual(show(out.findings), ['tf-a@7:0-7:28', 'tf-b@2:11-2:14']);
    assert.equal(out.directives[0]!.status, 'active');
    assert.equal(out.directives[0]!.suppressed, 2);
    assert.deepEqual(out.directives[0]!.range, r(0, 2, 0, 81));
    assert.deepEqual(out.directives[0]!.target, r(1, 0, 6, 1));
  });

  it('a directive above an attribute covers the attribute (object keys included), not its siblings', () => {
    const file = tf(['resource "x" "y" {', `  // plumbline:ignore tf-a,tf-b ${OK}`, '  tags = {', '    a = 1', '  }', '  name = "n"', '}'].join('\n'));
    const out = run(file, [finding('tf-a', r(3, 4, 3, 5)), finding('tf-b', r(2, 2, 2, 6)), finding('tf-a', r(5, 9, 5, 12))]);
    assert.deepEqual(show(out.findings), ['tf-a@5:9-5:12']);
    assert.deepEqual(out.directives[0]!.rules.map((x) => x.id), ['tf-a', 'tf-b']);
    assert.deepEqual(out.directives[0]!.target, r(2, 2, 4, 3));
  });

  it('stacked directives with a plain comment between all reach the block', () => {
    const file = tf([`# plumbline:ignore tf-a ${OK}`, '# a note', `# plumbline:ignore tf-b ${OK}`, 'resource "x" "y" {}'].join('\n'));
    const out = run(file, [finding('tf-a', r(3, 0, 3, 16)), finding('tf-b', r(3, 0, 3, 16))]);
    assert.deepEqual(show(out.findings), []);
    assert.deepEqual(out.directives.map((d) => d.status), ['active', 'active']);
  });

  it('reads CRLF text: the range stops before the carriage return', () => {
    const file = tf([`# plumbline:ignore tf-a ${OK}`, 'resource "x" "y" {', '  a = 1', '}', ''].join('\r\n'));
    const out = run(file, [finding('tf-a', r(2, 2, 2, 7))]);
    assert.deepEqual(show(out.findings), []);
    assert.deepEqual(out.directives[0]!.range, r(0, 2, 0, 81));
  });

  it('a directive at the end of the file has no target', () => {
    const out = run(tf(`resource "x" "y" {}\n# plumbline:ignore tf-a ${OK}\n`), []);
    assert.deepEqual(show(out.findings), [`${SUPPRESSION_INVALID_ID}@1:2-1:81`]);
    assert.match(out.findings[0]!.message, /nothing to suppress \(the file ends below it\)|nothing to suppress \(line 3 is blank\)/);
  });

  it('a blank line between directive and block breaks the link', () => {
    const out = run(tf(`# plumbline:ignore tf-a ${OK}\n\nresource "x" "y" {}\n`), [finding('tf-a', r(2, 0, 2, 16))]);
    assert.deepEqual(show(out.findings), ['tf-a@2:0-2:16', `${SUPPRESSION_INVALID_ID}@0:2-0:81`]);
    assert.match(out.findings[1]!.message, /line 2 is blank.*directly above a block or an attribute/);
  });
});

describe('suppressions: YAML targets', () => {
  const text = [
    'spec:', //                                                         0
    '  containers:', //                                                 1
    `    # plumbline:ignore k8s-host-namespaces ${OK}`, //              2
    '    - name: trainer', //                                           3
    '      image: x', //                                                4
    '    - name: other', //                                             5
    `  # plumbline:ignore tf-a ${OK}`, //                               6
    '  hostNetwork: true', //                                           7
  ].join('\n');

  it('a directive above a sequence item covers the whole item, not the next one', () => {
    const out = run(yaml(text), [finding('k8s-host-namespaces', r(4, 13, 4, 14), YML), finding('k8s-host-namespaces', r(5, 12, 5, 17), YML), finding('tf-a', r(7, 15, 7, 19), YML)]);
    assert.deepEqual(show(out.findings), ['k8s-host-namespaces@5:12-5:17']);
    assert.deepEqual(out.directives[0]!.target, r(3, 6, 4, 14));
    assert.deepEqual(out.directives[1]!.target, r(7, 2, 7, 19));
  });

  it('a directive above a mapping key covers the pair and its subtree', () => {
    const out = run(yaml([`# plumbline:ignore tf-a ${OK}`, 'spec:', '  a:', '    b: 1', 'other: 2'].join('\n')), [finding('tf-a', r(3, 7, 3, 8), YML), finding('tf-a', r(4, 7, 4, 8), YML)]);
    assert.deepEqual(show(out.findings), ['tf-a@4:7-4:8']);
  });
});

describe('suppressions: expiry, validity, unused', () => {
  const file = (directive: string) => tf(`# ${directive}\nresource "x" "y" {}\n`);
  const hit = () => [finding('tf-a', r(1, 0, 1, 16))];

  it('an expired directive stops applying and is reported with the highest severity of its rules', () => {
    const out = run(file('plumbline:ignore tf-a,tf-b reason="legacy bucket GOV-1" expires=2026-11-20'), hit());
    assert.deepEqual(show(out.findings), ['tf-a@1:0-1:16', `${SUPPRESSION_EXPIRED_ID}@0:2-0:76`]);
    assert.equal(out.findings[1]!.severity, 'critical');
    assert.match(out.findings[1]!.message, /expired on 2026-11-20/);
    assert.equal(out.directives[0]!.status, 'expired');
  });

  it('a directive is valid through the last second of its day (UTC)', () => {
    const d = 'plumbline:ignore tf-a reason="legacy bucket GOV-1" expires=2026-11-21';
    assert.equal(run(file(d), hit(), new Date('2026-11-21T23:59:59Z')).directives[0]!.status, 'active');
    assert.equal(run(file(d), hit(), new Date('2026-11-22T00:00:00Z')).directives[0]!.status, 'expired');
  });

  const invalid: [string, string, RegExp, string][] = [
    ['unknown rule id, with a suggestion', 'plumbline:ignore tf-aa reason="legacy bucket GOV-1" expires=2027-01-01', /Unknown rule id "tf-aa".*did you mean "tf-a"/, '0:19-0:24'],
    ['missing reason', 'plumbline:ignore tf-a expires=2027-01-01', /reason is missing: add reason="/, '0:2-0:42'],
    ['short reason', 'plumbline:ignore tf-a reason=" legacy " expires=2027-01-01', /"legacy" is too short \(6 characters\).*at least 10/, '0:31-0:41'],
    ['unquoted reason', 'plumbline:ignore tf-a reason=legacy expires=2027-01-01', /must be in double quotes: write reason="legacy"/, '0:24-0:37'],
    ['unclosed reason', 'plumbline:ignore tf-a reason="legacy expires=2027-01-01', /no closing quote/, '0:24-0:57'],
    ['missing date', 'plumbline:ignore tf-a reason="legacy bucket GOV-1"', /expiry date is missing: add expires=YYYY-MM-DD.*no later than 2027-05-20/, '0:2-0:52'],
    ['not a calendar date', 'plumbline:ignore tf-a reason="legacy bucket GOV-1" expires=2027-02-30', /"2027-02-30" is not a calendar date/, '0:61-0:71'],
    ['badly written date', 'plumbline:ignore tf-a reason="legacy bucket GOV-1" expires=31.01.2027', /"31.01.2027" is not a calendar date: write expires=YYYY-MM-DD/, '0:61-0:71'],
    ['horizon exceeded', 'plumbline:ignore tf-a reason="legacy bucket GOV-1" expires=2027-05-21', /181 days away.*at most 180 days.*no later than 2027-05-20/, '0:61-0:71'],
    ['garbage after the options', 'plumbline:ignore tf-a reason="legacy bucket GOV-1" expires=2027-01-01 please', /Unexpected text "please"/, '0:72-0:78'],
    ['unknown option', 'plumbline:ignore tf-a reason="legacy bucket GOV-1" expires=2027-01-01 owner=me', /Unknown option "owner="/, '0:72-0:80'],
    ['no rule', 'plumbline:ignore reason="legacy bucket GOV-1" expires=2027-01-01', /names no rule/, '0:2-0:66'],
    ['non-suppressible', 'plumbline:ignore tf-no-static-provider-credentials reason="legacy bucket GOV-1" expires=2027-01-01', /cannot be suppressed: secrets must be removed from the code and rotated, not silenced/, '0:19-0:52'],
    ['parse error id', 'plumbline:ignore plumbline-parse-error reason="legacy bucket GOV-1" expires=2027-01-01', /cannot be suppressed: fix the syntax error/, '0:19-0:40'],
  ];
  for (const [name, directive, message, at] of invalid) {
    it(`invalid: ${name}`, () => {
      const out = run(file(directive), hit());
      assert.equal(out.directives[0]!.status, 'invalid');
      const meta = out.findings.filter((f) => f.ruleId === SUPPRESSION_INVALID_ID);
      assert.equal(meta.length, 1, show(out.findings).join());
      assert.equal(meta[0]!.severity, 'low');
      assert.match(meta[0]!.message, message);
      assert.equal(show(meta)[0], `${SUPPRESSION_INVALID_ID}@${at}`);
      assert.ok(out.findings.some((f) => f.ruleId === 'tf-a'), 'an invalid directive suppresses nothing');
    });
  }

  it('a non-suppressible rule is never suppressed, even beside a valid one', () => {
    const out = run(file(`plumbline:ignore tf-a,tf-no-static-provider-credentials ${OK}`), [finding('tf-no-static-provider-credentials', r(1, 0, 1, 16)), ...hit()]);
    assert.deepEqual(out.findings.map((f) => f.ruleId).sort(), [SUPPRESSION_INVALID_ID, 'tf-a', 'tf-no-static-provider-credentials']);
  });

  it('a trailing comment is not a directive position', () => {
    const out = run(tf(`resource "x" "y" {} # plumbline:ignore tf-a ${OK}\n`), hit());
    assert.match(out.findings.find((f) => f.ruleId === SUPPRESSION_INVALID_ID)!.message, /must be on its own line/);
  });

  it('a directive that suppresses nothing is unused (info), but not while the file has syntax errors', () => {
    const out = run(file(`plumbline:ignore tf-a ${OK}`), [finding('tf-c', r(1, 0, 1, 16))]);
    assert.deepEqual(show(out.findings), ['tf-c@1:0-1:16', `${SUPPRESSION_UNUSED_ID}@0:2-0:81`]);
    assert.equal(out.findings[1]!.severity, 'info');
    assert.equal(out.directives[0]!.status, 'unused');
    const broken = run(tf(`# plumbline:ignore tf-a ${OK}\nresource "x" "y" {}\nresource "z" {\n`), []);
    assert.deepEqual(show(broken.findings), []);
    assert.equal(broken.directives[0]!.status, 'active');
  });

  it('comments that only mention the keyword are not directives', () => {
    assert.deepEqual(run(tf('# see plumbline:ignore in the docs\n# plumbline:ignored\nresource "x" "y" {}\n'), []).directives, []);
  });
});

describe('suppressionEdit', () => {
  it('inserts a valid directive above the innermost attribute, indented like it, and the finding goes away', () => {
    const text = 'resource "x" "y" {\n  name = "n"\n  mutability = "MUTABLE"\n}\n';
    const f = finding('tf-a', r(2, 15, 2, 24));
    const edit = suppressionEdit(tf(text), f, 'tf-a', NOW)!;
    assert.deepEqual(edit, {
      range: r(2, 0, 2, 0),
      newText: '  # plumbline:ignore tf-a reason="REPLACE_ME: why this is acceptable" expires=2027-02-19\n',
    });
    const after = text.split('\n');
    after.splice(2, 0, edit.newText.replace(/\n$/, ''));
    const out = run(tf(after.join('\n')), [finding('tf-a', r(3, 15, 3, 24))]);
    assert.deepEqual(out.findings, []);
    assert.equal(out.directives[0]!.status, 'active');
  });

  it('uses the block for a finding on its header, and the sequence item line in YAML (CRLF kept)', () => {
    const block = suppressionEdit(tf('  resource "x" "y" {\n    a = 1\n  }\n'), finding('tf-a', r(0, 2, 0, 18)), 'tf-a', NOW)!;
    assert.deepEqual(block.range, r(0, 0, 0, 0));
    assert.match(block.newText, /^ {2}# plumbline:ignore tf-a /);
    const y = suppressionEdit(yaml('spec:\r\n  containers:\r\n    - name: a\r\n      image: b\r\n'), finding('k8s-host-namespaces', r(3, 13, 3, 14), YML), 'k8s-host-namespaces', NOW)!;
    assert.deepEqual(y.range, r(3, 0, 3, 0));
    assert.match(y.newText, /^ {6}# plumbline:ignore k8s-host-namespaces reason="REPLACE_ME: why this is acceptable" expires=2027-02-19\r\n$/);
  });

  it('offers nothing for a non-suppressible rule', () => {
    assert.equal(suppressionEdit(tf('resource "x" "y" {}\n'), finding('tf-no-static-provider-credentials', r(0, 0, 0, 16)), 'tf-no-static-provider-credentials', NOW), undefined);
  });
});
