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
    {
      name: 'quick fix: with one guardrail and one published version, inserts guardrail_configuration',
      code: `resource "aws_bedrock_guardrail" "support" {
  name                      = "support-guardrail"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
}

resource "aws_bedrock_guardrail_version" "support" {
  guardrail_arn = aws_bedrock_guardrail.support.guardrail_arn
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
`,
      errors: [{ at: '11:1-11:44', severity: 'high', message: 'has no guardrail_configuration' }],
      output: `resource "aws_bedrock_guardrail" "support" {
  name                      = "support-guardrail"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
}

resource "aws_bedrock_guardrail_version" "support" {
  guardrail_arn = aws_bedrock_guardrail.support.guardrail_arn
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"

  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id
    guardrail_version    = aws_bedrock_guardrail_version.support.version
  }
}
`,
    },
    {
      name: 'quick fix: replaces the DRAFT working copy by the one published version',
      code: `resource "aws_bedrock_guardrail" "support" {
  name                      = "support-guardrail"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
}

resource "aws_bedrock_guardrail_version" "support" {
  guardrail_arn = aws_bedrock_guardrail.support.guardrail_arn
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"

  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id
    guardrail_version    = "DRAFT"
  }
}
`,
      errors: [{ at: '18:28-18:35', severity: 'high', message: 'is "DRAFT"' }],
      output: `resource "aws_bedrock_guardrail" "support" {
  name                      = "support-guardrail"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
}

resource "aws_bedrock_guardrail_version" "support" {
  guardrail_arn = aws_bedrock_guardrail.support.guardrail_arn
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"

  guardrail_configuration {
    guardrail_identifier = aws_bedrock_guardrail.support.guardrail_id
    guardrail_version    = aws_bedrock_guardrail_version.support.version
  }
}
`,
    },
    {
      name: 'no quick fix without a published guardrail version (which guardrail applies is intent)',
      code: `resource "aws_bedrock_guardrail" "support" {
  name                      = "support-guardrail"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
`,
      errors: [{ at: '7:1-7:44', severity: 'high', message: 'has no guardrail_configuration' }],
      output: `resource "aws_bedrock_guardrail" "support" {
  name                      = "support-guardrail"
  blocked_input_messaging   = "Blocked."
  blocked_outputs_messaging = "Blocked."
}

resource "aws_bedrockagent_agent" "support" {
  agent_name              = "support-agent"
  agent_resource_role_arn = aws_iam_role.agent.arn
  foundation_model        = "anthropic.claude-3-haiku-20240307-v1:0"
}
`,
    },
  ],
});
