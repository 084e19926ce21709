import { fixture, ruleTester } from '../../../../../test/ruleTester';
import rule from './rule';

const s3 = (args: string, extra = '') => `terraform {
${extra}  backend "s3" {
    bucket = "state"
    key    = "ml.tfstate"
${args}  }
}

resource "aws_s3_bucket" "b" {}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (encrypt + use_lockfile)', code: fixture(__dirname, 'pass.tf') },
    { name: 'HCP Terraform cloud block is managed', code: 'terraform {\n  cloud {\n    organization = "acme"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n' },
    { name: 'backend "remote" is managed', code: 'terraform {\n  backend "remote" {}\n}\n\nresource "aws_s3_bucket" "b" {}\n' },
    { name: 'gcs: locking and encryption are native', code: 'terraform {\n  backend "gcs" {\n    bucket = "state"\n  }\n}\n\nresource "google_storage_bucket" "b" {}\n' },
    { name: 'a child module (no provider configuration, no backend) is not a root module', code: 'resource "aws_s3_bucket" "b" {}\n' },
    { name: 'a module without resources is not checked', code: 'terraform {\n  backend "local" {}\n}\n' },
    { name: 'partial configuration: missing arguments are unknown', code: 'terraform {\n  backend "s3" {}\n}\n\nresource "aws_s3_bucket" "b" {}\n' },
    { name: 'encrypt from a variable is unknown', code: s3('    encrypt      = var.encrypt\n    use_lockfile = true\n') },
    { name: 'require_cmk satisfied by kms_key_id', code: s3('    encrypt      = true\n    use_lockfile = true\n    kms_key_id   = "arn:aws:kms:eu-west-1:111122223333:key/k"\n'), params: { require_cmk: true } },
  ],
  invalid: [
    {
      name: 'fixture fail.tf (encrypt = false, no locking)',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '6:15-6:20', severity: 'high', message: 'encrypt = false' },
        { at: '2:3-2:15', severity: 'high', message: 'no state locking' },
      ],
    },
    {
      name: 'fixture fail2.tf (literal azurerm access key)',
      code: fixture(__dirname, 'fail2.tf'),
      errors: [
        { at: '6:28-6:54', severity: 'critical', message: 'literal storage account access key' },
        { at: '2:3-2:20', severity: 'info', message: 'use_azuread_auth' },
      ],
    },
    {
      name: 'encrypt absent; dynamodb_table locking is deprecated (info)',
      code: s3('    dynamodb_table = "locks"\n'),
      errors: [
        { at: '2:3-2:15', severity: 'high', message: 'does not set encrypt' },
        { at: '5:22-5:29', severity: 'info', message: 'deprecated' },
      ],
    },
    {
      name: 'use_lockfile = false',
      code: s3('    encrypt      = true\n    use_lockfile = false\n', '  required_version = "~> 1.10"\n'),
      errors: [{ at: '7:20-7:25', severity: 'high', message: 'use_lockfile = false' }],
    },
    {
      name: 'require_cmk without kms_key_id',
      code: s3('    encrypt      = true\n    use_lockfile = true\n'),
      params: { require_cmk: true },
      errors: [{ at: '2:3-2:15', message: 'kms_key_id' }],
    },
    {
      name: 'gcs literal CSEK is critical; require_cmk wants kms_encryption_key',
      code: 'terraform {\n  backend "gcs" {\n    bucket         = "state"\n    encryption_key = "a2V5"\n  }\n}\n\nresource "google_storage_bucket" "b" {}\n',
      params: { require_cmk: true },
      errors: [
        { at: '4:22-4:28', severity: 'critical', message: 'customer-supplied encryption key' },
        { at: '2:3-2:16', severity: 'high', message: 'kms_encryption_key' },
      ],
    },
    {
      name: 'backend "local" is medium',
      code: 'terraform {\n  backend "local" {}\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [{ at: '2:3-2:18', severity: 'medium', message: 'backend "local"' }],
    },
    {
      name: 'a root module (provider configured) without backend is medium',
      code: 'provider "aws" {\n  region = "eu-west-1"\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [{ at: '1:1-1:15', severity: 'medium', message: 'no backend' }],
    },
    {
      name: 'backend outside allowed_backends',
      code: 'terraform {\n  backend "http" {\n    address = "https://state.example.com"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [{ at: '2:3-2:17', severity: 'high', message: 'allowed_backends' }],
    },
    {
      name: 'with report_unknown, a partial configuration gives info notes at the backend header',
      code: 'terraform {\n  backend "s3" {}\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      params: { report_unknown: true },
      errors: [
        { at: '2:3-2:15', severity: 'info', message: 'could not evaluate tf-backend-encryption-locking: partial backend configuration: encrypt' },
        { at: '2:3-2:15', severity: 'info', message: 'partial backend configuration: use_lockfile' },
      ],
    },
    {
      name: "fix: inserts encrypt = true into the backend block",
      code: `terraform {
  backend "s3" {
    bucket       = "acme-tf-state"
    key          = "ml/terraform.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`,
      errors: [{ at: '2:3-2:15' }],
      output: `terraform {
  backend "s3" {
    bucket       = "acme-tf-state"
    key          = "ml/terraform.tfstate"
    region       = "eu-west-1"
    use_lockfile = true
    encrypt      = true
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`,
    },
    {
      name: "fix: inserts use_lockfile = true when required_version excludes Terraform < 1.10",
      code: `terraform {
  required_version = ">= 1.10"

  backend "s3" {
    bucket  = "acme-tf-state"
    key     = "ml/terraform.tfstate"
    region  = "eu-west-1"
    encrypt = true
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`,
      errors: [{ at: '4:3-4:15' }],
      output: `terraform {
  required_version = ">= 1.10"

  backend "s3" {
    bucket       = "acme-tf-state"
    key          = "ml/terraform.tfstate"
    region       = "eu-west-1"
    encrypt      = true
    use_lockfile = true
  }
}

resource "aws_s3_bucket" "b" {
  bucket = "b"
}
`,
    },
    {
      name: "fix: removes a literal sas_token",
      code: `terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "ml.tfstate"
    sas_token            = "sv=2022-11-02&ss=b&sig=abc"
    use_azuread_auth     = true
  }
}

resource "azurerm_resource_group" "ml" {
  name     = "ml"
  location = "westeurope"
}
`,
      errors: [{ at: '6:28-6:56' }],
      output: `terraform {
  backend "azurerm" {
    storage_account_name = "acmetfstate"
    container_name       = "tfstate"
    key                  = "ml.tfstate"
    use_azuread_auth     = true
  }
}

resource "azurerm_resource_group" "ml" {
  name     = "ml"
  location = "westeurope"
}
`,
    },
  ],
});
