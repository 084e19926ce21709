import type { RelatedInfo } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { pair, scalarSpanAt, scalarText, valueOf } from '../../../model/yaml';
import {
  expressions,
  opaqueContext,
  PRIVILEGED_FORK_TRIGGERS,
  usesAction,
  workflows,
  type Step,
} from '../../../pipelines/githubActions';

interface Params {
  allowed_jobs: string[];
}

/** Contexts naming the pull request's head: its code, branch or fork. */
const PR_HEAD = [
  /\bgithub\.event\.pull_request\.head\.(sha|ref|repo\.full_name)\b/i,
  /\bgithub\.head_ref\b/i,
  /\bgithub\.event\.workflow_run\.(head_sha|head_branch|head_repository\.full_name)\b/i,
];
/** A pull request number: a literal or an expression (`${{ github.event.number }}`). */
const PR_NUMBER = String.raw`(?:\$\{\{[^}]*\}\}|[^/\s]+)`;
/** `refs/pull/<n>/merge` and `…/head`. */
const PULL_REF = new RegExp(String.raw`refs/pull/${PR_NUMBER}/(merge|head)\b`, 'i');
/** Shell commands that fetch the pull request's code. */
const FETCH_PR = new RegExp(String.raw`\bgh\s+pr\s+checkout\b|\bgit\s+fetch\b[^\n;&|]*?\bpull/${PR_NUMBER}/(head|merge)\b`);
/** Commands that run code from the workspace: builds, tests, package managers, local scripts. */
const EXECUTES =
  /(^|[\s;&|(])(npm|npx|yarn|pnpm|bun|pip3?|poetry|pipenv|uv|python3?|pytest|tox|nox|make|cmake|go\s+(build|test|run|generate)|cargo|mvn|\.\/mvnw|gradle|\.\/gradlew|dotnet|bundle|rake|composer|node|deno|terraform|docker\s+(build|compose)|sh\s+\S|bash\s+\S|\.\/[\w.-]+)(?=$|[\s;&|)])/m;

export default defineRule<Params>({
  id: 'gha-pull-request-target-checkout',
  title: 'Privileged workflows do not check out pull request code',
  severity: 'high',
  domain: 'github-actions',
  mappings: { nist: ['SI-10', 'SA-11', 'AC-6'], euAiAct: ['Art.15'], scorecard: ['Dangerous-Workflow'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_jobs: stringListParam([], 'Job ids reviewed and accepted as safe (e.g. label-gated, no secrets, nothing executed).'),
    },
  },
  check({ documents, params, report, unknown }) {
    for (const wf of workflows(documents)) {
      const privileged = wf.triggers.find((t) => PRIVILEGED_FORK_TRIGGERS.includes(t.event));
      if (!privileged) continue;
      for (const job of wf.jobs) {
        if (params.allowed_jobs.includes(job.id)) continue;
        job.steps.forEach((step, i) => {
          const checkout = prCheckout(step, unknown);
          if (!checkout) return;
          const exec = job.steps.slice(i + 1).map(executes).find((e) => e !== undefined);
          const related: RelatedInfo[] = [{ at: privileged.at, message: `runs on \`${privileged.event}\` with a write token and secrets` }];
          if (exec) related.push({ at: exec.at, message: `executes the checked-out code: ${exec.what}` });
          report({
            at: checkout.at,
            severity: exec ? 'critical' : 'high',
            message:
              `Job "${job.id}" ${checkout.what} in a \`${privileged.event}\` workflow, which runs with the base repository's secrets and a write token` +
              (exec ? `, and then executes that code (${exec.what}): a fork can run anything with those privileges.` : ': any later use of that code runs with those privileges.') +
              ' Check out only the base commit here; build and test the pull request in a `pull_request` workflow and pass results through artifacts to a `workflow_run` job that does not execute them.',
            related,
            data: { fix: 'none', reason: 'requires redesign: split into pull_request + workflow_run, or a label-gated job without secrets', job: job.id },
          });
        });
      }
    }
  },
});

interface Checkout {
  readonly at: Located;
  readonly what: string;
}

/** The place a step checks out pull request code, if it does. */
function prCheckout(step: Step, unknown: (at: Located, origin: string) => void): Checkout | undefined {
  if (usesAction(step.uses, 'actions/checkout')) {
    for (const key of ['ref', 'repository']) {
      const p = pair(step.with, key);
      const v = p?.value;
      if (!p || v?.kind !== 'scalar') continue;
      const text = scalarText(v) ?? '';
      const head = expressions(v).find((e) => PR_HEAD.some((re) => re.test(e.body)));
      if (head) return { at: valueOf(p), what: `checks out the pull request head (\`${key}: ${head.text}\`)` };
      if (PULL_REF.test(text)) return { at: valueOf(p), what: `checks out the pull request (\`${key}: ${text}\`)` };
      const opaque = expressions(v).map((e) => opaqueContext(e.body) ?? (/\binputs\./i.test(e.body) ? e.body : undefined)).find((o) => o);
      if (opaque) unknown(valueOf(p), `\`${key}\` comes from ${opaque}, which may name the pull request head`);
    }
    return undefined;
  }
  const run = step.run && scalarText(step.run);
  const m = run ? FETCH_PR.exec(run) : null;
  if (m && step.run) return { at: step.at, what: `fetches the pull request's code (\`${m[0]}\`)` };
  return undefined;
}

/** Whether a step runs code from the workspace, and what. */
function executes(step: Step): { at: Located; what: string } | undefined {
  if (step.uses?.kind === 'local') return { at: step.uses.node, what: `uses: ${step.uses.value}` };
  const run = step.run && scalarText(step.run);
  if (!run || !step.run) return undefined;
  const m = EXECUTES.exec(run);
  if (!m) return undefined;
  const start = m.index + m[1]!.length;
  const text = m[2]!;
  return { at: scalarSpanAt(step.run, start, start + text.length), what: text };
}

