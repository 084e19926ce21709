import { appendImmutableTag } from './fix';
import { defineRule, stringListParam } from '../../../engine/rule';
import { get, items, pair, scalarText, str, valueOf } from '../../../model/yaml';
import { isExpression, isLiteralTrue, usesAction, workflows, type Workflow } from '../../../pipelines/githubActions';
import { compilePattern } from '../../../pipelines/signals';

interface Params {
  immutable_tag_patterns: string[];
}

const SEMVER = /^v?\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/;
const REF_NAME = /^\$\{\{\s*github\.ref_name\s*\}\}$/i;

export default defineRule<Params>({
  id: 'gha-image-push-mutable-tag',
  title: 'Pushed images get at least one immutable tag',
  severity: 'medium',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['CM-2', 'SI-7'], euAiAct: ['Art.12'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      immutable_tag_patterns: stringListParam(
        ['^\\$\\{\\{\\s*github\\.sha\\s*\\}\\}$', '^\\$\\{\\{\\s*github\\.event\\.pull_request\\.head\\.sha\\s*\\}\\}$', '^sha-[0-9a-f]{7,40}$', '^[0-9a-f]{40}$'],
        'Regular expressions over the tag (the text after the image name and `:`) that name one build and are never reused. Semver tags and `${{ github.ref_name }}` also count in workflows that only run on tags and releases.',
      ),
    },
  },
  fix: appendImmutableTag,
  check({ documents, params, report, unknown }) {
    const immutable = params.immutable_tag_patterns.map(compilePattern);
    for (const wf of workflows(documents)) {
      const tagOnly = runsOnlyOnTags(wf);
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          if (!usesAction(step.uses, 'docker/build-push-action')) continue;
          const push = get(step.with, 'push');
          if (isExpression(push)) {
            unknown(push!, `push is ${str(push)}, only known at run time`);
            continue;
          }
          if (!isLiteralTrue(push)) continue;
          const p = pair(step.with, 'tags');
          if (!p) continue; // no tags: nothing is pushed under a name
          const tags = (p.value?.kind === 'seq' ? items(p.value).map((i) => scalarText(i) ?? '') : (scalarText(p.value) ?? '').split(/[,\n]/))
            .map((t) => t.trim())
            .filter(Boolean);
          if (tags.length === 0) continue;
          const kinds = tags.map((t) => {
            // A whole reference computed at run time (`${{ steps.meta.outputs.tags }}`) may carry any tag.
            const expr = t.indexOf('${{');
            if (expr >= 0 && !/:[^/]*$/.test(t.slice(0, expr))) return 'unknown';
            const tag = tagOf(t);
            if (immutable.some((re) => re.test(tag))) return 'immutable';
            if (tagOnly && (SEMVER.test(tag) || REF_NAME.test(tag))) return 'immutable';
            if (tag.includes('${{') && !REF_NAME.test(tag)) return 'unknown';
            return 'mutable';
          });
          if (kinds.includes('immutable')) continue;
          if (kinds.includes('unknown')) {
            unknown(valueOf(p), 'a tag is computed at run time (e.g. by docker/metadata-action) and may be immutable');
            continue;
          }
          const image = imageOf(tags[0]!);
          report({
            at: valueOf(p),
            message: `Job "${job.id}" pushes ${tags.map((t) => `\`${t}\``).join(', ')}, only tags that are moved on the next push (${tagOnly ? 'reused names' : '`latest`, branch names, `github.ref_name` on branch builds, or fixed versions pushed on every run'}): what a deployment ran cannot be told from the tag afterwards. Add an immutable tag such as \`${image}:\${{ github.sha }}\`, and deploy by the pushed digest (\`steps.<id>.outputs.digest\`).`,
            data: { fix: 'append', key: 'with.tags', value: `${image}:\${{ github.sha }}`, job: job.id, step: step.index },
          });
        }
      }
    }
  },
});

/** The tag of `name[:tag]` (after the last `:` that follows the last `/`); `latest` when absent. */
function tagOf(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const expr = ref.indexOf('${{');
  // A tag expression may contain `:`-free text only; split before it when present.
  const colon = expr >= 0 ? ref.lastIndexOf(':', expr) : ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : 'latest';
}

function imageOf(ref: string): string {
  const tag = tagOf(ref);
  return tag === 'latest' && !ref.endsWith(':latest') ? ref : ref.slice(0, ref.length - tag.length - 1);
}

/** Every trigger runs only for tags (`release`, or `push` with tag filters and no branch filters). */
function runsOnlyOnTags(wf: Workflow): boolean {
  if (wf.triggers.length === 0) return false;
  return wf.triggers.every((t) => {
    if (t.event === 'release') return true;
    if (t.event !== 'push') return false;
    const has = (k: string) => get(t.config, k) !== undefined;
    return (has('tags') || has('tags-ignore')) && !has('branches') && !has('branches-ignore');
  });
}
