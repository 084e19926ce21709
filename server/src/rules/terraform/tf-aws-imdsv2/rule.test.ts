import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

/** An `aws_instance` with `body` (already indented) after its arguments. */
const instance = (body = '') => `resource "aws_instance" "host" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"${body}
}
`;

const metadataOptions = (...lines: string[]) => `\n\n  metadata_options {\n${lines.map((l) => `    ${l}\n`).join('')}  }`;

const defaults = (...lines: string[]) => `resource "aws_ec2_instance_metadata_defaults" "this" {
${lines.map((l) => `  ${l}\n`).join('')}}

`;

const notebook = (body = '') => `resource "aws_sagemaker_notebook_instance" "nb" {
  name          = "research"
  role_arn      = "arn:aws:iam::123456789012:role/sagemaker"
  instance_type = "ml.t3.medium"${body}
}
`;

ruleTester(rule, {
  valid: [
    {
      name: 'fixture pass.tf (required on every type, endpoint disabled, a value from a variable)',
      code: fixture(__dirname, 'pass.tf'),
    },
    {
      name: 'fixture pass2.tf (aws_ec2_instance_metadata_defaults requires tokens)',
      code: fixture(__dirname, 'pass2.tf'),
    },
    {
      name: 'region defaults with the endpoint disabled',
      code: defaults('http_endpoint = "disabled"') + instance(),
    },
    {
      name: 'region defaults that cannot be evaluated make an absent setting unknown',
      code: defaults('http_tokens = var.imds_tokens') + instance(),
    },
    {
      name: 'region defaults in another file of the module',
      files: { 'account.tf': defaults('http_tokens = "required"'), 'hosts.tf': instance() },
    },
    {
      name: 'an instance launched from a template takes its metadata options from the template',
      code: instance('\n\n  launch_template {\n    id = aws_launch_template.gpu.id\n  }'),
    },
    {
      name: 'an unknown http_endpoint may be "disabled"',
      code: instance(metadataOptions('http_endpoint = var.imds_endpoint', 'http_tokens   = "optional"')),
    },
    {
      name: 'the endpoint disabled: hop limit and tokens do not matter',
      code: instance(metadataOptions('http_endpoint               = "disabled"', 'http_put_response_hop_limit = 8')),
    },
    {
      name: 'dynamic "metadata_options": its existence is unknown',
      code: instance('\n\n  dynamic "metadata_options" {\n    for_each = var.imds\n    content {\n      http_tokens = "required"\n    }\n  }'),
    },
    {
      name: 'an unknown hop limit is not reported',
      code: instance(metadataOptions('http_tokens                 = "required"', 'http_put_response_hop_limit = var.hops')),
    },
    {
      name: 'SageMaker version given as a number',
      code: notebook('\n\n  instance_metadata_service_configuration {\n    minimum_instance_metadata_service_version = 2\n  }'),
    },
    {
      name: 'SageMaker version from a variable is unknown',
      code: notebook('\n\n  instance_metadata_service_configuration {\n    minimum_instance_metadata_service_version = var.imds_version\n  }'),
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (missing block, optional, missing http_tokens, SageMaker "1", hop limit 3)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:34', severity: 'high', message: 'Add metadata_options { http_tokens = "required" }' },
        { at: '11:35-11:45', severity: 'high', message: 'http_tokens is "optional"' },
        { at: '12:35-12:36', severity: 'info', message: 'http_put_response_hop_limit is 3' },
        { at: '20:3-20:19', severity: 'high', message: 'does not set http_tokens' },
        { at: '31:49-31:52', severity: 'high', message: 'minimum_instance_metadata_service_version is "1"' },
      ],
    },
    {
      name: 'fixture fail2.tf (region defaults do not override an explicit value nor cover SageMaker)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '11:19-11:29', severity: 'high' },
        { at: '15:1-15:54', severity: 'high', message: 'defaults to "1"' },
      ],
    },
    {
      name: 'region defaults without a preference do not protect',
      code: defaults('http_tokens   = "no-preference"', 'http_endpoint = "enabled"') + instance(),
      errors: [{ at: '6:1-6:31' }],
    },
    {
      name: 'an instance with its own metadata_options is checked even with a launch template',
      code: instance('\n\n  launch_template {\n    id = aws_launch_template.gpu.id\n  }' + metadataOptions('http_tokens = "optional"')),
      errors: [{ at: '10:19-10:29' }],
    },
    {
      name: 'the endpoint explicitly enabled with tokens optional',
      code: instance(metadataOptions('http_endpoint = "enabled"', 'http_tokens   = "optional"')),
      errors: [{ at: '7:21-7:31' }],
    },
    {
      name: 'hop limit above 2 is an info note even when tokens are required',
      code: instance(metadataOptions('http_tokens                 = "required"', 'http_put_response_hop_limit = 64')),
      errors: [{ at: '7:35-7:37', severity: 'info' }],
    },
    {
      name: 'launch template without metadata_options',
      code: 'resource "aws_launch_template" "gpu" {\n  name_prefix = "gpu-"\n}\n',
      errors: [{ at: '1:1-1:37' }],
    },
    {
      name: 'SageMaker configuration block without the version',
      code: notebook('\n\n  instance_metadata_service_configuration {\n  }'),
      errors: [{ at: '6:3-6:42', message: 'does not set minimum_instance_metadata_service_version' }],
    },
    {
      name: "fix: adds the metadata_options block",
      code: `resource "aws_instance" "i" {
  ami           = "ami-1"
  instance_type = "t3.micro"
}
`,
      errors: [{ at: '1:1-1:28' }],
      output: `resource "aws_instance" "i" {
  ami           = "ami-1"
  instance_type = "t3.micro"
  metadata_options {
    http_tokens = "required"
  }
}
`,
    },
    {
      name: "fix: sets http_tokens",
      code: `resource "aws_instance" "i" {
  ami = "ami-1"

  metadata_options {
    http_tokens = "optional"
  }
}
`,
      errors: [{ at: '5:19-5:29' }],
      output: `resource "aws_instance" "i" {
  ami = "ami-1"

  metadata_options {
    http_tokens = "required"
  }
}
`,
    },
    {
      name: "fix: inserts http_tokens into metadata_options",
      code: `resource "aws_instance" "i" {
  ami = "ami-1"

  metadata_options {
    http_endpoint = "enabled"
  }
}
`,
      errors: [{ at: '4:3-4:19' }],
      output: `resource "aws_instance" "i" {
  ami = "ami-1"

  metadata_options {
    http_endpoint = "enabled"
    http_tokens   = "required"
  }
}
`,
    },
    {
      name: "fix: SageMaker notebook instance_metadata_service_configuration",
      code: `resource "aws_sagemaker_notebook_instance" "n" {
  name          = "n"
  instance_type = "ml.t3.medium"
  role_arn      = "arn"
}
`,
      errors: [{ at: '1:1-1:47' }],
      output: `resource "aws_sagemaker_notebook_instance" "n" {
  name          = "n"
  instance_type = "ml.t3.medium"
  role_arn      = "arn"
  instance_metadata_service_configuration {
    minimum_instance_metadata_service_version = "2"
  }
}
`,
    },
  ],
});

describe('tf-aws-imdsv2 findings carry fix data', () => {
  it('describes the block to insert when metadata_options is missing', async () => {
    const [finding] = await analyze(rule, { 'main.tf': instance() });
    assert.deepEqual(finding!.data, { fix: 'insert', block: 'metadata_options', attribute: 'http_tokens', value: 'required' });
  });

  it('describes the value to set on a wrong http_tokens', async () => {
    const [finding] = await analyze(rule, { 'main.tf': instance(metadataOptions('http_tokens = "optional"')) });
    assert.deepEqual(finding!.data, { fix: 'set', block: 'metadata_options', attribute: 'http_tokens', value: 'required' });
  });

  it('describes the SageMaker block to insert', async () => {
    const [finding] = await analyze(rule, { 'main.tf': notebook() });
    assert.deepEqual(finding!.data, {
      fix: 'insert',
      block: 'instance_metadata_service_configuration',
      attribute: 'minimum_instance_metadata_service_version',
      value: '2',
    });
  });
});
