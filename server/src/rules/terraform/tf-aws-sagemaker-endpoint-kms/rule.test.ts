import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const config = (variants: string, extra = '') => `resource "aws_sagemaker_endpoint_configuration" "c" {
  name = "c"
${extra}${variants}}
`;
const variant = (type: string) => `  production_variants {
    variant_name  = "v"
    model_name    = "m"
    instance_type = ${type}
  }
`;
const serverless = `  production_variants {
    variant_name = "s"
    model_name   = "m"
    serverless_config {
      max_concurrency   = 5
      memory_size_in_mb = 2048
    }
  }
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (keys set, local-storage GPU instance, key from a variable)', code: fixture(__dirname, 'pass.tf') },
    { name: 'one variant with local storage makes kms_key_arn N/A', code: config(variant('"ml.m5.large"') + variant('"ml.m5d.large"')) },
    { name: 'serverless-only configuration has no instance volume', code: config(serverless) },
    { name: 'an instance type from a variable is unknown', code: config(variant('var.instance_type')) },
    { name: 'a custom instance_storage_types list', code: config(variant('"ml.c5.large"')), params: { instance_storage_types: ['ml.c5.*'] } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (no volume key, capture without key)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '1:1-1:58', severity: 'medium', message: 'does not set kms_key_arn' },
        { at: '11:3-11:22', severity: 'medium', message: 'data_capture_config' },
      ],
    },
    {
      name: 'fixture fail2.tf (async output with an empty key)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [{ at: '15:24-15:26', message: 'async_inference_config.output_config' }],
    },
    {
      name: 'with report_unknown, a key from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '42:17-42:38', severity: 'info', message: /could not evaluate tf-aws-sagemaker-endpoint-kms: .*var\.inference_key_arn/ }],
    },
    {
      name: 'with report_unknown, an unknown instance type is noted when no key is set',
      code: config(variant('var.instance_type')),
      params: { report_unknown: true },
      errors: [{ at: '6:21-6:38', severity: 'info', message: 'var.instance_type' }],
    },
    {
      name: 'a p3 instance (EBS only) needs the key',
      code: config(variant('"ml.p3.2xlarge"')),
      errors: [{ at: '1:1-1:52' }],
    },
    {
      name: 'serverless plus an instance variant needs the key',
      code: config(serverless + variant('"ml.m5.large"')),
      errors: [{ at: '1:1-1:52' }],
    },
    {
      name: 'quick fix: inserts kms_key_arn from kms_key_ref',
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
      params: { kms_key_ref: 'aws_kms_key.inference.arn' },
      errors: [{ at: '1:1-1:58', severity: 'medium', message: 'does not set kms_key_arn' }],
      output: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name        = "scoring"
  kms_key_arn = aws_kms_key.inference.arn

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }
}
`,
    },
    {
      name: 'quick fix (placeholder): sets the async output kms_key_id',
      code: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name        = "scoring"
  kms_key_arn = aws_kms_key.inference.arn

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  async_inference_config {
    output_config {
      s3_output_path = "s3://ml-async/results"
      kms_key_id     = ""
    }
  }
}
`,
      errors: [{ at: '15:24-15:26', severity: 'medium', message: 'async_inference_config.output_config' }],
      output: `resource "aws_sagemaker_endpoint_configuration" "scoring" {
  name        = "scoring"
  kms_key_arn = aws_kms_key.inference.arn

  production_variants {
    variant_name           = "primary"
    model_name             = "m"
    initial_instance_count = 1
    instance_type          = "ml.m5.large"
  }

  async_inference_config {
    output_config {
      s3_output_path = "s3://ml-async/results"
      kms_key_id     = "REPLACE_ME"
    }
  }
}
`,
    },
  ],
});
