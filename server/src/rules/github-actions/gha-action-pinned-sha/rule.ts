import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { isFullCommitSha, matchesRepoGlob, workflows, type RemoteUses } from '../../../pipelines/githubActions';

interface Params {
  allow_unpinned: string[];
  verify_reachable: boolean;
}

export default defineRule<Params>({
  id: 'gha-action-pinned-sha',
  title: 'Actions and reusable workflows are pinned to a full commit SHA',
  severity: 'high',
  domain: 'github-actions',
  mappings: { nist: ['SR-3', 'SR-4', 'SA-10'], euAiAct: ['Art.15'], scorecard: ['Pinned-Dependencies'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allow_unpinned: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description:
          'owner/repo globs that may use a tag or branch (`my-org/*`, `actions/checkout`): `*` matches within one name, `**` across `/`; case-insensitive.',
      },
      verify_reachable: {
        type: 'boolean',
        default: false,
        description:
          'Check with the GitHub API that a pinned SHA is reachable from the upstream repository, not only from a fork (impostor commit). Needs network access; not done in offline analysis.',
      },
    },
  },
  check({ documents, params, report }) {
    for (const wf of workflows(documents)) {
      const refs = [
        ...wf.jobs.map((job) => ({ uses: job.uses, what: 'reusable workflow' })),
        ...wf.jobs.flatMap((job) => job.steps.map((step) => ({ uses: step.uses, what: 'action' }))),
      ];
      for (const { uses, what } of refs) {
        // Local actions come from this commit; docker:// images are gha-container-image-digest's; expressions are Unknown.
        if (uses?.kind !== 'remote') continue;
        if (matchesRepoGlob(uses.slug, params.allow_unpinned)) continue;
        checkRef(uses, what, report);
      }
    }
  },
});

function checkRef(uses: RemoteUses, what: string, report: (f: ReportInput) => void): void {
  const data = { fix: 'pin-sha', repository: uses.slug, path: uses.path ?? null, ref: uses.ref?.text ?? null, needsNetwork: true };
  if (!uses.ref || uses.ref.text === '') {
    report({
      at: uses.node,
      message: `${what} "${uses.name}" has no @ref, so it cannot be resolved to one version. Pin it to a full commit SHA: ${uses.name}@<40-hex commit SHA> # <version>.`,
      data,
    });
    return;
  }
  const ref = uses.ref.text;
  if (isFullCommitSha(ref)) return;
  const why = /^[0-9a-f]{4,39}$/i.test(ref)
    ? `an abbreviated commit SHA ("${ref}"), which can become ambiguous`
    : `"${ref}", a tag or branch that can be moved to other code after review`;
  report({
    at: uses.ref.at,
    message: `${what} ${uses.name} is pinned to ${why}. Pin the full 40-character commit SHA and keep the version as a comment: ${uses.name}@<commit SHA> # ${ref}.`,
    data,
  });
}
