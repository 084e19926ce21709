import { scopeIdToken } from './fix';
import { defineRule, stringListParam } from '../../../engine/rule';
import { get, scalarText } from '../../../model/yaml';
import { permissionsOf, usesAction, workflows, type Job, type Step } from '../../../pipelines/githubActions';

interface Params {
  oidc_consumers: string[];
}

/** Actions that exchange the OIDC token, with the input that makes them do so (undefined: always). */
const BUILTIN_CONSUMERS: readonly { action: string; input?: string }[] = [
  { action: 'aws-actions/configure-aws-credentials', input: 'role-to-assume' },
  { action: 'google-github-actions/auth', input: 'workload_identity_provider' },
  { action: 'azure/login', input: 'client-id' },
  { action: 'actions/attest-build-provenance' },
  { action: 'actions/attest' },
  { action: 'actions/attest-sbom' },
  { action: 'pypa/gh-action-pypi-publish' },
];

export default defineRule<Params>({
  id: 'gha-oidc-token-scope',
  title: '`id-token: write` only for jobs that use OIDC',
  severity: 'medium',
  domain: 'github-actions',
  mappings: { nist: ['AC-6'], euAiAct: ['Art.15'], scorecard: ['Token-Permissions'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      oidc_consumers: stringListParam([], 'More actions (`owner/repo[/path]`, case-insensitive) that request the OIDC token, e.g. `hashicorp/vault-action`.'),
    },
  },
  fix: scopeIdToken,
  check({ documents, params, report, unknown }) {
    const consumes = (step: Step) => consumer(step, params.oidc_consumers);
    for (const wf of workflows(documents)) {
      const top = permissionsOf(wf.root);
      const topGrant = top?.kind === 'scopes' ? top.scopes.find((s) => s.scope === 'id-token' && s.level === 'write') : undefined;
      if (topGrant) {
        const consumers = wf.jobs.filter((j) => j.steps.some(consumes) || j.uses).map((j) => j.id);
        report({
          at: topGrant.at,
          message: `\`id-token: write\` at workflow level lets every job (${wf.jobs.length}) mint OIDC tokens that cloud roles trust. Grant it only in the jobs that exchange it${consumers.length ? ` (${consumers.join(', ')})` : ''} and keep the workflow's permissions read-only.`,
          data: { fix: 'move', key: 'permissions.id-token', value: 'write', toJobs: consumers },
        });
      }
      for (const job of wf.jobs) {
        const perms = permissionsOf(job.map);
        const grant = perms?.kind === 'scopes' ? perms.scopes.find((s) => s.scope === 'id-token' && s.level === 'write') : undefined;
        if (!grant) continue;
        if (job.steps.some(consumes)) continue;
        const opaque = opaqueConsumer(job);
        if (opaque) {
          unknown(grant.at, `job "${job.id}" ${opaque}, which may request the OIDC token`);
          continue;
        }
        report({
          at: grant.at,
          message: `Job "${job.id}" is granted \`id-token: write\` but none of its steps exchanges an OIDC token (configure-aws-credentials with role-to-assume, google-github-actions/auth with workload_identity_provider, azure/login with client-id, attestations, cosign, PyPI trusted publishing). Remove the grant, or list the consuming action in oidc_consumers.`,
          data: { fix: 'delete', key: 'permissions.id-token', job: job.id },
        });
      }
    }
  },
});

function consumer(step: Step, extra: readonly string[]): boolean {
  for (const c of BUILTIN_CONSUMERS) {
    if (!usesAction(step.uses, c.action)) continue;
    if (!c.input || get(step.with, c.input)) return true;
  }
  if (extra.some((a) => usesAction(step.uses, a))) return true;
  const run = step.run && scalarText(step.run);
  // Keyless cosign and direct token requests read the token themselves.
  return !!run && /\bcosign\s+(sign|attest)\b|ACTIONS_ID_TOKEN_REQUEST_(URL|TOKEN)/.test(run);
}

/** What in a job may request the token without this file showing it: a reusable workflow or a local action. */
function opaqueConsumer(job: Job): string | undefined {
  if (job.uses) return `calls ${job.uses.value}`;
  const local = job.steps.find((s) => s.uses?.kind === 'local' || s.uses?.kind === 'expression');
  return local?.uses ? `uses ${local.uses.value}` : undefined;
}
