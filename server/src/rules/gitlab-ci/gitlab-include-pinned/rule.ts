import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { scalarSpanAt, scalarText, type YamlNode } from '../../../model/yaml';
import { GitlabPipeline, hasVariable } from '../../../pipelines/gitlabCi';

interface Params {
  allow_tags: boolean;
  allowed_projects: string[];
}

const COMMIT_SHA = /^[0-9a-f]{40}$/i;
/** A full release tag: `1.2.3`, `v1.2.3`, `1.2.3-rc.1` (no partial `1.2`). */
const SEMVER_TAG = /^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** A component version GitLab resolves to exactly one release. */
const FULL_VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$/;
/** Subresource-integrity hash of a SHA-256 digest: 32 bytes = 43 base64 characters and one `=`. */
const INTEGRITY = /^sha256-[A-Za-z0-9+/]{43}=$/;

export default defineRule<Params>({
  id: 'gitlab-include-pinned',
  title: 'GitLab CI includes are pinned to immutable versions',
  severity: 'high',
  domain: 'gitlab-ci',
  mappings: { nist: ['SR-3', 'SR-4', 'SA-10'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allow_tags: {
        type: 'boolean',
        default: false,
        description:
          'Accept a full semantic-version tag (1.2.3 or v1.2.3) as include:project ref. Only safe when the tag is protected in the included project.',
      },
      allowed_projects: {
        type: 'array',
        items: { type: 'string' },
        default: [],
        description: 'Projects (full paths, e.g. "platform/ci-templates") that include:project may pull from. Empty = any project.',
      },
    },
  },
  check({ file, documents, params, report }) {
    for (const pipeline of GitlabPipeline.all(file, documents)) {
      for (const inc of pipeline.includes()) {
        switch (inc.type) {
          case 'local':
            break;
          case 'template': {
            const name = scalarText(inc.value) ?? '';
            report({
              at: inc.value,
              severity: 'info',
              message: `include:template "${name}" is versioned with the GitLab instance, not pinned by this file: its content changes when GitLab is upgraded. For a reviewed, immutable pipeline, copy it into the repository (include:local) or use a component pinned to a commit SHA or full version.`,
              data: { fix: 'none', reason: 'template content follows the GitLab instance version' },
            });
            break;
          }
          case 'project': {
            const project = scalarText(inc.value);
            const notAllowed =
              params.allowed_projects.length > 0 && project !== undefined && !hasVariable(project) && !params.allowed_projects.includes(project);
            const allowedNote = `"${project}" is not in allowed_projects (${params.allowed_projects.join(', ')}): pipeline code may only come from approved projects. Include from an allowed project, or add this one to the rule's allowed_projects.`;
            const ref = inc.ref?.value;
            if (!ref) {
              // One finding per range: the missing ref and a disallowed project both sit on the project value.
              report({
                at: inc.value,
                message: `include:project "${project ?? ''}" has no ref, so it follows the HEAD of the project's default branch: anyone who can push there changes this pipeline. Add ref: <40-hex commit SHA>.${notAllowed ? ` Also, ${allowedNote}` : ''}`,
                data: { fix: 'resolve-ref', net: true, project, insert: 'ref' },
              });
              break;
            }
            if (notAllowed) report({ at: inc.value, message: `include:project ${allowedNote}`, data: { fix: 'none', project } });
            const text = scalarText(ref);
            if (text === undefined || hasVariable(text) || COMMIT_SHA.test(text)) break; // a variable is Unknown
            if (params.allow_tags && SEMVER_TAG.test(text)) break;
            report({
              at: ref,
              message: params.allow_tags
                ? `include:project ref "${text}" is neither a 40-hex commit SHA nor a full version tag: it can move. Set ref to a commit SHA (or a protected x.y.z tag).`
                : `include:project ref "${text}" is not a 40-hex commit SHA: a branch or tag can be moved to other content. Set ref to the commit SHA it points at now (keep the name in a comment).`,
              data: { fix: 'resolve-ref', net: true, project, ref: text },
            });
            break;
          }
          case 'remote': {
            const url = scalarText(inc.value) ?? '';
            const integrity = inc.integrity?.value;
            const hash = integrity ? scalarText(integrity) : undefined;
            if (hash !== undefined && (hasVariable(hash) || INTEGRITY.test(hash))) break;
            report({
              at: inc.value,
              message:
                hash === undefined
                  ? `include:remote "${url}" has no integrity hash: whoever controls that URL controls this pipeline. Add integrity: sha256-<base64 SHA-256 of the file>.`
                  : `include:remote "${url}" has an integrity value that is not sha256-<base64 SHA-256> ("${hash}"), so the download is not verified. Set integrity: sha256-<44 base64 characters>.`,
              data: { fix: 'compute-integrity', net: true, url },
            });
            break;
          }
          case 'component':
            checkComponent(inc.value, report);
            break;
        }
      }
    }
  },
});

function checkComponent(node: YamlNode, report: (f: ReportInput) => void): void {
  if (node.kind !== 'scalar') return;
  const text = scalarText(node);
  if (text === undefined) return;
  const at = text.lastIndexOf('@');
  const version = at >= 0 ? text.slice(at + 1) : '';
  if (hasVariable(version) || (at >= 0 && (COMMIT_SHA.test(version) || FULL_VERSION.test(version)))) return;
  const where = at >= 0 && version ? scalarSpanAt(node, at + 1, text.length) : node;
  const what =
    at < 0 || !version
      ? 'has no version'
      : version === '~latest'
        ? 'uses ~latest, which moves with every release'
        : /^\d+(\.\d+)?$/.test(version)
          ? `uses the partial version "${version}", which moves to the newest matching release`
          : `uses "${version}", a branch or tag name that can move`;
  report({
    at: where,
    message: `include:component ${what}: the component's code can change without a change to this file. Pin it to a full version (x.y.z) or a 40-hex commit SHA after the "@".`,
    data: { fix: 'resolve-ref', net: true, component: at >= 0 ? text.slice(0, at) : text, version },
  });
}
