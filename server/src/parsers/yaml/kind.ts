import type { DocumentKind, YamlNode } from '../../model/yaml';
import { str } from '../../model/yaml';

/** Which kind of file a path is, before looking inside it. */
export type FileKind = 'terraform' | 'terraform-vars' | 'github-actions' | 'gitlab-ci' | 'yaml' | 'other';

const WORKFLOW = /(^|\/)\.github\/workflows\/[^/]+\.ya?ml$/;
const GITLAB = /(^|\/)\.gitlab-ci\.ya?ml$/;

/**
 * `gitlabIncludes` holds the paths that a `.gitlab-ci.yml` of the workspace
 * pulls in with `include: local`; those files are GitLab CI too.
 */
export function fileKindOf(path: string, gitlabIncludes: ReadonlySet<string> = new Set()): FileKind {
  const p = path.replace(/\\/g, '/');
  if (p.endsWith('.tf')) return 'terraform';
  if (p.endsWith('.tfvars') || p.endsWith('.tfvars.json')) return 'terraform-vars';
  if (WORKFLOW.test(p)) return 'github-actions';
  if (GITLAB.test(p) || gitlabIncludes.has(p)) return 'gitlab-ci';
  if (/\.ya?ml$/.test(p)) return 'yaml';
  return 'other';
}

/** The kind of one YAML document: pipelines by file, Kubernetes by `apiVersion` + `kind`. */
export function documentKind(fileKind: FileKind, root: YamlNode | undefined): DocumentKind {
  if (fileKind === 'github-actions') return 'github-actions';
  if (fileKind === 'gitlab-ci') return 'gitlab-ci';
  if (fileKind === 'yaml' && isKubernetesObject(root)) return 'kubernetes';
  return 'other';
}

function isKubernetesObject(root: YamlNode | undefined): boolean {
  if (root?.kind !== 'map') return false;
  const apiVersion = str(root.pairs.find((p) => p.key === 'apiVersion')?.value);
  const kind = str(root.pairs.find((p) => p.key === 'kind')?.value);
  return !!apiVersion && !!kind && /^[A-Z][A-Za-z0-9]*$/.test(kind);
}
