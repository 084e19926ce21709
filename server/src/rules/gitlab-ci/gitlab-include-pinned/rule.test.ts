import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const SHA = '3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39';
const project = (ref: string, name = 'platform/ci-templates') => `include:\n  - project: ${name}\n    ref: ${ref}\n    file: /deploy.yml\n`;
const component = (value: string) => `include:\n  - component: ${value}\n`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.yml (local, SHA ref, variable ref, remote with integrity, pinned components)', code: fixture(__dirname, 'pass.yml') },
    { name: 'fixture pass-allow-tags.yml with allow_tags', code: fixture(__dirname, 'pass-allow-tags.yml'), params: { allow_tags: true } },
    { name: 'include as one local string', code: 'include: ci/templates.yml\n' },
    { name: 'include as one local map', code: 'include:\n  local: /ci/templates.yml\n' },
    { name: 'an all-digit SHA written plain (YAML reads it as a number) still counts as a SHA', code: project('1234567890123456789012345678901234567890') },
    { name: 'upper-case hex SHA', code: project(SHA.toUpperCase()) },
    { name: 'project in allowed_projects with a SHA ref', code: project(SHA), params: { allowed_projects: ['platform/ci-templates'] } },
    { name: 'project named by a variable is unknown for allowed_projects', code: project(SHA, '$TEMPLATE_PROJECT'), params: { allowed_projects: ['platform/ci-templates'] } },
    { name: 'component version from an input is unknown', code: component('gitlab.com/ml/components/eval@$[[ inputs.version ]]') },
    { name: 'component version in single quotes', code: component("'gitlab.com/ml/components/eval@2.0.1'") },
    { name: 'component with a pre-release version', code: component('gitlab.com/ml/components/eval@2.0.1-rc.1') },
    { name: 'remote integrity from a variable is unknown', code: 'include:\n  - remote: https://example.com/a.yml\n    integrity: $SCAN_INTEGRITY\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.yml',
      code: fixture(__dirname, 'fail.yml'),
      errors: [
        { at: '2:14-2:35', severity: 'high', message: 'has no ref' },
        { at: '5:10-5:14', severity: 'high', message: 'ref "main" is not a 40-hex commit SHA' },
        { at: '7:13-7:44', severity: 'high', message: 'no integrity hash' },
        { at: '8:5-8:36', severity: 'high', message: 'no integrity hash' },
        { at: '9:61-9:68', severity: 'high', message: '~latest' },
        { at: '10:56-10:59', severity: 'high', message: 'partial version "1.2"' },
        { at: '11:15-11:38', severity: 'info', message: 'versioned with the GitLab instance' },
      ],
    },
    {
      name: 'fixture fail-component-header.yml (second document, quoted branch, no version)',
      code: fixture(__dirname, 'fail-component-header.yml'),
      errors: [
        { at: '7:56-7:60', message: '"main", a branch or tag name' },
        { at: '8:16-8:54', message: 'has no version' },
      ],
    },
    { name: 'a version tag without allow_tags', code: project('v2.3.1'), errors: [{ at: '3:10-3:16', message: 'not a 40-hex commit SHA' }] },
    { name: 'a partial tag with allow_tags', code: project('v2.3'), params: { allow_tags: true }, errors: [{ at: '3:10-3:14', message: 'nor a full version tag' }] },
    { name: 'a short SHA', code: project('3f2a9c1'), errors: [{ at: '3:10-3:17' }] },
    {
      name: 'a project outside allowed_projects',
      code: project(SHA, 'someone/else'),
      params: { allowed_projects: ['platform/ci-templates'] },
      errors: [{ at: '2:14-2:26', message: 'include:project "someone/else" is not in allowed_projects' }],
    },
    {
      name: 'a project outside allowed_projects and without ref: one finding on the project says both',
      code: 'include:\n  project: someone/else\n  file: /x.yml\n',
      params: { allowed_projects: ['platform/ci-templates'] },
      errors: [{ at: '2:12-2:24', message: /has no ref.*not in allowed_projects/ }],
    },
    {
      name: 'remote with a malformed integrity value',
      code: 'include:\n  - remote: https://example.com/a.yml\n    integrity: sha256-abc\n',
      errors: [{ at: '2:13-2:38', message: 'not sha256-<base64 SHA-256>' }],
    },
    { name: 'component in double quotes pinned to a branch', code: component('"gitlab.com/ml/comp@main"'), errors: [{ at: '2:36-2:40', message: '"main"' }] },
    { name: 'component with a major-only version', code: component('gitlab.com/ml/comp@1'), errors: [{ at: '2:35-2:36', message: 'partial version "1"' }] },
    { name: 'component with an empty version', code: component('gitlab.com/ml/comp@'), errors: [{ at: '2:16-2:35', message: 'has no version' }] },
  ],
});
