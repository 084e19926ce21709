import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const agent = (block: string) => `resource "aws_bedrockagent_agent" "a" {
  agent_name = "a"
${block}}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (published version, and a version from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    { name: 'a literal published version number', code: agent('  guardrail_configuration {\n    guardrail_identifier = "gr-1"\n    guardrail_version    = "3"\n  }\n') },
    { name: 'DRAFT accepted with allow_draft_version', code: fixture(__dirname, 'fail2.tf'), params: { allow_draft_version: true } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no guardrail; literal DRAFT)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:46', severity: 'high', message: 'has no guardrail_configuration' },
        { at: '14:28-14:35', severity: 'high', message: 'is "DRAFT"' },
      ],
    },
    {
      name: 'fixture fail2.tf (the guardrail resource\'s own version is its DRAFT)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [{ at: '14:28-14:65', severity: 'high', message: 'is the guardrail\'s "DRAFT"' }],
    },
    {
      name: 'with report_unknown, a version from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '38:28-38:49', severity: 'info', message: /could not evaluate tf-aws-bedrock-agent-guardrail: .*var\.guardrail_version/ }],
    },
    {
      name: 'a block without identifier and version',
      code: agent('  guardrail_configuration {\n  }\n'),
      errors: [
        { at: '3:3-3:26', message: 'guardrail_identifier' },
        { at: '3:3-3:26', message: 'sets no guardrail_version' },
      ],
    },
  ],
});
