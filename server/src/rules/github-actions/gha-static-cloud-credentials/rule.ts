import { federatedLogin } from './fix';
import { defineRule } from '../../../engine/rule';
import { pair, scalarText, valueOf, type YamlPair } from '../../../model/yaml';
import { allEnv, expressions, usesAction, workflows } from '../../../pipelines/githubActions';

interface Params {
  aws_role_arn: string;
  gcp_wif_provider: string;
  azure_client_id: string;
}

type Cloud = 'aws' | 'gcp' | 'azure';

const ACTION_INPUTS: readonly { action: string; inputs: readonly string[]; cloud: Cloud }[] = [
  { action: 'aws-actions/configure-aws-credentials', inputs: ['aws-access-key-id', 'aws-secret-access-key'], cloud: 'aws' },
  { action: 'google-github-actions/auth', inputs: ['credentials_json'], cloud: 'gcp' },
  { action: 'azure/login', inputs: ['creds'], cloud: 'azure' },
];

const ENV_VARS: Readonly<Record<string, Cloud>> = {
  AWS_ACCESS_KEY_ID: 'aws',
  AWS_SECRET_ACCESS_KEY: 'aws',
  GOOGLE_APPLICATION_CREDENTIALS: 'gcp',
  GOOGLE_CREDENTIALS: 'gcp',
  ARM_CLIENT_SECRET: 'azure',
  AZURE_CLIENT_SECRET: 'azure',
};

/** Values computed in the run (an earlier step's short-lived credentials) rather than stored keys. */
const RUNTIME = /\b(steps|needs)\.[\w-]+\.outputs\.|\benv\./i;

export default defineRule<Params>({
  id: 'gha-static-cloud-credentials',
  title: 'Cloud access through OIDC federation, not long-lived keys',
  severity: 'high',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['IA-5', 'IA-5(7)', 'AC-2'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      aws_role_arn: { type: 'string', default: '', description: 'IAM role ARN the quick fix puts in `role-to-assume`; empty inserts a REPLACE_ME placeholder.' },
      gcp_wif_provider: { type: 'string', default: '', description: 'Workload identity provider resource name the quick fix puts in `workload_identity_provider`; empty inserts a placeholder.' },
      azure_client_id: { type: 'string', default: '', description: 'Client id of the federated app registration / managed identity the quick fix puts in `client-id`; empty inserts a placeholder.' },
    },
  },
  fix: federatedLogin,
  check({ documents, params, report, unknown }) {
    const ph = (v: string) => v || 'REPLACE_ME';
    const fixFor = (cloud: Cloud, remove: string[]) => {
      switch (cloud) {
        case 'aws':
          return { fix: 'replace-inputs', cloud, remove, insert: { 'role-to-assume': ph(params.aws_role_arn) }, jobPermissions: { 'id-token': 'write', contents: 'read' }, placeholder: !params.aws_role_arn };
        case 'gcp':
          return { fix: 'replace-inputs', cloud, remove, insert: { workload_identity_provider: ph(params.gcp_wif_provider), service_account: 'REPLACE_ME' }, jobPermissions: { 'id-token': 'write', contents: 'read' }, placeholder: true };
        case 'azure':
          return { fix: 'replace-inputs', cloud, remove, insert: { 'client-id': ph(params.azure_client_id), 'tenant-id': 'REPLACE_ME', 'subscription-id': 'REPLACE_ME' }, jobPermissions: { 'id-token': 'write', contents: 'read' }, placeholder: true };
      }
    };
    const good: Record<Cloud, string> = {
      aws: '`aws-actions/configure-aws-credentials` with `role-to-assume` and `permissions: id-token: write`',
      gcp: '`google-github-actions/auth` with `workload_identity_provider` and `service_account`',
      azure: '`azure/login` with `client-id`, `tenant-id` and `subscription-id` (federated credential)',
    };
    const runtime = (p: YamlPair): boolean => {
      const v = p.value;
      if (v?.kind !== 'scalar') return false;
      const opaque = expressions(v).find((e) => RUNTIME.test(e.body));
      if (opaque) unknown(valueOf(p), `${p.key} is ${opaque.text}, which may be a short-lived credential from an earlier step`);
      return !!opaque;
    };

    for (const wf of workflows(documents)) {
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          const a = ACTION_INPUTS.find((x) => usesAction(step.uses, x.action));
          if (!a) continue;
          const present = a.inputs.map((i) => pair(step.with, i)).filter((p): p is YamlPair => !!p && !!scalarText(p.value)?.trim());
          const first = present[0];
          if (!first || present.every(runtime)) continue;
          report({
            at: valueOf(first),
            message: `Job "${job.id}" logs in to ${a.cloud.toUpperCase()} with a long-lived key (\`${present.map((p) => p.key).join('`, `')}\` of ${a.action}); a stored key never expires and is not tied to this repository or branch. Use ${good[a.cloud]}.`,
            data: fixFor(a.cloud, present.map((p) => p.key)),
          });
        }
      }
      for (const e of allEnv(wf)) {
        const cloud = ENV_VARS[e.name];
        if (!cloud || !scalarText(e.pair.value)?.trim() || runtime(e.pair)) continue;
        report({
          at: valueOf(e.pair),
          message: `${e.level[0]!.toUpperCase()}${e.level.slice(1)} env sets ${e.name}, a long-lived ${cloud.toUpperCase()} credential, for every step that sees it. Remove it and use ${good[cloud]}.`,
          data: { ...fixFor(cloud, [e.name]), fix: 'replace-env' },
        });
      }
    }
  },
});
