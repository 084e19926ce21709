import { leastPrivilege } from './fix';
import { defineRule } from '../../../engine/rule';
import { keyOf } from '../../../model/yaml';
import { allSteps, permissionsOf, usesAction, workflows, type Job } from '../../../pipelines/githubActions';

interface Params {
  allowed_write_jobs: string[];
  checkout_needs_read: boolean;
}

/** Events whose token keeps write access when a fork contributor triggers the run. */
const PRIVILEGED_TRIGGERS = ['pull_request_target', 'workflow_run', 'issue_comment', 'issues'];

export default defineRule<Params>({
  id: 'gha-permissions-least-privilege',
  title: 'Workflows declare least-privilege GITHUB_TOKEN permissions',
  severity: 'high',
  domain: 'github-actions',
  mappings: { nist: ['AC-6', 'AC-6(1)'], euAiAct: ['Art.15'], scorecard: ['Token-Permissions'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_write_jobs: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'Job ids that may hold write scopes in workflows triggered by pull_request_target, workflow_run, issue_comment or issues (reviewed exceptions).',
      },
      checkout_needs_read: {
        type: 'boolean',
        default: true,
        description:
          'The suggested top-level permissions for a workflow that runs actions/checkout are `contents: read` (checkout of a private repository fails without it) instead of `{}`. Changes only the quick fix.',
      },
    },
  },
  fix: leastPrivilege,
  check({ documents, params, report }) {
    for (const wf of workflows(documents)) {
      if (!wf.on) continue; // not a workflow (yet)
      const allowed = (job: Job) => params.allowed_write_jobs.includes(job.id);
      const top = permissionsOf(wf.root);

      if (!top) {
        const checksOut = allSteps(wf).some(({ step }) => usesAction(step.uses, 'actions/checkout'));
        const value: Record<string, string> = params.checkout_needs_read && checksOut ? { contents: 'read' } : {};
        report({
          at: keyOf(wf.on),
          severity: 'medium',
          message: `The workflow declares no top-level permissions, so its GITHUB_TOKEN gets the repository or organisation default, which can be write access to everything. Declare \`permissions: ${yamlFlow(value)}\` after \`on:\` and grant write scopes only on the jobs that need them.`,
          data: { fix: 'insert', key: 'permissions', after: 'on', value },
        });
      }

      const jobs = wf.jobs.map((job) => ({ job, permissions: permissionsOf(job.map) }));
      for (const { permissions, where } of [
        { permissions: top, where: 'the workflow' },
        ...jobs.map(({ job, permissions }) => ({ permissions, where: `job "${job.id}"` })),
      ]) {
        if (permissions?.kind !== 'all' || permissions.level !== 'write-all') continue;
        report({
          at: permissions.at,
          message: `\`permissions: write-all\` gives ${where}'s GITHUB_TOKEN write access to every scope. Grant read access only (\`permissions: contents: read\`) and add the single write scopes a job needs on that job.`,
          data: { fix: 'set', key: 'permissions', value: { contents: 'read' }, note: 'jobs that write need job-level grants' },
        });
      }

      const privileged = wf.triggers.filter((t) => PRIVILEGED_TRIGGERS.includes(t.event)).map((t) => t.event);
      if (privileged.length === 0) continue;
      const events = [...new Set(privileged)].join(', ');
      const why = `in a workflow triggered by ${events}: there the token keeps write access even when a fork contributor starts the run, and the run handles their code or text`;
      const fixHint =
        'Keep the token read-only here and do the write in a separate workflow, or, after review, list the job in the rule\'s allowed_write_jobs.';

      if (top?.kind === 'scopes') {
        // A workflow-level grant reaches every job that declares no permissions of its own.
        const inheriting = jobs.filter((j) => !j.permissions).map((j) => j.job);
        const allInheritorsAllowed = inheriting.length > 0 && inheriting.every(allowed);
        for (const s of top.scopes) {
          if (s.level !== 'write' || allInheritorsAllowed) continue;
          const to = inheriting.filter((j) => !allowed(j)).map((j) => `"${j.id}"`);
          report({
            at: s.at,
            message: `\`${s.scope}: write\` is granted at workflow level (${to.length ? `it reaches job${to.length > 1 ? 's' : ''} ${to.join(', ')}` : 'it reaches every job added without its own permissions'}) ${why}. ${fixHint}`,
            data: { fix: 'none', scope: s.scope, triggers: privileged },
          });
        }
      }
      for (const { job, permissions } of jobs) {
        if (permissions?.kind !== 'scopes' || allowed(job)) continue;
        for (const s of permissions.scopes) {
          if (s.level !== 'write') continue;
          report({
            at: s.at,
            message: `Job "${job.id}" has \`${s.scope}: write\` ${why}. ${fixHint}`,
            data: { fix: 'none', scope: s.scope, job: job.id, triggers: privileged },
          });
        }
      }
    }
  },
});

function yamlFlow(value: Record<string, string>): string {
  const entries = Object.entries(value);
  return entries.length ? `{ ${entries.map(([k, v]) => `${k}: ${v}`).join(', ')} }` : '{}';
}
