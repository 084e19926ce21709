import type { RelatedInfo } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { fixStaticCredential } from './fix';
import type { Severity } from '../../../engine/severity';
import type { HclBlock, HclExpr } from '../../../model/hcl';
import { attribute, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  allow_var_defaults: boolean;
}

/** Credential arguments per provider / backend type (catalog row). */
const PROVIDER_ARGS: Record<string, readonly string[]> = {
  aws: ['access_key', 'secret_key', 'token'],
  azurerm: ['client_secret', 'client_certificate_password'],
  google: ['credentials', 'access_token'],
};
const BACKEND_ARGS: Record<string, readonly string[]> = {
  s3: ['access_key', 'secret_key'],
  azurerm: ['access_key', 'sas_token'],
};

const ADVICE =
  'Delete it, rotate the credential, and authenticate with role assumption / OIDC workload identity (see tf-aws-iam-github-oidc-sub, tf-gcp-wif-github-condition) or environment credentials.';

export default defineRule<Params>({
  id: 'tf-no-static-provider-credentials',
  title: 'No static credentials in provider or backend configuration',
  severity: 'critical',
  domain: 'terraform',
  mappings: { nist: ['IA-5(7)', 'IA-5'], euAiAct: ['Art.15'], gdpr: ['Art.32'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allow_var_defaults: {
        type: 'boolean',
        default: false,
        description: 'Accept a credential taken from a variable whose default is a literal (not recommended: the default is in code).',
      },
    },
  },
  fix: fixStaticCredential,
  check({ module, params, report, unknown }) {
    const targets: { block: HclBlock; kind: string; args: readonly string[] }[] = [];
    for (const p of module.topLevel('provider')) {
      const name = p.labels[0]?.value ?? '';
      if (PROVIDER_ARGS[name]) targets.push({ block: p, kind: `provider "${name}"`, args: PROVIDER_ARGS[name]! });
    }
    for (const tf of module.topLevel('terraform'))
      for (const b of nestedBlocks(tf, 'backend')) {
        const name = b.labels[0]?.value ?? '';
        if (BACKEND_ARGS[name]) targets.push({ block: b, kind: `backend "${name}"`, args: BACKEND_ARGS[name]! });
      }

    for (const { block, kind, args } of targets)
      for (const arg of args) {
        const attr = attribute(block, arg);
        if (!attr) continue;
        const isGoogleCredentials = kind === 'provider "google"' && arg === 'credentials';
        const data = { fix: 'delete', attribute: arg };
        const e = attr.expr;

        // A variable: its default is what lands in code (checked before evaluation, which may resolve defaults).
        if (e.type === 'traversal' && e.root === 'var' && e.steps[0]?.kind === 'attr') {
          const varName = e.steps[0].name;
          const decl = module.topLevel('variable').find((v) => v.labels[0]?.value === varName);
          const def = decl && attribute(decl, 'default');
          if (!decl || !def) {
            // No default: a committed *.tfvars file or a module argument may still set a literal.
            const set = module.evaluate(e, block);
            if (typeof set === 'string' && set !== '') {
              report({
                at: valueOf(attr),
                severity: isGoogleCredentials ? googleSeverity(set) : 'critical',
                message: `${kind} ${arg} comes from var.${varName}, which the workspace sets to a literal ${describe(isGoogleCredentials, set)} (a *.tfvars file or a module argument; value masked): the secret is in the repository. ${ADVICE}`,
                data: { ...data, variable: varName },
              });
              continue;
            }
            report({
              at: valueOf(attr),
              severity: 'info',
              message: `${kind} ${arg} comes from var.${varName} (no default), so the secret is supplied at run time. Prefer short-lived credentials: role assumption / OIDC workload identity instead of a long-lived ${arg}.`,
              data: { fix: 'none', reason: 'no literal in code' },
            });
            continue;
          }
          const v = module.evaluate(def.expr, decl);
          if (isUnknown(v) || typeof v !== 'string' || v === '') {
            if (isUnknown(v)) unknown(valueOf(def), v.origin);
            continue;
          }
          if (params.allow_var_defaults) continue;
          const severity = isGoogleCredentials ? googleSeverity(v) : 'critical';
          report({
            at: valueOf(attr),
            severity,
            message: `${kind} ${arg} comes from var.${varName}, whose default is a literal ${describe(isGoogleCredentials, v)} (value masked): the secret is in the repository. ${ADVICE}`,
            related: [{ at: valueOf(def), message: `Default of variable "${varName}" (value masked)` } satisfies RelatedInfo],
            data: { ...data, variable: varName },
          });
          continue;
        }

        // google: credentials = file("key.json") reads a key file kept beside the code.
        if (isGoogleCredentials && e.type === 'call' && e.name === 'file') {
          const path = fileArg(module, e, block);
          if (path !== undefined) {
            report({
              at: valueOf(attr),
              severity: 'high',
              message: `${kind} credentials reads the service-account key file "${path}": a long-lived key sits next to the code. ${ADVICE}`,
              data,
            });
            continue;
          }
        }

        const v = module.evaluate(e, block);
        if (isUnknown(v)) {
          unknown(valueOf(attr), v.origin);
          continue;
        }
        if (typeof v !== 'string' || v === '') continue;
        report({
          at: valueOf(attr),
          severity: isGoogleCredentials ? googleSeverity(v) : 'critical',
          message: `${kind} ${arg} is a literal ${describe(isGoogleCredentials, v)} (value masked). ${ADVICE}`,
          data,
        });
      }
  },
});

/** Inline service-account JSON is the key itself (critical); a path names a key file (high). */
function googleSeverity(v: string): Severity {
  return v.trimStart().startsWith('{') ? 'critical' : 'high';
}

function describe(isGoogleCredentials: boolean, v: string): string {
  if (!isGoogleCredentials) return 'credential';
  return v.trimStart().startsWith('{') ? 'service-account key (inline JSON)' : `service-account key file path "${v}"`;
}

function fileArg(module: TerraformModule, call: HclExpr, within: HclBlock): string | undefined {
  if (call.type !== 'call') return undefined;
  const arg = call.children[0];
  if (!arg) return undefined;
  const v = module.evaluate(arg, within);
  return typeof v === 'string' ? v : undefined;
}

