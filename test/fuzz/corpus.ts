import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { kubernetesDocuments, terraformOfLines } from '../bench/generate';

const ROOT = path.resolve(__dirname, '..', '..');

/** Where an input is opened decides how the server reads it. */
export type Placement = 'terraform' | 'kubernetes' | 'github-actions' | 'gitlab-ci';

export interface FuzzInput {
  /** Stable name (a path relative to the repository, or `generated:…`): FUZZ_ONLY selects by it. */
  readonly name: string;
  readonly text: string;
  readonly placement: Placement;
}

/** The path (relative to a workspace root) an input is opened at. */
export function placementPath(placement: Placement): string {
  switch (placement) {
    case 'terraform':
      return 'fuzz/main.tf';
    case 'kubernetes':
      return 'fuzz/manifest.yaml';
    case 'github-actions':
      return '.github/workflows/fuzz.yml';
    case 'gitlab-ci':
      return '.gitlab-ci.yml';
  }
}

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
}

function placementOf(file: string): Placement | undefined {
  const rel = path.relative(ROOT, file).replace(/\\/g, '/');
  if (rel.endsWith('.tf')) return 'terraform';
  if (!/\.ya?ml$/.test(rel)) return undefined;
  if (rel.includes('/github-actions/') || rel.includes('.github/workflows/')) return 'github-actions';
  if (rel.includes('/gitlab-ci/') || rel.endsWith('.gitlab-ci.yml')) return 'gitlab-ci';
  if (rel.includes('/kubernetes/')) return 'kubernetes';
  return undefined;
}

/**
 * Every input: the rule fixtures, the example workspace, and generated
 * Terraform and Kubernetes text of the benchmark's kind. Sorted by name.
 */
export function loadCorpus(): FuzzInput[] {
  const files: string[] = [];
  walk(path.join(ROOT, 'server', 'src', 'rules'), files);
  walk(path.join(ROOT, 'examples'), files);
  const inputs: FuzzInput[] = [];
  for (const file of files) {
    const rel = path.relative(ROOT, file).replace(/\\/g, '/');
    if (rel.startsWith('server/') && !rel.includes('/fixtures/')) continue;
    if (path.basename(file) === '.plumbline.yaml') continue;
    const placement = placementOf(file);
    if (placement) inputs.push({ name: rel, text: readFileSync(file, 'utf8'), placement });
  }
  inputs.push({ name: 'generated:terraform-400-lines', text: terraformOfLines(400), placement: 'terraform' });
  inputs.push({ name: 'generated:kubernetes-8-documents', text: kubernetesDocuments(8), placement: 'kubernetes' });
  return inputs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
