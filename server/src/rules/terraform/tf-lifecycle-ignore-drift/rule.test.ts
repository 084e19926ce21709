import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const ignoring = (entries: string) => `resource "aws_s3_bucket" "b" {
  lifecycle {
    ignore_changes = [${entries}]
  }
}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (ungoverned entries, no ignore_changes)', code: fixture(__dirname, 'pass.tf') },
    { name: 'an exact entry allowed for the resource type', code: ignoring('tags["CreatorId"]'), params: { allowed_ignores: { aws_s3_bucket: ['tags["CreatorId"]'] } } },
    { name: 'an exact entry allowed for any type', code: ignoring('tags["CreatorId"]'), params: { allowed_ignores: { '*': ['tags[ "CreatorId" ]'] } } },
    { name: 'an entry that is not a reference is unknown', code: ignoring('lower("TAGS")') },
    { name: 'governed_attributes can be narrowed', code: ignoring('tags'), params: { governed_attributes: ['*kms*'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (all, governed entries by name and glob)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '5:22-5:25', severity: 'medium', message: 'all attributes' },
        { at: '14:7-14:27', message: 'image_tag_mutability' },
        { at: '15:7-15:20', message: 'tags["owner"]' },
        { at: '23:23-23:29', message: 'policy' },
      ],
    },
    {
      name: 'glob matches: *encryption*, versioning*, *public*',
      code: ignoring('server_side_encryption_configuration, versioning, block_public_acls'),
      errors: [{ at: '3:23-3:59' }, { at: '3:61-3:71' }, { at: '3:73-3:90' }],
    },
    {
      name: 'an allowed entry for another type does not apply',
      code: ignoring('tags["CreatorId"]'),
      params: { allowed_ignores: { aws_instance: ['tags["CreatorId"]'] } },
      errors: [{ at: '3:23-3:40' }],
    },
    {
      name: 'legacy string form "all"',
      code: 'resource "aws_s3_bucket" "b" {\n  lifecycle {\n    ignore_changes = "all"\n  }\n}\n',
      errors: [{ at: '3:22-3:27', message: 'all attributes' }],
    },
    {
      name: 'with report_unknown, an entry that is not a reference is one info note',
      code: ignoring('lower("TAGS")'),
      params: { report_unknown: true },
      errors: [{ at: '3:23-3:36', severity: 'info', message: 'could not evaluate tf-lifecycle-ignore-drift: ignore_changes entry lower("TAGS")' }],
    },
  ],
});
