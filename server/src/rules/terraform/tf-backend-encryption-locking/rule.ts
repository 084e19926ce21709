import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { fixBackend } from './fix';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { attribute, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { parseConstraint } from '../../../terraform/requiredProviders';
import { isUnknown, type Value } from '../../../terraform/value';

interface Params {
  require_cmk: boolean;
  allowed_backends: string[];
}

/** Arguments without which a backend block can only be a partial configuration (completed by -backend-config). */
const REQUIRED_ARGS: Record<string, readonly string[]> = {
  s3: ['bucket', 'key'],
  gcs: ['bucket'],
  azurerm: ['storage_account_name', 'container_name', 'key'],
};

const MANAGED = new Set(['remote']);

export default defineRule<Params>({
  id: 'tf-backend-encryption-locking',
  title: 'Terraform state is stored encrypted and locked',
  severity: 'high',
  domain: 'terraform',
  mappings: { nist: ['SC-28', 'SC-28(1)', 'CM-3'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      require_cmk: {
        type: 'boolean',
        default: false,
        description: 'Require a customer-managed key for state encryption (s3 kms_key_id, gcs kms_encryption_key).',
      },
      allowed_backends: {
        type: 'array',
        items: { type: 'string' },
        default: ['s3', 'gcs', 'azurerm', 'remote', 'cloud'],
        description: 'Backend types a root module may use ("cloud" is the terraform { cloud {} } block). "local" and no backend are reported separately (medium).',
      },
    },
  },
  fix: fixBackend,
  check({ module, params, report, unknown }) {
    if (module.resources().length === 0) return;
    const tfBlocks = module.topLevel('terraform');
    const cloud = tfBlocks.flatMap((b) => nestedBlocks(b, 'cloud'))[0];
    const backend = tfBlocks.flatMap((b) => nestedBlocks(b, 'backend'))[0];

    if (cloud) {
      if (!params.allowed_backends.includes('cloud'))
        report({ at: header(cloud), message: 'HCP Terraform (cloud {}) is not in allowed_backends. Use an approved backend.', data: { fix: 'none' } });
      return;
    }
    if (!backend) {
      // Only a module that configures providers is recognisably a root module; a child module has no backend by design.
      if (module.topLevel('provider').length === 0) return;
      report({
        at: header(tfBlocks[0] ?? module.topLevel('provider')[0]!),
        severity: 'medium',
        message:
          'This root module has no backend: state is kept in a local terraform.tfstate file, unencrypted, unlocked and outside change control. Configure a remote backend with encryption and locking, e.g. backend "s3" { encrypt = true, use_lockfile = true }.',
        data: { fix: 'none', reason: 'the state bucket is intent' },
      });
      return;
    }

    const type = backend.labels[0]?.value ?? '';
    if (type === 'local') {
      report({
        at: header(backend),
        severity: 'medium',
        message:
          'backend "local" keeps state in a local file, unencrypted, unlocked and outside change control. Use a remote backend with encryption and locking, e.g. backend "s3" { encrypt = true, use_lockfile = true }.',
        data: { fix: 'none', reason: 'the state bucket is intent' },
      });
      return;
    }
    if (!params.allowed_backends.includes(type)) {
      report({
        at: header(backend),
        message: `backend "${type}" is not in allowed_backends (${params.allowed_backends.join(', ')}): its encryption and locking are not vetted. Use an approved backend.`,
        data: { fix: 'none', reason: 'the backend is intent' },
      });
      return;
    }
    if (MANAGED.has(type)) return;

    const partial = (REQUIRED_ARGS[type] ?? []).some((a) => !attribute(backend, a));
    const get = (name: string): { at: Located; value: Value } | 'absent' => {
      const a = attribute(backend, name);
      return a ? { at: valueOf(a), value: module.evaluate(a.expr, backend) } : 'absent';
    };
    const missing = (name: string, input: Omit<ReportInput, 'at'>) => {
      if (partial) unknown(header(backend), `partial backend configuration: ${name} may come from a *.tfbackend file or -backend-config`);
      else report({ at: header(backend), ...input });
    };
    const literalSecret = (name: string, what: string) => {
      const v = get(name);
      if (v === 'absent') return;
      if (isUnknown(v.value)) return; // from a variable: not a literal in code
      if (typeof v.value === 'string' && v.value !== '')
        report({
          at: v.at,
          severity: 'critical',
          message: `backend "${type}" ${name} is a literal ${what} (value masked): anyone with the repository can read the state. Remove it, rotate the credential, and authenticate through the environment or workload identity.`,
          data: { fix: 'delete', attribute: name },
        });
    };

    if (type === 's3') {
      const encrypt = get('encrypt');
      if (encrypt === 'absent')
        missing('encrypt', {
          message: 'backend "s3" does not set encrypt (default false): state files, which hold secrets and resource identifiers, are not encrypted by the backend. Add encrypt = true.',
          data: { fix: 'insert', attribute: 'encrypt', value: true },
        });
      else if (isUnknown(encrypt.value)) unknown(encrypt.at, encrypt.value.origin);
      else if (!truthy(encrypt.value))
        report({
          at: encrypt.at,
          message: `backend "s3" encrypt = ${JSON.stringify(encrypt.value)}: state is not encrypted by the backend. Set encrypt = true.`,
          data: { fix: 'set', attribute: 'encrypt', value: true },
        });

      const lockfile = get('use_lockfile');
      const dynamo = get('dynamodb_table');
      const lockOn = lockfile !== 'absent' && truthy(lockfile.value);
      if (dynamo !== 'absent' && !isUnknown(dynamo.value))
        report({
          at: dynamo.at,
          severity: 'info',
          message: 'dynamodb_table locking is deprecated in the s3 backend (Terraform 1.10+). Prefer use_lockfile = true (S3-native locking) and remove dynamodb_table once every user runs Terraform 1.10 or later.',
          data: { fix: 'none', reason: 'requires Terraform >= 1.10 for every user' },
        });
      if (!lockOn && dynamo === 'absent') {
        const lockfix = excludesBefore110(module)
          ? { fix: 'insert', attribute: 'use_lockfile', value: true }
          : { fix: 'none', reason: 'required_version admits Terraform < 1.10 (no use_lockfile): add dynamodb_table = "<lock table>"' };
        if (lockfile === 'absent')
          missing('use_lockfile', {
            message:
              'backend "s3" has no state locking (neither use_lockfile nor dynamodb_table): two concurrent applies can corrupt state. Add use_lockfile = true (Terraform 1.10+) or dynamodb_table = "<lock table>".',
            data: lockfix,
          });
        else if (isUnknown(lockfile.value)) unknown(lockfile.at, lockfile.value.origin);
        else
          report({
            at: lockfile.at,
            message: `backend "s3" use_lockfile = ${JSON.stringify(lockfile.value)} and no dynamodb_table: state is not locked. Set use_lockfile = true.`,
            data: { ...lockfix, ...(lockfix.fix === 'insert' ? { fix: 'set' } : {}) },
          });
      } else if (dynamo !== 'absent' && isUnknown(dynamo.value) && !lockOn) unknown(dynamo.at, dynamo.value.origin);

      if (params.require_cmk && get('kms_key_id') === 'absent')
        missing('kms_key_id', {
          message: 'backend "s3" has no kms_key_id: state is encrypted with the AWS-managed key, and require_cmk asks for a customer-managed key. Add kms_key_id = "<KMS key ARN>".',
          data: { fix: 'insert', attribute: 'kms_key_id', value: 'REPLACE_ME', placeholder: true },
        });
      literalSecret('access_key', 'access key');
      literalSecret('secret_key', 'secret key');
    } else if (type === 'gcs') {
      literalSecret('encryption_key', 'customer-supplied encryption key');
      if (params.require_cmk && get('kms_encryption_key') === 'absent')
        missing('kms_encryption_key', {
          message: 'backend "gcs" has no kms_encryption_key: state is encrypted with a Google-managed key, and require_cmk asks for a customer-managed key. Add kms_encryption_key = "projects/…/cryptoKeys/…".',
          data: { fix: 'insert', attribute: 'kms_encryption_key', value: 'REPLACE_ME', placeholder: true },
        });
    } else if (type === 'azurerm') {
      literalSecret('access_key', 'storage account access key');
      literalSecret('sas_token', 'SAS token');
      const aad = get('use_azuread_auth');
      if (aad === 'absent' || (!isUnknown(aad.value) && !truthy(aad.value)))
        report({
          at: aad === 'absent' ? header(backend) : aad.at,
          severity: 'info',
          message: 'backend "azurerm" does not use Entra ID authentication to the state storage. Recommended: use_azuread_auth = true, so access is per identity and keys can be disabled.',
          data: { fix: aad === 'absent' ? 'insert' : 'set', attribute: 'use_azuread_auth', value: true },
        });
    }
  },
});

function truthy(v: Value): boolean {
  return v === true || v === 'true';
}

/** Whether terraform.required_version rules out every Terraform before 1.10 (use_lockfile exists from 1.10). */
function excludesBefore110(module: TerraformModule): boolean {
  for (const tf of module.topLevel('terraform')) {
    const rv = attribute(tf, 'required_version');
    if (!rv) continue;
    const v = module.evaluate(rv.expr, tf as HclBlock);
    if (typeof v !== 'string') continue;
    for (const p of parseConstraint(v) ?? []) {
      if (!['>=', '>', '~>', '='].includes(p.op)) continue;
      const [major = 0, minor = 0] = p.version.split('.').map(Number);
      if (major > 1 || (major === 1 && minor >= 10)) return true;
    }
  }
  return false;
}
