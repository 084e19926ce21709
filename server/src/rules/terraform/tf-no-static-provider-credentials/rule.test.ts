import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (role assumption, OIDC, key path from a variable is unknown)', code: fixture(__dirname, 'pass.tf') },
    {
      name: 'allow_var_defaults accepts a literal variable default',
      code: 'variable "k" {\n  default = "AKIAIOSFODNN7EXAMPLE"\n}\n\nprovider "aws" {\n  access_key = var.k\n}\n',
      params: { allow_var_defaults: true },
    },
    { name: 'a credential read from a data source is unknown', code: 'provider "aws" {\n  token = data.vault_generic_secret.aws.data["token"]\n}\n' },
    { name: 'an empty literal is not a credential', code: 'provider "aws" {\n  token = ""\n}\n' },
    { name: 'other providers are not checked', code: 'provider "github" {\n  token = "ghp_x"\n}\n' },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (literal key, variable default, key file path)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '8:16-8:38', severity: 'critical', message: 'access_key is a literal credential (value masked)' },
        { at: '9:16-9:30', severity: 'critical', message: 'default is a literal' },
        { at: '14:17-14:47', severity: 'high', message: 'key file "keys/terraform-sa.json"' },
      ],
    },
    {
      name: 'fixture fail2.tf (backend SAS token, azurerm client secret, inline google JSON)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '6:28-6:56', severity: 'critical', message: 'backend "azurerm" sas_token' },
        { at: '13:19-13:33', severity: 'critical', message: 'client_secret' },
        { at: '17:17-19:6', severity: 'critical', message: 'inline JSON' },
      ],
    },
    {
      name: 'a literal key-file path is high',
      code: 'provider "google" {\n  credentials = "sa.json"\n}\n',
      errors: [{ at: '2:17-2:26', severity: 'high', message: 'file path' }],
    },
    {
      name: 'a variable without default is an info note (prefer OIDC)',
      code: 'variable "k" {}\n\nprovider "aws" {\n  access_key = var.k\n}\n',
      errors: [{ at: '4:16-4:21', severity: 'info', message: 'no default' }],
    },
    {
      name: 'a variable without default set to a literal in terraform.tfvars',
      files: {
        'main.tf': 'variable "k" {}\n\nprovider "aws" {\n  secret_key = var.k\n}\n',
        'terraform.tfvars': 'k = "wJalrXUtnFEMI"\n',
      },
      errors: [{ at: '4:16-4:21', severity: 'critical', message: 'sets to a literal' }],
    },
    {
      name: 'backend s3 secret_key literal',
      code: 'terraform {\n  backend "s3" {\n    secret_key = "wJalr"\n  }\n}\n',
      errors: [{ at: '3:18-3:25', severity: 'critical' }],
    },
    {
      name: 'with report_unknown, a credential read from a data source is one info note',
      code: 'provider "aws" {\n  token = data.vault_generic_secret.aws.data["token"]\n}\n',
      params: { report_unknown: true },
      errors: [{ at: '2:11-2:54', severity: 'info', message: 'could not evaluate tf-no-static-provider-credentials: ' }],
    },
    {
      name: "fix: removes a literal access_key",
      code: `provider "aws" {
  region     = "eu-west-1"
  access_key = "AKIAIOSFODNN7EXAMPLE"
}
`,
      errors: [{ at: '3:16-3:38' }],
      output: `provider "aws" {
  region = "eu-west-1"
}
`,
    },
    {
      name: "fix: removes secret_key and the literal default of its variable",
      code: `variable "aws_secret" {
  type    = string
  default = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
}

provider "aws" {
  region     = "eu-west-1"
  secret_key = var.aws_secret
}
`,
      errors: [{ at: '8:16-8:30' }],
      output: `variable "aws_secret" {
  type = string
}

provider "aws" {
  region = "eu-west-1"
}
`,
    },
    {
      name: "fix: removes an inline heredoc key",
      code: `provider "google" {
  project = "ml"
  credentials = <<-EOT
    {"type": "service_account"}
  EOT
}
`,
      errors: [{ at: '3:17-5:6' }],
      output: `provider "google" {
  project = "ml"
}
`,
    },
  ],
});
