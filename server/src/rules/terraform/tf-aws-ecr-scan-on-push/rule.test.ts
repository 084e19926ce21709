import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const repo = (name: string, body = '') => `resource "aws_ecr_repository" "${name}" {
  name = "${name}"${body}
}
`;
const registry = (body: string) => `resource "aws_ecr_registry_scanning_configuration" "registry" {
${body}
}
`;
const rule1 = (freq: string, filter: string) => `  scan_type = "BASIC"
  rule {
    scan_frequency = ${freq}
    repository_filter {
      filter      = ${filter}
      filter_type = "WILDCARD"
    }
  }`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (scan_on_push; registry rule matching ml-*)', code: fixture(__dirname, 'pass.tf') },
    { name: 'ENHANCED registry scanning covers every repository', code: repo('trainer') + registry('  scan_type = "ENHANCED"') },
    { name: 'a CONTINUOUS_SCAN rule with filter * covers every repository', code: repo('trainer') + registry(rule1('"CONTINUOUS_SCAN"', '"*"')) },
    { name: 'scan_on_push from a variable is unknown', code: repo('trainer', '\n  image_scanning_configuration {\n    scan_on_push = var.scan\n  }') },
    { name: 'scan_type from a variable is unknown', code: repo('trainer') + registry('  scan_type = var.scan_type') },
    { name: 'a registry filter from a variable is unknown', code: repo('trainer') + registry(rule1('"SCAN_ON_PUSH"', 'var.filter')) },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no configuration; scan_on_push = false; MANUAL registry rule)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:45', severity: 'medium', message: 'image_scanning_configuration { scan_on_push = true }' },
        { at: '9:20-9:25', severity: 'medium', message: 'scan_on_push is false' },
      ],
    },
    {
      name: 'a registry rule for other repositories does not count',
      code: repo('trainer') + registry(rule1('"SCAN_ON_PUSH"', '"web-*"')),
      errors: [{ at: '1:1-1:40' }],
    },
    {
      name: 'registry scanning is ignored when accept_registry_scanning is false',
      code: repo('trainer') + registry('  scan_type = "ENHANCED"'),
      params: { accept_registry_scanning: false },
      errors: [{ at: '1:1-1:40' }],
    },
    {
      name: 'a configuration block without scan_on_push',
      code: repo('trainer', '\n  image_scanning_configuration {\n  }'),
      errors: [{ at: '3:3-3:31', message: 'does not set scan_on_push' }],
    },
    {
      name: 'report_unknown: unknown scan_on_push gets an info note',
      code: repo('trainer', '\n  image_scanning_configuration {\n    scan_on_push = var.scan\n  }'),
      params: { report_unknown: true },
      errors: [{ at: '4:20-4:28', severity: 'info', message: /could not evaluate tf-aws-ecr-scan-on-push: .*var\.scan/ }],
    },
    {
      name: "fix: adds the image_scanning_configuration block",
      code: `resource "aws_ecr_repository" "r" {
  name = "r"
}
`,
      errors: [{ at: '1:1-1:34' }],
      output: `resource "aws_ecr_repository" "r" {
  name = "r"
  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
    },
    {
      name: "fix: sets scan_on_push",
      code: `resource "aws_ecr_repository" "r" {
  name = "r"

  image_scanning_configuration {
    scan_on_push = false
  }
}
`,
      errors: [{ at: '5:20-5:25' }],
      output: `resource "aws_ecr_repository" "r" {
  name = "r"

  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
    },
    {
      name: "fix: inserts scan_on_push into an empty block",
      code: `resource "aws_ecr_repository" "r" {
  name = "r"

  image_scanning_configuration {
  }
}
`,
      errors: [{ at: '4:3-4:31' }],
      output: `resource "aws_ecr_repository" "r" {
  name = "r"

  image_scanning_configuration {
    scan_on_push = true
  }
}
`,
    },
  ],
});

describe('tf-aws-ecr-scan-on-push fix data', () => {
  it('describes the block to insert', async () => {
    const [finding] = await analyze(rule, { 'main.tf': repo('trainer') });
    assert.deepEqual(finding!.data, { fix: 'insert', block: 'image_scanning_configuration', attribute: 'scan_on_push', value: true });
  });
});
