import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const agent = (extra = '') => `resource "aws_bedrockagent_agent" "a" {
  agent_name = "a"
${extra}}
`;
const logging = (body: string, extra = '') => `resource "aws_bedrock_model_invocation_logging_configuration" "l" {
${extra}  logging_config {
${body}  }
}
`;
const cloudwatch = '    cloudwatch_config {\n      log_group_name = "/bedrock/invocations"\n      role_arn       = "arn:aws:iam::123456789012:role/bedrock-logs"\n    }\n';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (agent and an S3 logging configuration in one region)', code: fixture(__dirname, 'pass.tf') },
    { name: 'no Bedrock usage: nothing to log', code: 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n}\n' },
    { name: 'CloudWatch destination with the default provider', code: agent() + logging(cloudwatch) },
    {
      name: 'a Deny statement does not count as usage',
      code: 'data "aws_iam_policy_document" "deny" {\n  statement {\n    effect    = "Deny"\n    actions   = ["bedrock:InvokeModel"]\n    resources = ["*"]\n  }\n}\n',
    },
    {
      name: 'a bucket from a variable is unknown, not a violation',
      code: agent() + logging('    s3_config {\n      bucket_name = var.log_bucket\n    }\n') + 'variable "log_bucket" {}\n',
    },
    { name: 'image modality required and left at its default', code: agent() + logging(cloudwatch), params: { required_modalities: ['text', 'image'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no logging configuration in the workspace: info at the first usage)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [{ at: '1:1-1:54', severity: 'info', message: 'may be managed elsewhere' }],
    },
    {
      name: 'must_be_in_workspace makes it high',
      code: fixture(__dirname, 'fail.tf'),
      params: { must_be_in_workspace: true },
      errors: [{ at: '1:1-1:54', severity: 'high', message: 'no aws_bedrock_model_invocation_logging_configuration' }],
    },
    {
      name: 'fixture fail2.tf (IAM policy allows InvokeModel; config without destination and text off)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '14:3-14:17', severity: 'high', message: 'has no destination' },
        { at: '15:34-15:39', severity: 'high', message: 'text_data_delivery_enabled is false' },
      ],
    },
    {
      name: 'with report_unknown, a bucket from a variable is one info note',
      code: agent() + logging('    s3_config {\n      bucket_name = var.log_bucket\n    }\n') + 'variable "log_bucket" {}\n',
      params: { report_unknown: true },
      errors: [{ at: '7:21-7:35', severity: 'info', message: /could not evaluate tf-aws-bedrock-invocation-logging: .*var\.log_bucket/ }],
    },
    {
      name: 'a configuration in another region does not cover the agent',
      code:
        'provider "aws" {\n  region = "us-east-1"\n}\nprovider "aws" {\n  alias  = "eu"\n  region = "eu-west-1"\n}\n' +
        agent('  provider   = aws.eu\n') +
        logging(cloudwatch),
      errors: [{ at: '8:1-8:38', severity: 'info', message: 'uses Bedrock in eu-west-1' }],
    },
    {
      name: 'a required image modality switched off',
      code: agent() + logging(cloudwatch + '    image_data_delivery_enabled = false\n'),
      params: { required_modalities: ['text', 'image'] },
      errors: [{ at: '10:35-10:40', severity: 'high', message: 'image_data_delivery_enabled' }],
    },
    {
      name: 'a policy document allowing bedrock:* is usage',
      code: 'data "aws_iam_policy_document" "ml" {\n  statement {\n    actions   = ["bedrock:*"]\n    resources = ["*"]\n  }\n}\n',
      errors: [{ at: '1:1-1:36', severity: 'info' }],
    },
    {
      name: 'quick fix (placeholder): QF-7 logging configuration after the Bedrock usage',
      code: `resource "aws_bedrockagent_knowledge_base" "policies" {
  name     = "hr-policies"
  role_arn = aws_iam_role.kb.arn
}

resource "aws_s3_bucket" "other" {
  bucket = "other"
}
`,
      errors: [{ at: '1:1-1:54', severity: 'info', message: 'no aws_bedrock_model_invocation_logging_configuration' }],
      output: `resource "aws_bedrockagent_knowledge_base" "policies" {
  name     = "hr-policies"
  role_arn = aws_iam_role.kb.arn
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled      = true
    image_data_delivery_enabled     = true
    embedding_data_delivery_enabled = true
    s3_config {
      bucket_name = "REPLACE_ME"
      key_prefix  = "bedrock-invocations/"
    }
  }
}

resource "aws_s3_bucket" "other" {
  bucket = "other"
}
`,
    },
    {
      name: 'quick fix (placeholder): QF-7 carries the usage provider alias',
      code: `provider "aws" {
  alias  = "eu"
  region = "eu-central-1"
}

resource "aws_bedrockagent_knowledge_base" "policies" {
  provider = aws.eu
  name     = "hr-policies"
  role_arn = aws_iam_role.kb.arn
}
`,
      errors: [{ at: '6:1-6:54', severity: 'info', message: 'uses Bedrock in eu-central-1' }],
      output: `provider "aws" {
  alias  = "eu"
  region = "eu-central-1"
}

resource "aws_bedrockagent_knowledge_base" "policies" {
  provider = aws.eu
  name     = "hr-policies"
  role_arn = aws_iam_role.kb.arn
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  provider = aws.eu

  logging_config {
    text_data_delivery_enabled      = true
    image_data_delivery_enabled     = true
    embedding_data_delivery_enabled = true
    s3_config {
      bucket_name = "REPLACE_ME"
      key_prefix  = "bedrock-invocations/"
    }
  }
}
`,
    },
    {
      name: 'quick fix: sets text_data_delivery_enabled = true',
      code: `resource "aws_bedrockagent_knowledge_base" "policies" {
  name     = "hr-policies"
  role_arn = aws_iam_role.kb.arn
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled = false

    s3_config {
      bucket_name = "bedrock-logs"
    }
  }
}
`,
      errors: [{ at: '8:34-8:39', severity: 'high', message: 'text_data_delivery_enabled is false' }],
      output: `resource "aws_bedrockagent_knowledge_base" "policies" {
  name     = "hr-policies"
  role_arn = aws_iam_role.kb.arn
}

resource "aws_bedrock_model_invocation_logging_configuration" "this" {
  logging_config {
    text_data_delivery_enabled = true

    s3_config {
      bucket_name = "bedrock-logs"
    }
  }
}
`,
    },
  ],
});
