import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from '../../../test/cliRun';
import { LanguageService, toUri } from '../service/languageService';
import { buildEvidence, defaultDriftSource, evidenceFileName, workspaceEvidence } from './build';
import { readGitSource, withoutCredentials } from './git';
import { EVIDENCE_ELEMENT_ID, escapeHtml, evidenceHtml } from './html';
import type { Evidence } from './types';

const REPO = path.resolve(__dirname, '..', '..', '..');
const EXAMPLES = path.join(REPO, 'examples');
const NOW = new Date('2026-06-01T12:00:00Z');
const SHA_A = 'a'.repeat(40);
const SHA_B = '0123456789abcdef0123456789abcdef01234567';

const tmp = (prefix: string) => realpathSync(mkdtempSync(path.join(os.tmpdir(), prefix)));
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

/** A copy of examples/ with a fake repository, two suppression directives and a file whose name is hostile HTML. */
function exampleWorkspace(): string {
  const dir = tmp('plumbline-evidence-');
  cpSync(EXAMPLES, dir, { recursive: true });
  write(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/release/1.2\n');
  write(path.join(dir, '.git', 'refs', 'heads', 'release', '1.2'), `${SHA_A}\n`);
  write(path.join(dir, '.git', 'config'), '[core]\n\tbare = false\n[remote "origin"]\n\turl = https://ci-bot:s3cret-token@git.example.com/acme/fraud-platform.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n');
  const registry = path.join(dir, 'terraform', 'registry.tf');
  const lines = readFileSync(registry, 'utf8').split('\n');
  assert.equal(lines[11], '  image_tag_mutability = "MUTABLE"', 'examples/terraform/registry.tf moved: update this test');
  lines.splice(11, 0, '  # plumbline:ignore tf-aws-ecr-tag-immutability reason="re-pushed tags until ticket GOV-7 lands" expires=2026-07-01');
  lines.splice(9, 0, '# plumbline:ignore tf-aws-ecr-tag-immutability reason="waiver that ran out in May" expires=2026-05-01');
  writeFileSync(registry, lines.join('\n'));
  cpSync(path.join(dir, 'kubernetes', 'batch-scoring.yaml'), path.join(dir, 'kubernetes', `x<script>alert("f")</script>'.yaml`));
  return dir;
}

const build = (dir: string, extra: Partial<Parameters<typeof buildEvidence>[0]> = {}) =>
  buildEvidence({ paths: ['.'], cwd: dir, roots: [dir], driftSource: 'state', now: NOW, env: {}, ...extra });

describe('evidence: the repository position, read from .git without running git', () => {
  it('reads a branch from a loose ref, and the origin URL without credentials', () => {
    const dir = exampleWorkspace();
    assert.deepEqual(readGitSource(path.join(dir, 'terraform')), {
      repository: 'https://git.example.com/acme/fraud-platform.git',
      commit: SHA_A,
      branch: 'release/1.2',
      detached: false,
    });
  });

  it('falls back to packed-refs, skipping its header and peeled lines', () => {
    const dir = tmp('plumbline-git-packed-');
    write(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    write(path.join(dir, '.git', 'packed-refs'), `# pack-refs with: peeled fully-peeled sorted\n${SHA_A} refs/heads/mainline\n${SHA_B} refs/heads/main\n^${SHA_A}\n`);
    assert.deepEqual(readGitSource(dir), { commit: SHA_B, branch: 'main', detached: false });
  });

  it('reports a detached HEAD, and a branch with no commit yet', () => {
    const detached = tmp('plumbline-git-detached-');
    write(path.join(detached, '.git', 'HEAD'), `${SHA_B}\n`);
    assert.deepEqual(readGitSource(detached), { commit: SHA_B, detached: true });
    const fresh = tmp('plumbline-git-fresh-');
    write(path.join(fresh, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    assert.deepEqual(readGitSource(fresh), { branch: 'main', detached: false });
  });

  it('follows a .git file (gitdir:) to a worktree, whose branches live in the common dir', () => {
    const main = tmp('plumbline-git-main-');
    write(path.join(main, '.git', 'refs', 'heads', 'feature'), `${SHA_B}\n`);
    write(path.join(main, '.git', 'worktrees', 'wt', 'HEAD'), 'ref: refs/heads/feature\n');
    write(path.join(main, '.git', 'worktrees', 'wt', 'commondir'), '../..\n');
    write(path.join(main, '.git', 'config'), '[remote "origin"]\n  url = git@github.com:acme/app.git\n');
    const worktree = tmp('plumbline-git-wt-');
    write(path.join(worktree, '.git'), `gitdir: ${path.join(main, '.git', 'worktrees', 'wt')}\n`);
    assert.deepEqual(readGitSource(worktree), { repository: 'git@github.com:acme/app.git', commit: SHA_B, branch: 'feature', detached: false });
  });

  it('records no commit or branch for a reftable repository (its refs are binary)', () => {
    const dir = tmp('plumbline-git-reftable-');
    write(path.join(dir, '.git', 'HEAD'), 'ref: refs/heads/.invalid\n');
    write(path.join(dir, '.git', 'reftable', 'tables.list'), '0x000000000001-0x000000000001-0a1b2c3d.ref\n');
    assert.deepEqual(readGitSource(dir), { detached: false });
  });

  it('is undefined outside a repository, and ignores a HEAD that points outside refs/', () => {
    assert.equal(readGitSource(tmp('plumbline-git-none-')), undefined);
    const odd = tmp('plumbline-git-odd-');
    write(path.join(odd, '.git', 'HEAD'), 'ref: ../../etc/passwd\n');
    assert.equal(readGitSource(odd), undefined);
  });

  it('strips user and password from URLs only where they are credentials', () => {
    assert.equal(withoutCredentials('https://user:tok@host/a.git'), 'https://host/a.git');
    assert.equal(withoutCredentials('https://host/a@b.git'), 'https://host/a@b.git');
    assert.equal(withoutCredentials('git@github.com:a/b.git'), 'git@github.com:a/b.git');
  });
});

describe('evidence: building the report of the examples', () => {
  it('records the tool, commit, config hashes, rule set, findings, suppressions, drift and verdict', async () => {
    const dir = exampleWorkspace();
    const e = await build(dir);
    const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };
    assert.equal(e.schema, 'plumbline-evidence/1');
    assert.equal(e.generatedAt, '2026-06-01T12:00:00.000Z');
    assert.deepEqual(e.tool, { name: 'plumbline', version: pkg.version });
    assert.equal(e.source?.commit, SHA_A);
    assert.deepEqual(e.scope, { folder: path.basename(dir), paths: ['.'], fileCount: 13 });
    assert.deepEqual(e.config.files, [{ path: '.plumbline.yaml', role: 'config', sha256: sha256(path.join(dir, '.plumbline.yaml')), bytes: readFileSync(path.join(dir, '.plumbline.yaml')).length }]);

    // Findings: those of `plumbline check` on the examples, less the suppressed one, plus the copy's finding and the expired directive.
    assert.equal(e.findings.total, e.findings.list.length);
    assert.deepEqual(e.findings.bySeverity, countBy(e.findings.list.map((f) => f.severity)));
    const registry = e.findings.list.filter((f) => f.file === 'terraform/registry.tf').map((f) => `${f.range.start.line + 1} ${f.ruleId}`);
    assert.ok(!registry.includes('13 tf-aws-ecr-tag-immutability'), 'the active directive suppresses the finding below it');
    assert.ok(e.findings.list.some((f) => f.file === 'kubernetes/x<script>alert("f")</script>\'.yaml'));
    assert.deepEqual(Object.keys(e.findings.list[0]!), ['ruleId', 'severity', 'message', 'file', 'range']);

    assert.deepEqual(
      e.suppressions.list.map((s) => `${s.file}:${s.line} ${s.status} ${s.expires} ${s.rules.join(',')}`),
      ['terraform/registry.tf:10 expired 2026-05-01 tf-aws-ecr-tag-immutability', 'terraform/registry.tf:13 active 2026-07-01 tf-aws-ecr-tag-immutability'],
    );
    assert.equal(e.suppressions.list[1]!.reason, 're-pushed tags until ticket GOV-7 lands');
    assert.deepEqual(e.suppressions.byStatus, { active: 1, unused: 0, expired: 1, invalid: 0 });

    const ecr = e.rules.list.find((r) => r.id === 'tf-aws-ecr-tag-immutability')!;
    assert.equal(ecr.severity, 'high');
    assert.equal(ecr.domain, 'terraform');
    assert.ok(ecr.mappings.nist?.length);
    assert.deepEqual(
      e.rules.list.map((r) => r.id),
      [...e.rules.list.map((r) => r.id)].sort(),
    );
    assert.match(e.rules.rulesetHash, /^[0-9a-f]{64}$/);

    assert.equal(e.drift?.driftCount, 6);
    assert.deepEqual(
      e.drift!.stacks.map((s) => `${s.name} ${s.source} ${s.status}`),
      ['terraform state drifted'],
    );
    const versioning = e.drift!.stacks[0]!.drifted.find((r) => r.address === 'aws_s3_bucket_versioning.datasets')!;
    assert.equal(versioning.file, 'terraform/versioning.tf');
    assert.ok(versioning.changes.some((c) => c.path.startsWith('versioning_configuration')));

    assert.deepEqual(e.verdict, {
      findings: e.findings.total,
      bySeverity: e.findings.bySeverity,
      highOrAbove: true,
      expiredSuppressions: 1,
      invalidSuppressions: 0,
      driftCount: 6,
    });
    assert.equal(evidenceFileName(e), 'plumbline-evidence-2026-06-01.html');
  });

  it('is the same for the same tree, and its hashes move with the bytes and the rule set', async () => {
    const dir = exampleWorkspace();
    const first = await build(dir, { driftSource: undefined });
    assert.deepEqual(await build(dir, { driftSource: undefined }), first, 'two reports of the same tree at the same time are equal');
    assert.equal(first.drift, null);
    assert.equal(first.verdict.driftCount, null);

    const config = path.join(dir, '.plumbline.yaml');
    writeFileSync(config, `${readFileSync(config, 'utf8')}# reviewed\n`);
    const comment = await build(dir, { driftSource: undefined });
    assert.notEqual(comment.config.files[0]!.sha256, first.config.files[0]!.sha256);
    assert.equal(comment.config.files[0]!.sha256, sha256(config));
    assert.notEqual(comment.config.configHash, first.config.configHash);
    assert.equal(comment.rules.rulesetHash, first.rules.rulesetHash, 'a comment changes no rule');

    writeFileSync(config, `${readFileSync(config, 'utf8')}rules:\n  tf-aws-ecr-tag-immutability:\n    severity: low\n`);
    const lowered = await build(dir, { driftSource: undefined });
    assert.notEqual(lowered.rules.rulesetHash, first.rules.rulesetHash);
    const ecr = lowered.rules.list.find((r) => r.id === 'tf-aws-ecr-tag-immutability')!;
    assert.deepEqual([ecr.severity, ecr.defaultSeverity], ['low', 'high']);
  });

  it('lists extended files, presets, policy files and the --config file, and splits a rule whose settings differ by folder', async () => {
    const dir = tmp('plumbline-evidence-config-');
    const manifest = readFileSync(path.join(EXAMPLES, 'kubernetes', 'batch-scoring.yaml'), 'utf8');
    write(path.join(dir, 'team-a', 'job.yaml'), manifest);
    write(path.join(dir, 'team-b', 'job.yaml'), manifest);
    write(path.join(dir, 'team-b', '.plumbline.yaml'), 'extends: [recommended, ../shared/base.yaml]\n');
    write(path.join(dir, 'shared', 'base.yaml'), 'rules:\n  k8s-probes:\n    severity: low\n');
    write(
      path.join(dir, '.plumbline', 'policies', 'owner.yaml'),
      'policies:\n  - id: acme-owner-label\n    title: Objects name an owner\n    severity: low\n    message: Label every object with its owner\n    match:\n      kubernetes: { kinds: "*" }\n    assert:\n      required: [metadata]\n',
    );
    const base = path.join(tmp('plumbline-evidence-base-'), 'base.yaml');
    write(base, 'report_unknown: false\n');
    const e = await build(dir, { driftSource: undefined, paths: ['team-a', 'team-b'], configFile: base });
    assert.deepEqual(
      e.config.files.map((f) => `${f.role} ${f.path}`),
      [`base ${path.relative(dir, base)}`, 'policy .plumbline/policies/owner.yaml', 'extends shared/base.yaml', 'config team-b/.plumbline.yaml'],
      'sorted by path',
    );
    assert.deepEqual(e.config.presets, ['recommended']);
    assert.ok(e.config.files.every((f) => f.sha256 && f.bytes));
    const probes = e.rules.list.filter((r) => r.id === 'k8s-probes');
    assert.deepEqual(
      probes.map((r) => `${r.severity} ${r.folders?.join(',')}`),
      ['medium team-a', 'low team-b'],
    );
    assert.ok(e.rules.list.filter((r) => r.id !== 'k8s-probes').every((r) => r.folders === undefined));
    assert.ok(e.rules.list.every((r) => r.domain === 'kubernetes'), 'only the rules of the kinds analysed ran');
  });

  it('defaults the CLI drift source to state only where a terraform.tfstate exists', () => {
    assert.equal(defaultDriftSource(['examples'], REPO), 'state');
    assert.equal(defaultDriftSource(['examples/kubernetes'], REPO), undefined);
  });
});

describe('evidence: the editor request (workspaceEvidence)', () => {
  it('uses the server service: each folder under its settings, disabled folders left out, open buffers, drift as held', async () => {
    const parent = tmp('plumbline-evidence-ws-');
    const a = path.join(parent, 'a');
    const b = path.join(parent, 'b');
    const ecr = 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE"\n}\n';
    write(path.join(a, 'main.tf'), ecr);
    write(path.join(b, 'main.tf'), ecr);
    const service = await LanguageService.create({ roots: [a, b], now: () => NOW });
    // An unsaved edit: the analysis sees the buffer, not the file.
    service.openDocument(toUri(path.join(a, 'main.tf')), ecr.replace('MUTABLE', 'IMMUTABLE'), 2);
    const applied: string[] = [];
    const e = await workspaceEvidence(
      service,
      async (root) => (root === b ? undefined : () => (applied.push(root), service.setUserSettings({ rules: { 'tf-provider-version-pinned': { severity: 'low' } } }))),
      { sources: [{ kind: 'state', label: 'Terraform state', stacks: [] }], driftCount: 0, refreshing: false },
      NOW,
    );
    assert.deepEqual(applied, [a]);
    assert.deepEqual(e.scope, { folder: path.basename(parent), paths: ['a', 'b'], fileCount: 1 });
    assert.ok(!e.findings.list.some((f) => f.ruleId === 'tf-aws-ecr-tag-immutability'), 'the open buffer fixed it');
    assert.ok(e.findings.list.every((f) => f.file.startsWith('a/')));
    assert.equal(e.rules.list.find((r) => r.id === 'tf-provider-version-pinned')?.severity, 'low', 'editor settings count');
    assert.deepEqual(e.drift, { sources: [{ kind: 'state', label: 'Terraform state' }], driftCount: 0, stacks: [] });
    assert.equal((await workspaceEvidence(service, async () => () => undefined, { sources: [], driftCount: 0, refreshing: false }, NOW)).drift, null);
  });
});

describe('evidence: HTML', () => {
  it('escapes the five characters that matter', () => {
    assert.equal(escapeHtml(`<script>alert("x")</script> & 'y'`), '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;');
  });

  it('is one self-contained page whose text cannot break out, with the evidence JSON that parses back equal', async () => {
    const e = await build(exampleWorkspace());
    const hostile: Evidence = {
      ...e,
      findings: {
        ...e.findings,
        list: [
          ...e.findings.list,
          { ruleId: 'k8s-probes', severity: 'high', message: `</script><script>alert(1)</script><!-- "quoted" & 'single'`, file: `a"><img src=x onerror=alert(2)>.yaml`, range: e.findings.list[0]!.range },
        ],
      },
      suppressions: { ...e.suppressions, list: [{ file: 'x.tf', line: 1, rules: ['<b>'], reason: '</td></tr></table><script>alert(3)</script>', expires: null, status: 'invalid', problems: ['<i>bad</i>'] }] },
    };
    const html = evidenceHtml(hostile);
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.equal(html.match(/<script\b/g)?.length, 1, 'the JSON data block is the only script element');
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.ok(!/<img\b/.test(html) && !/<b>|<i>bad/.test(html), 'no markup from the data');
    assert.ok(html.includes('a&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.yaml'));
    assert.ok(html.includes('kubernetes/x&lt;script&gt;alert(&quot;f&quot;)&lt;/script&gt;&#39;.yaml'), 'a hostile file name from disk is escaped too');
    assert.ok(!/\b(src|href)=["']?(https?:)?\/\//i.test(html) && !/@import|url\(/i.test(html), 'nothing loads from elsewhere');
    assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
    assert.match(html, /<details>\s*<summary><h2>Rule set/);

    const data = new RegExp(`<script type="application/json" id="${EVIDENCE_ELEMENT_ID}">([\\s\\S]*?)</script>`).exec(html)?.[1];
    assert.ok(data);
    assert.deepEqual(JSON.parse(data), JSON.parse(JSON.stringify(hostile)));
  });

  it('shows the commit, version, counts and hashes, and says when drift was not checked', async () => {
    const e = await build(exampleWorkspace(), { driftSource: undefined });
    const html = evidenceHtml(e);
    for (const s of [SHA_A, 'release/1.2', e.tool.version, e.generatedAt, e.config.configHash, e.rules.rulesetHash, 'https://git.example.com/acme/fraud-platform.git', 'drift not checked'])
      assert.ok(html.includes(s), `the page shows ${s}`);
    assert.ok(!html.includes('s3cret-token'));
  });
});

describe('plumbline report', () => {
  it('prints the evidence JSON, with drift from the local state by default', async () => {
    const dir = exampleWorkspace();
    const r = await runCli(dir, ['report', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const e = JSON.parse(r.out) as Evidence;
    assert.equal(e.schema, 'plumbline-evidence/1');
    assert.equal(e.source?.branch, 'release/1.2');
    assert.equal(e.drift?.driftCount, 6);
    assert.ok(e.findings.total > 0);
    const none = JSON.parse((await runCli(dir, ['report', 'kubernetes', '--format', 'json', '--drift', 'none'])).out) as Evidence;
    assert.equal(none.drift, null);
    assert.deepEqual(none.scope.paths, ['kubernetes']);
  });

  it('writes the HTML to --output and says so on stderr', async () => {
    const dir = exampleWorkspace();
    const file = path.join(tmp('plumbline-report-out-'), 'evidence.html');
    const r = await runCli(dir, ['report', '.', '--format', 'html', '--output', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    assert.match(r.err, /evidence written to .*evidence\.html/);
    assert.ok(existsSync(file));
    const html = readFileSync(file, 'utf8');
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(html.includes(SHA_A));
  });

  it('exits 2 on a usage error', async () => {
    const dir = exampleWorkspace();
    for (const args of [
      ['report', '--format', 'sarif'],
      ['report', '--drift', 'pulumi'],
      ['report', '--config', 'nope.yaml'],
      ['report', 'no-such-folder'],
      ['report', '--output', 'terraform'],
      ['report', '--no-such-flag'],
    ]) {
      const r = await runCli(dir, args);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.err, /plumbline report \[paths…\]/, 'the usage follows the message');
    }
    const help = await runCli(dir, ['report', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /plumbline report/);
  });
});

function countBy(severities: readonly string[]): Record<string, number> {
  const out: Record<string, number> = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
  for (const s of severities) out[s]!++;
  return out;
}
