import type { RelatedInfo } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Severity } from '../../../engine/severity';
import type { Located } from '../../../model/location';
import { fixAtPath, ghaPath } from '../../../fixes/cifix-pipelines';
import { items, pair, scalarText, str, valueOf } from '../../../model/yaml';
import {
  actionMajorVersion,
  isExpression,
  isLiteralFalse,
  isLiteralTrue,
  PRIVILEGED_FORK_TRIGGERS,
  usesAction,
  workflows,
  type Job,
} from '../../../pipelines/githubActions';

interface Params {
  persist_ok_jobs: string[];
}

/** `path:` entries of upload-artifact that take the whole workspace, `.git` included. */
const WORKSPACE_PATH = /^(\.\/?|\.\/\*\*?|\*\*?|\$\{\{\s*github\.workspace\s*\}\}\/?)$|(^|\/)\.git(\/|$)/i;

export default defineRule<Params>({
  id: 'gha-checkout-persist-credentials',
  title: '`actions/checkout` does not leave the token on disk',
  severity: 'medium',
  domain: 'github-actions',
  mappings: { nist: ['IA-5', 'SC-28'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      persist_ok_jobs: stringListParam([], 'Job ids that need the persisted credential (they push commits or tags) and set `persist-credentials: true` explicitly.'),
    },
  },
  // Inserts or sets `with.persist-credentials: false` on the checkout step.
  fix: (ctx) => fixAtPath(ctx, ghaPath(ctx.data)),
  check({ file, documents, params, report, unknown }) {
    for (const wf of workflows(documents)) {
      const privileged = wf.triggers.find((t) => PRIVILEGED_FORK_TRIGGERS.includes(t.event));
      for (const job of wf.jobs) {
        const upload = workspaceUpload(job);
        for (const step of job.steps) {
          if (!usesAction(step.uses, 'actions/checkout')) continue;
          const p = pair(step.with, 'persist-credentials');
          if (isLiteralFalse(p?.value)) continue;
          if (p && isExpression(p.value)) {
            unknown(valueOf(p), `persist-credentials is ${scalarText(p.value)}, only known at run time`);
            continue;
          }
          const explicit = p !== undefined && isLiteralTrue(p.value);
          if (explicit && params.persist_ok_jobs.includes(job.id)) continue;
          if (p && !explicit) continue; // a value the action does not read as true or false
          const major = actionMajorVersion(step.uses, file.comments);
          let severity: Severity = 'medium';
          const related: RelatedInfo[] = [];
          let why = 'any later step, action or tool in the job can read it';
          if (major !== undefined && major >= 6) {
            severity = 'low';
            why = `checkout v${major} keeps it under $RUNNER_TEMP rather than .git/config, but later steps can still read it`;
          } else if (privileged) {
            severity = 'high';
            why = `this \`${privileged.event}\` workflow gets a write token while handling a fork's data, and any later step can read it from .git/config`;
            related.push({ at: privileged.at, message: `privileged trigger \`${privileged.event}\`` });
          } else if (upload) {
            severity = 'high';
            why = 'the job uploads the workspace as an artifact, .git/config with the token included, for anyone who can download artifacts';
            related.push({ at: upload, message: 'uploads the workspace' });
          }
          report({
            at: p ? valueOf(p) : step.at,
            severity,
            message: `actions/checkout in job "${job.id}" ${explicit ? 'sets persist-credentials: true' : 'leaves persist-credentials at its default (true)'}, so the GITHUB_TOKEN stays on disk after checkout: ${why}. Set \`persist-credentials: false\`${explicit ? ', or list the job in persist_ok_jobs if it must push' : ''}.`,
            related,
            data: { fix: p ? 'set' : 'insert', key: 'with.persist-credentials', value: false, job: job.id, step: step.index },
          });
        }
      }
    }
  },
});

/** The `path:` of an `actions/upload-artifact` step of the job that takes the workspace, if any. */
function workspaceUpload(job: Job): Located | undefined {
  for (const step of job.steps) {
    if (!usesAction(step.uses, 'actions/upload-artifact')) continue;
    const path = pair(step.with, 'path')?.value;
    const lines = path?.kind === 'scalar' ? (scalarText(path) ?? '').split('\n') : items(path).map((i) => str(i) ?? '');
    if (lines.some((l) => WORKSPACE_PATH.test(l.trim())) && path) return path;
  }
  return undefined;
}
