import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const withCapture = (body: string, tags = '') => `resource "aws_sagemaker_endpoint_configuration" "c" {
  name = "c"
  production_variants {
    variant_name  = "v"
    model_name    = "m"
    instance_type = "ml.m5.large"
  }
  data_capture_config {
${body}  }
${tags}}
`;
const complete = (pct: number, modes: string[]) =>
  `    enable_capture              = true
    initial_sampling_percentage = ${pct}
    destination_s3_uri          = "s3://captures/c"
    kms_key_id                  = "alias/captures"
${modes.map((m) => `    capture_options {\n      capture_mode = "${m}"\n    }\n`).join('')}`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (prod at 100%, serverless N/A, enable_capture from a variable)', code: fixture(__dirname, 'pass.tf') },
    { name: 'non-prod at 10% with InputAndOutput', code: withCapture(complete(10, ['InputAndOutput'])) },
    { name: 'require_for leaves untagged configurations out', code: fixture(__dirname, 'fail.tf'), params: { require_for: { 'ai-system-id': ['credit'] } } },
    {
      name: 'capture under the configured capture_bucket_uri',
      code: withCapture(complete(10, ['InputAndOutput'])),
      params: { capture_bucket_uri: 's3://captures/' },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no data_capture_config, medium)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [{ at: '1:1-1:58', severity: 'medium', message: 'has no data_capture_config' }],
    },
    {
      name: 'fixture fail2.tf (high-risk: capture off, 10%, inputs only, no key, bucket not a data asset)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '16:35-16:40', severity: 'high', message: 'is off' },
        { at: '17:35-17:37', severity: 'high', message: 'at least 100%' },
        { at: '21:22-21:29', severity: 'high', message: 'outputs (predictions)' },
        { at: '18:35-18:61', severity: 'high', message: 'not tagged as a data asset' },
        { at: '15:3-15:22', severity: 'high', message: 'kms_key_id' },
      ],
    },
    {
      name: 'with report_unknown, enable_capture from a variable is one info note',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '62:35-62:54', severity: 'info', message: /could not evaluate tf-aws-sagemaker-endpoint-data-capture: .*var\.capture_enabled/ }],
    },
    {
      name: 'prod environment tag raises the sampling minimum and severity',
      code: withCapture(complete(50, ['InputAndOutput']), '  tags = {\n    environment = "production"\n  }\n'),
      errors: [{ at: '10:35-10:37', severity: 'high', message: 'at least 100%' }],
    },
    {
      name: 'absent enable_capture defaults to false, no capture_options at all',
      code: withCapture('    initial_sampling_percentage = 10\n    destination_s3_uri          = "s3://captures/c"\n    kms_key_id                  = "alias/captures"\n'),
      errors: [
        { at: '8:3-8:22', severity: 'medium', message: 'defaults to false' },
        { at: '8:3-8:22', severity: 'medium', message: 'inputs and outputs' },
      ],
    },
    {
      name: 'a partial min_sampling_percentage override keeps the other level',
      code: withCapture(complete(5, ['InputAndOutput'])),
      params: { min_sampling_percentage: { prod_or_high_risk: 50 } },
      errors: [{ at: '10:35-10:36', severity: 'medium', message: 'at least 10%' }],
    },
    {
      name: 'destination outside capture_bucket_uri',
      code: withCapture(complete(10, ['Input', 'Output'])),
      params: { capture_bucket_uri: 's3://governed-captures/' },
      errors: [{ at: '11:35-11:52', message: 'outside the governed capture location' }],
    },
    {
      name: 'quick fix: QF-6 data_capture_config with the configured bucket and key',
      code: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }
}
`,
      params: { capture_bucket_uri: 's3://ml-captures/scoring', kms_key_ref: 'aws_kms_key.captures.arn' },
      errors: [{ at: '1:1-1:58', severity: 'medium', message: 'has no data_capture_config' }],
      output: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 10
    destination_s3_uri          = "s3://ml-captures/scoring"
    kms_key_id                  = aws_kms_key.captures.arn

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): QF-6 with REPLACE_ME destination and key',
      code: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }
}
`,
      params: { min_sampling_percentage: { default: 25 } },
      errors: [{ at: '1:1-1:58', severity: 'medium', message: 'has no data_capture_config' }],
      output: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 25
    destination_s3_uri          = "REPLACE_ME"
    kms_key_id                  = "REPLACE_ME"

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
}
`,
    },
    {
      name: 'quick fix: adds the missing Output capture_options',
      code: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 10
    destination_s3_uri          = "s3://ml-captures/scoring"
    kms_key_id                  = aws_kms_key.captures.arn

    capture_options {
      capture_mode = "Input"
    }
  }
}
`,
      errors: [{ at: '18:22-18:29', severity: 'medium', message: 'does not record outputs' }],
      output: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 10
    destination_s3_uri          = "s3://ml-captures/scoring"
    kms_key_id                  = aws_kms_key.captures.arn

    capture_options {
      capture_mode = "Input"
    }
    capture_options {
      capture_mode = "Output"
    }
  }
}
`,
    },
    {
      name: 'quick fix: sets enable_capture = true',
      code: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  data_capture_config {
    enable_capture              = false
    initial_sampling_percentage = 10
    destination_s3_uri          = "s3://ml-captures/scoring"
    kms_key_id                  = aws_kms_key.captures.arn

    capture_options {
      capture_mode = "InputAndOutput"
    }
  }
}
`,
      errors: [{ at: '12:35-12:40', severity: 'medium', message: 'is off' }],
      output: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name = "scoring"

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  data_capture_config {
    enable_capture              = true
    initial_sampling_percentage = 10
    destination_s3_uri          = "s3://ml-captures/scoring"
    kms_key_id                  = aws_kms_key.captures.arn

    capture_options {
      capture_mode = "InputAndOutput"
    }
  }
}
`,
    },
  ],
});
