import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Range } from '../../model/location';
import { asMap, at, get, pair, type YamlFile, type YamlNode } from '../../model/yaml';
import { documentKind, fileKindOf, type FileKind } from './kind';
import { parseYaml, parseYamlReusing } from './parser';

/** A range from 0-based line/character pairs, as LSP counts them (UTF-16 units). */
function r(l1: number, c1: number, l2: number, c2: number): Range {
  return { start: { line: l1, character: c1 }, end: { line: l2, character: c2 } };
}

function parse(text: string, path = 'deploy/app.yaml'): YamlFile {
  const kind = fileKindOf(path);
  return parseYaml(`file:///${path}`, text, { kindOf: (root) => documentKind(kind, root) });
}

function scalar(node: YamlNode | undefined): unknown {
  assert.equal(node?.kind, 'scalar', `expected a scalar, got ${node?.kind}`);
  return node?.kind === 'scalar' ? node.value : undefined;
}

describe('YAML parser: ranges', () => {
  const text = [
    'apiVersion: apps/v1', //                0
    'kind: Deployment', //                   1
    'metadata:', //                          2
    '  name: "ranker" # the service', //     3
    '  labels:', //                          4
    '    app.kubernetes.io/name: ranker', // 5
    'spec:', //                              6
    '  replicas: 3', //                      7
    '  ports:', //                           8
    '    - 8080', //                         9
    '    - 9090', //                         10
    '',
  ].join('\n');

  it('gives each pair its key range, its value range, and both together', () => {
    const root = parse(text).documents[0]!.root;
    const name = pair(get(root, 'metadata'), 'name')!;
    assert.deepEqual(name.keyRange, r(3, 2, 3, 6));
    assert.deepEqual(name.value?.range, r(3, 8, 3, 16));
    assert.deepEqual(name.range, r(3, 2, 3, 16));
    assert.equal(name.value?.kind === 'scalar' && name.value.source, '"ranker"');
    assert.equal(scalar(name.value), 'ranker');

    const label = pair(at(root, 'metadata', 'labels'), 'app.kubernetes.io/name')!;
    assert.deepEqual(label.keyRange, r(5, 4, 5, 26));
    assert.deepEqual(label.value?.range, r(5, 28, 5, 34));
  });

  it('ends block collections at their last character, not after the newline', () => {
    const root = parse(text).documents[0]!.root;
    assert.deepEqual(get(root, 'metadata')?.range, r(3, 2, 5, 34));
    assert.deepEqual(pair(root, 'spec')?.range, r(6, 0, 10, 10));
    const ports = get(get(root, 'spec'), 'ports');
    assert.equal(ports?.kind, 'seq');
    assert.deepEqual(
      ports?.kind === 'seq' && ports.items.map((i) => [scalar(i), i.range]),
      [
        [8080, r(9, 6, 9, 10)],
        [9090, r(10, 6, 10, 10)],
      ],
    );
  });

  it('counts characters in UTF-16 units after an emoji', () => {
    const root = parse('labels: { note: "🚀 équipe", team: ml }\n').documents[0]!.root;
    const team = pair(get(root, 'labels'), 'team')!;
    assert.deepEqual(team.keyRange, r(0, 29, 0, 33));
    assert.deepEqual(team.value?.range, r(0, 35, 0, 37));
  });

  it('handles CRLF line endings', () => {
    const root = parse('a: 1\r\nb:\r\n  c: x\r\n').documents[0]!.root;
    assert.deepEqual(pair(get(root, 'b'), 'c')?.keyRange, r(2, 2, 2, 3));
    assert.deepEqual(pair(root, 'b')?.range, r(1, 0, 2, 6));
  });

  it('keeps a key written with nothing after it, without a value', () => {
    const root = parse('a:\nb: 1\n').documents[0]!.root;
    const a = pair(root, 'a')!;
    assert.equal(a.value, undefined);
    assert.deepEqual(a.range, r(0, 0, 0, 1));
  });
});

describe('YAML parser: documents', () => {
  it('parses every document of a multi-document file, each with its index and range', () => {
    const file = parse(['apiVersion: v1', 'kind: ConfigMap', '---', 'apiVersion: v1', 'kind: Service', '---', 'just: data', ''].join('\n'));
    assert.deepEqual(file.errors, []);
    assert.deepEqual(
      file.documents.map((d) => [d.index, scalar(get(d.root, 'kind') ?? get(d.root, 'just')), d.kind]),
      [
        [0, 'ConfigMap', 'kubernetes'],
        [1, 'Service', 'kubernetes'],
        [2, 'data', 'other'],
      ],
    );
    assert.deepEqual(file.documents[1]!.root?.range, r(3, 0, 4, 13));
    assert.deepEqual(pair(file.documents[2]!.root, 'just')?.keyRange, r(6, 0, 6, 4));
  });

  it('resolves aliases and expands << merge keys, explicit keys winning', () => {
    const text = [
      'defaults: &defaults', //     0
      '  image: python:3.12', //    1
      '  retries: 2', //            2
      'extra: &extra', //           3
      '  retries: 5', //            4
      '  timeout: 60', //           5
      'job:', //                    6
      '  <<: [*defaults, *extra]', // 7
      '  retries: 9', //            8
      'copy: *defaults', //         9
      '',
    ].join('\n');
    const root = parse(text).documents[0]!.root;
    const job = asMap(get(root, 'job'))!;
    assert.deepEqual(
      job.pairs.map((p) => [p.key, scalar(p.value)]),
      [
        ['retries', 9], // explicit beats both merged maps
        ['image', 'python:3.12'],
        ['timeout', 60], // from the second map: the first has no timeout
      ],
    );
    // A merged pair keeps the range where it is written, in the anchored map.
    assert.deepEqual(pair(job, 'image')?.keyRange, r(1, 2, 1, 7));

    // An alias resolves to the anchored node; the pair still ends at the alias.
    const copy = pair(root, 'copy')!;
    assert.equal(copy.value, get(root, 'defaults'));
    assert.deepEqual(copy.range, r(9, 0, 9, 15));
  });

  it('merges a single map, explicit keys winning over it', () => {
    const root = parse('base: &b { a: 1, b: 2 }\nchild:\n  b: 3\n  <<: *b\n').documents[0]!.root;
    assert.deepEqual(
      asMap(get(root, 'child'))!.pairs.map((p) => [p.key, scalar(p.value)]),
      [
        ['b', 3],
        ['a', 1],
      ],
    );
  });

  it('collects comments with their ranges, across documents', () => {
    const file = parse(['# header', 'a: 1 # trailing', '---', '  # indented', 'b: 2', ''].join('\n'));
    assert.deepEqual(
      file.comments.map((c) => [c.text, c.range]),
      [
        ['# header', r(0, 0, 0, 8)],
        ['# trailing', r(1, 5, 1, 15)],
        ['# indented', r(3, 2, 3, 12)],
      ],
    );
  });
});

describe('YAML parser: syntax errors', () => {
  it('reports one error and keeps the documents before it', () => {
    const text = ['apiVersion: v1', 'kind: ConfigMap', '---', 'a: [1, 2', 'b: 3', '---', 'c: {x', ''].join('\n');
    const file = parse(text);
    assert.equal(file.errors.length, 1);
    assert.match(file.errors[0]!.message, /^YAML syntax error: /);
    // The first of the two errors: the unclosed flow sequence of the second document.
    const line = file.errors[0]!.range.start.line;
    assert.ok(line >= 3 && line <= 5, `error on line ${line}, expected in the second document`);
    assert.equal(file.documents[0]!.kind, 'kubernetes');
    assert.equal(scalar(get(file.documents[0]!.root, 'kind')), 'ConfigMap');
  });

  it('reports nothing for valid YAML', () => {
    assert.deepEqual(parse('a: "x # not a comment"\nb: |\n  text\n').errors, []);
  });
});

describe('YAML kinds', () => {
  it('recognises files by path', () => {
    const cases: [string, FileKind][] = [
      ['.github/workflows/x.yml', 'github-actions'],
      ['repo/.github/workflows/release.yaml', 'github-actions'],
      ['.github/workflows/nested/x.yml', 'yaml'],
      ['.github/dependabot.yml', 'yaml'],
      ['.gitlab-ci.yml', 'gitlab-ci'],
      ['svc/.gitlab-ci.yaml', 'gitlab-ci'],
      ['ci/build.yml', 'yaml'],
      ['C:\\work\\repo\\.github\\workflows\\ci.yml', 'github-actions'],
      ['main.tf', 'terraform'],
      ['prod.tfvars', 'terraform-vars'],
      ['README.md', 'other'],
    ];
    for (const [path, kind] of cases) assert.equal(fileKindOf(path), kind, path);
  });

  it('treats a file listed in the GitLab includes as GitLab CI', () => {
    const includes = new Set(['ci/build.yml']);
    assert.equal(fileKindOf('ci/build.yml', includes), 'gitlab-ci');
    assert.equal(fileKindOf('ci/deploy.yml', includes), 'yaml');
  });

  it('needs both apiVersion and kind for a Kubernetes object; other YAML is other', () => {
    const kindOf = (text: string, fileKind: FileKind = 'yaml') => documentKind(fileKind, parse(text).documents[0]!.root);
    assert.equal(kindOf('apiVersion: v1\nkind: Pod\n'), 'kubernetes');
    assert.equal(kindOf('kind: Pod\n'), 'other');
    assert.equal(kindOf('apiVersion: v1\n'), 'other');
    assert.equal(kindOf('apiVersion: v1\nkind: pod-ish\n'), 'other');
    assert.equal(kindOf('- apiVersion: v1\n  kind: Pod\n'), 'other');
    assert.equal(kindOf('name: values\n'), 'other');
    // Pipelines are decided by the file, whatever the content.
    assert.equal(kindOf('apiVersion: v1\nkind: Pod\n', 'github-actions'), 'github-actions');
    assert.equal(kindOf('stages: [build]\n', 'gitlab-ci'), 'gitlab-ci');
  });
});

describe('YAML: re-use of unchanged documents', () => {
  const options = { kindOf: (root: Parameters<typeof documentKind>[1]) => documentKind('yaml', root) };
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i} # comment ${i}\ndata:\n  key: "value ${i}"\n`;
  const stream = (n: number) => `# leading comment\n\n---\n${Array.from({ length: n }, (_, i) => doc(i)).join('---\n')}`;

  it('gives the same file as a whole-file parse after each edit', () => {
    const edits: ((t: string) => string)[] = [
      (t) => t.replace('value 2', 'value 22'), // inside one document
      (t) => t.replace('# leading comment\n', '# leading comment\n# two\n# three\n'), // lines added above all
      (t) => t.replace('data:\n  key: "value 3"\n', ''), // lines removed in the middle
      (t) => `${t}---\n---\n# only a comment\n`, // empty documents at the end
      (t) => t.replace('---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-1', '--- # marker comment\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-1'),
      (t) => t.replace('name: cm-4', 'name: cm-4\n...'), // a document end marker
      (t) => t.replace('key: "value 0"', 'key: [unclosed'), // a syntax error: whole-file parse
      (t) => t.replace('key: [unclosed', 'key: closed'),
      (t) => `--- {inline: 1}\n${t}`, // a marker with content on its line
    ];
    let text = stream(6);
    let previous = parseYamlReusing('file:///s.yaml', text, options);
    assert.deepEqual(previous, parseYaml('file:///s.yaml', text, options));
    for (const edit of edits) {
      text = edit(text);
      const reused = parseYamlReusing('file:///s.yaml', text, options, previous);
      const whole = parseYaml('file:///s.yaml', text, options);
      assert.deepEqual(reused.documents, whole.documents, text);
      assert.deepEqual(reused.errors, whole.errors, text);
      assert.deepEqual(reused.comments, whole.comments, text);
      previous = reused;
    }
  });

  it('keeps the document objects that did not change', () => {
    const text = stream(3);
    const first = parseYamlReusing('file:///s.yaml', text, options);
    const second = parseYamlReusing('file:///s.yaml', text.replace('value 0', 'value 00'), options, first);
    assert.notEqual(second.documents[0], first.documents[0]);
    assert.equal(second.documents[2], first.documents[2]);
  });
});
