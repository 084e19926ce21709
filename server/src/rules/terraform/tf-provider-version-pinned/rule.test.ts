import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixture, ruleTester } from '../../../../../test/ruleTester';
import { applyEdits } from '../../../fixes/text';
import { memoryFileSystem } from '../../../service/fileSystem';
import { LanguageService, toUri } from '../../../service/languageService';
import { fixProviderVersion } from './fix';
import rule from './rule';

const withVersion = (constraint: string) => `terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "${constraint}"
    }
  }
}

resource "aws_s3_bucket" "b" {}
`;

ruleTester(rule, {
  valid: [
    { name: 'fixture pass.tf (bounded, exact, a version from a variable is unknown, built-in provider)', code: fixture(__dirname, 'pass.tf') },
    { name: 'upper bound with <', code: withVersion('>= 5.0, < 6.0') },
    { name: 'exact style accepts an exact version', code: withVersion('= 5.31.0'), params: { constraint_style: 'exact' } },
    { name: 'a module without resources declares nothing', code: 'variable "x" {}\n' },
    {
      name: 'provider chosen through an alias is the aliased provider',
      code: `terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

resource "awscc_s3_bucket" "b" {
  provider = aws.west
}
`,
    },
    {
      name: 'legacy string shorthand with a bound',
      code: 'terraform {\n  required_version = "~> 1.9"\n  required_providers {\n    aws = "~> 5.0"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
    },
    {
      name: 'required_version not required when require_terraform_version is false',
      code: 'terraform {\n  required_providers {\n    aws = "~> 5.0"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      params: { require_terraform_version: false },
    },
    {
      name: 'require_lockfile: an invisible lock file is unknown, not a finding',
      code: withVersion('~> 5.0'),
      params: { require_lockfile: true },
    },
  ],
  invalid: [
    {
      name: 'fixture fail.tf',
      code: fixture(__dirname, 'fail.tf'),
      errors: [
        { at: '5:17-5:25', severity: 'medium', message: 'no upper bound' },
        { at: '7:5-7:11', severity: 'medium', message: 'has no version' },
        { at: '1:1-1:10', severity: 'medium', message: 'Provider "random" is used but not declared' },
        { at: '14:13-14:20', severity: 'medium', message: 'deprecated' },
        { at: '1:1-1:10', severity: 'low', message: 'No terraform { required_version }' },
      ],
    },
    {
      name: 'no terraform block: missing entries at the first block using the provider',
      code: 'resource "aws_s3_bucket" "a" {}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [
        { at: '1:1-1:29', severity: 'medium', message: 'required_providers' },
        { at: '1:1-1:29', severity: 'low', message: 'required_version' },
      ],
    },
    {
      name: 'a data source needs its provider declared too',
      code: 'terraform {\n  required_version = "~> 1.9"\n}\n\ndata "google_project" "p" {}\n',
      errors: [{ at: '1:1-1:10', message: 'Provider "google"' }],
    },
    {
      name: 'exact style rejects a pessimistic constraint',
      code: withVersion('~> 5.31'),
      params: { constraint_style: 'exact' },
      errors: [{ at: '6:17-6:26', message: 'not exact' }],
    },
    {
      name: 'unbounded required_version is low',
      code: 'terraform {\n  required_version = ">= 1.5"\n  required_providers {\n    aws = "~> 5.0"\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n',
      errors: [{ at: '2:22-2:30', severity: 'low', message: 'required_version version ">= 1.5" has no upper bound' }],
    },
    {
      name: 'require_lockfile with report_unknown: the lock file the engine cannot see is an info note',
      code: withVersion('~> 5.0'),
      params: { require_lockfile: true, report_unknown: true },
      errors: [{ at: '1:1-1:10', severity: 'info', message: '.terraform.lock.hcl' }],
    },
    {
      name: 'with report_unknown, a version from a variable is one info note at the value',
      code: fixture(__dirname, 'pass.tf'),
      params: { report_unknown: true },
      errors: [{ at: '15:17-15:36', severity: 'info', message: 'could not evaluate tf-provider-version-pinned: depends on var.azurerm_version' }],
    },
    {
      name: "fix: adds a placeholder required_version to the terraform block",
      code: `terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_s3_bucket" "b" {}
`,
      errors: [{ at: '1:1-1:10' }],
      output: `terraform {
  required_version = "REPLACE_ME"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

resource "aws_s3_bucket" "b" {}
`,
    },
    {
      name: "fix: adds a terraform block with a placeholder required_version",
      code: `resource "aws_s3_bucket" "b" {}
`,
      errors: [{ at: '1:1-1:29' }, { at: '1:1-1:29' }],
      output: `terraform {
  required_version = "REPLACE_ME"
}

resource "aws_s3_bucket" "b" {}
`,
    },
    {
      name: "fix: moves a legacy provider version to required_providers",
      code: `terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

provider "random" {
  version = "3.6.0"
}

resource "aws_s3_bucket" "b" {}

resource "random_id" "s" {
  byte_length = 4
}
`,
      errors: [{ at: '1:1-1:10' }, { at: '12:13-12:20' }],
      output: `terraform {
  required_version = "~> 1.9"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
    random = { source = "hashicorp/random", version = "3.6.0" }
  }
}

provider "random" {
}

resource "aws_s3_bucket" "b" {}

resource "random_id" "s" {
  byte_length = 4
}
`,
    },
    {
      name: "fix: moves a legacy provider version into a new terraform block",
      code: `provider "random" {
  version = "~> 3.6"
}

resource "random_id" "s" {
  byte_length = 4
}
`,
      params: {"require_terraform_version":false},
      errors: [{ at: '2:13-2:21' }, { at: '5:1-5:25' }],
      output: `terraform {
  required_providers {
    random = { source = "hashicorp/random", version = "~> 3.6" }
  }
}

provider "random" {
}

resource "random_id" "s" {
  byte_length = 4
}
`,
    },
  ],
});

// The lock file is not visible to the engine yet (see lockFileOf), so no
// finding carries a tested version: the fix is exercised with the data a
// finding carries once it is.
describe('tf-provider-version-pinned fix with a version from the lock file', () => {
  const fixed = async (code: string, message: string, data: Record<string, unknown>) => {
    const uri = toUri('/workspace/main.tf');
    const service = await LanguageService.create({ fs: memoryFileSystem({ '/workspace/main.tf': code }), rules: [rule], roots: ['/workspace'] });
    const finding = service.analyze(uri).findings.find((f) => f.message.includes(message))!;
    const module = service.moduleOf(uri);
    const file = module.files.find((f) => f.uri === uri)!;
    const fixes = fixProviderVersion({ finding, data, params: {}, module, file });
    return applyEdits(code, fixes.flatMap((f) => f.edits));
  };

  it('adds version to an entry without one, aligning the object', async () => {
    const code = 'terraform {\n  required_version = "~> 1.9"\n  required_providers {\n    aws = {\n      source = "hashicorp/aws"\n    }\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n';
    const out = await fixed(code, 'has no version', { fix: 'insert', attribute: 'version', value: '~> 5.31', provider: 'aws' });
    assert.equal(out, code.replace('      source = "hashicorp/aws"\n', '      source  = "hashicorp/aws"\n      version = "~> 5.31"\n'));
  });

  it('replaces a constraint without upper bound', async () => {
    const out = await fixed(withVersion('>= 5.0'), 'no upper bound', { fix: 'set', attribute: 'version', value: '~> 5.31', provider: 'aws' });
    assert.equal(out, withVersion('~> 5.31'));
  });

  it('declares a provider used without an entry', async () => {
    const code = 'terraform {\n  required_version = "~> 1.9"\n}\n\nresource "aws_s3_bucket" "b" {}\n';
    const out = await fixed(code, 'is used but not declared', { fix: 'insert', attribute: 'version', value: '~> 5.31', provider: 'aws', block: 'required_providers', source: 'hashicorp/aws' });
    assert.equal(out, 'terraform {\n  required_version = "~> 1.9"\n  required_providers {\n    aws = { source = "hashicorp/aws", version = "~> 5.31" }\n  }\n}\n\nresource "aws_s3_bucket" "b" {}\n');
  });
});

// With .terraform.lock.hcl beside the module, the fix pins the tested provider version.
const locked = JSON.parse(fixture(__dirname, 'fail-locked.tf.files.json')) as Record<string, string>;
ruleTester(rule, {
  valid: [],
  invalid: [
    {
      name: 'fix: ~> the version the lock file selected',
      files: { 'main.tf': fixture(__dirname, 'fail-locked.tf'), ...locked },
      errors: [{ at: '5:5-5:11' }],
      output: fixture(__dirname, 'fail-locked.tf').replace(
        '      source = "hashicorp/google"\n',
        '      source  = "hashicorp/google"\n      version = "~> 6.8"\n',
      ),
    },
  ],
});
