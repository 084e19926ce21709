import { fixture, ruleTester } from '../../../../../test/ruleTester';
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
