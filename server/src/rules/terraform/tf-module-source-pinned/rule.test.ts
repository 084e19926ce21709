import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, ruleTester } from '../../../../../test/ruleTester';
import { applyEdits } from '../../../fixes/text';
import { memoryFileSystem } from '../../../service/fileSystem';
import { LanguageService, toUri } from '../../../service/languageService';
import rule from './rule';

const mod = (source: string, version?: string) =>
  `module "m" {\n  source = "${source}"\n${version ? `  version = "${version}"\n` : ''}}\n`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (local, exact registry versions, SHA ref, a version from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'semver tag accepted with allow_tags', code: mod('git@github.com:acme/mods.git?ref=v1.2.3'), params: { allow_tags: true } },
    { name: 'archive accepted with allow_archive_sources', code: mod('s3::https://s3.amazonaws.com/acme/vpc.zip'), params: { allow_archive_sources: true } },
    { name: 'git host on the allow list', code: mod('github.com/acme/mods?ref=0123456789abcdef0123456789abcdef01234567'), params: { allowed_git_hosts: ['github.com'] } },
    { name: 'parent-relative local path', code: mod('../shared') },
  ],
  invalid: [
    {
      name: 'fixture fail.tf',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '2:12-2:49', severity: 'high', message: 'without ?ref=' },
        { at: '6:12-6:67', severity: 'high', message: 'git ref "v1.4.0"' },
        { at: '11:13-11:21', severity: 'medium', message: 'is a range' },
        { at: '15:12-15:43', severity: 'high', message: 'without version' },
        { at: '19:12-19:49', severity: 'high', message: 'https archive' },
      ],
    },
    {
      name: 'a short SHA is not a pin',
      code: mod('git::https://example.com/mods.git?ref=0123456'),
      errors: [{ at: '2:12-2:59', severity: 'high', message: '"0123456"' }],
    },
    {
      name: 'git host outside allowed_git_hosts',
      code: mod('bitbucket.org/acme/mods?ref=0123456789abcdef0123456789abcdef01234567'),
      params: { allowed_git_hosts: ['github.com'] },
      errors: [{ at: '2:12-2:82', message: 'bitbucket.org' }],
    },
    {
      name: 'registry host outside allowed_registry_hosts',
      code: mod('registry.example.com/acme/vpc/aws', '1.0.0'),
      errors: [{ at: '2:12-2:47', message: 'registry.example.com' }],
    },
    {
      name: 'lower-bound registry version is medium',
      code: mod('terraform-aws-modules/vpc/aws', '>= 5.0.0'),
      errors: [{ at: '3:13-3:23', severity: 'medium' }],
    },
    {
      name: 'with report_unknown, a version from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '21:13-21:34', severity: 'info', message: 'could not evaluate tf-module-source-pinned: depends on var.s3_module_version' }],
    },
  ],
});

// modules.json is not visible to the engine yet, so no finding carries the
// installed version: the fix is exercised with the data a finding carries once it is.
describe('tf-module-source-pinned fix with the installed version', () => {
  const fixed = async (code: string, data: Record<string, unknown>) => {
    const uri = toUri('/workspace/main.tf');
    const service = await LanguageService.create({ fs: memoryFileSystem({ '/workspace/main.tf': code }), rules: [rule], roots: ['/workspace'] });
    const [finding] = service.analyze(uri).findings;
    const module = service.moduleOf(uri);
    const file = module.files.find((f) => f.uri === uri)!;
    const fixes = rule.fix!({ finding: finding!, data, params: {}, module, file } as never);
    return applyEdits(code, fixes.flatMap((f) => f.edits));
  };
  const registry = (version: string) => `module "vpc" {\n  source = "terraform-aws-modules/vpc/aws"${version}\n}\n`;

  it('pins a range to the installed version', async () => {
    assert.equal(await fixed(registry('\n  version = "~> 5.0"'), { fix: 'set', attribute: 'version', value: '5.8.1' }), registry('\n  version = "5.8.1"'));
  });

  it('adds the installed version when there is none', async () => {
    assert.equal(await fixed(registry(''), { fix: 'insert', attribute: 'version', value: '5.8.1' }), 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n}\n');
  });

  it('offers nothing without the installed version', async () => {
    assert.equal(await fixed(registry(''), { fix: 'insert', attribute: 'version', from: '.terraform/modules/modules.json' }), registry(''));
  });
});

// With .terraform/modules/modules.json in the workspace, the fix pins the installed version.
const installed = JSON.parse(fixture(__dirname, 'fail-installed.tf.files.json')) as Record<string, string>;
ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'fix: the version terraform init installed (modules.json)',
      files: { 'main.tf': fixture(__dirname, 'fail-installed.tf'), ...installed },
      errors: [{ at: '3:12-3:43' }],
      output: fixture(__dirname, 'fail-installed.tf').replace(
        '  source = "terraform-aws-modules/vpc/aws"\n',
        '  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n',
      ),
    },
    {
      name: 'no fix when modules.json has no entry for the call',
      files: { 'main.tf': fixture(__dirname, 'fail-installed.tf'), '.terraform/modules/modules.json': '{"Modules":[]}' },
      errors: [{ at: '3:12-3:43' }],
      output: fixture(__dirname, 'fail-installed.tf'),
    },
  ],
});
