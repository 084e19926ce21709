import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const withExclusion = (filter: string) => `resource "aws_ecr_repository" "r" {
  image_tag_mutability = "IMMUTABLE_WITH_EXCLUSION"
  image_tag_mutability_exclusion_filter {
    filter      = "${filter}"
    filter_type = "WILDCARD"
  }
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (IMMUTABLE, and a value from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'IMMUTABLE_WITH_EXCLUSION whose filter is allowed',
      code: withExclusion('latest'),
      params: { allowed_mutable_tag_patterns: ['latest'] },
    },
    {
      name: 'IMMUTABLE_WITH_EXCLUSION whose filter matches an allowed pattern',
      code: withExclusion('dev-*'),
      params: { allowed_mutable_tag_patterns: ['dev-.*'] },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '3:26-3:35', severity: 'high', message: '"IMMUTABLE"' },
        { at: '6:1-6:42', message: 'defaults to "MUTABLE"' },
      ],
    },
    {
      name: 'with report_unknown, a value from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '12:26-12:44', severity: 'info', message: 'could not evaluate tf-aws-ecr-tag-immutability: depends on var.tag_mutability' }],
    },
    {
      name: 'MUTABLE_WITH_EXCLUSION fails on the value',
      code: 'resource "aws_ecr_repository" "r" {\n  image_tag_mutability = "MUTABLE_WITH_EXCLUSION"\n}\n',
      errors: [{ at: '2:26-2:50' }],
    },
    {
      name: 'IMMUTABLE_WITH_EXCLUSION with a filter nobody allowed',
      code: withExclusion('dev-*'),
      errors: [{ at: '4:19-4:26', message: 'dev-*' }],
    },
    {
      name: "fix: inserts image_tag_mutability",
      code: `resource "aws_ecr_repository" "r" {
  name = "r"
}
`,
      errors: [{ at: '1:1-1:34' }],
      output: `resource "aws_ecr_repository" "r" {
  name                 = "r"
  image_tag_mutability = "IMMUTABLE"
}
`,
    },
    {
      name: "fix: sets image_tag_mutability",
      code: `resource "aws_ecr_repository" "r" {
  name                 = "r"
  image_tag_mutability = "MUTABLE"
}
`,
      errors: [{ at: '3:26-3:35' }],
      output: `resource "aws_ecr_repository" "r" {
  name                 = "r"
  image_tag_mutability = "IMMUTABLE"
}
`,
    },
  ],
});
