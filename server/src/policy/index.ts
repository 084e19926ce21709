import * as path from 'node:path';
import { folderChain, type EffectiveConfig } from '../config/effective';
import type { ConfigProblem } from '../config/load';
import { POLICY_DIR, PolicyLoader, policiesInForce, type PolicyFile } from './load';
import type { Policy } from './types';

export { isPolicyFile, governedFolder, POLICY_DIR } from './load';
export { runTerraformPolicies, runYamlPolicies } from './run';
export type { Policy } from './types';

/**
 * The custom policies of a workspace: those under `policies:` in the
 * `.plumbline.yaml` files in force (and the files they extend), then those in
 * `.plumbline/policies/*.yaml` of every folder from the workspace root down
 * to the document's folder. On an id clash the first one in that order wins.
 */
export class PolicyCatalog {
  private readonly loader: PolicyLoader;

  constructor(
    reserved: ReadonlySet<string>,
    read: (file: string) => string | undefined,
    private readonly listDir: (dir: string) => readonly string[],
  ) {
    this.loader = new PolicyLoader(reserved, read);
  }

  /** The policies that apply to documents in `dir`. */
  inForce(config: EffectiveConfig, dir: string, roots: readonly string[]): Policy[] {
    return policiesInForce(this.sources(config, dir, roots)).policies;
  }

  /** Ids of the policies in force, with their severity (what a suppression directive may name). */
  idsInForce(config: EffectiveConfig, dir: string, roots: readonly string[]): { id: string; severity: Policy['severity'] }[] {
    return this.inForce(config, dir, roots).map((p) => ({ id: p.id, severity: p.severity }));
  }

  /**
   * The problems of the policies written in `file` (a `.plumbline.yaml` or a
   * policy file), including ids that clash with a policy in force there.
   */
  problemsIn(file: string, config: EffectiveConfig, roots: readonly string[]): ConfigProblem[] {
    const own = this.loader.load(file);
    if (!own) return [];
    const duplicates = policiesInForce(this.sources(config, path.dirname(file), roots, file)).duplicates.filter((d) => d.file === file);
    return [...own.problems, ...duplicates];
  }

  private sources(config: EffectiveConfig, dir: string, roots: readonly string[], alsoFile?: string): PolicyFile[] {
    const files = [...new Set(config.policies.map((p) => p.file))];
    for (const folder of folderChain(dir, roots)) {
      const policyDir = path.join(folder, POLICY_DIR);
      for (const name of [...this.listDir(policyDir)].sort()) if (/\.ya?ml$/.test(name)) files.push(path.join(policyDir, name));
    }
    if (alsoFile && !files.includes(alsoFile)) files.push(alsoFile);
    return files.flatMap((f) => {
      const loaded = this.loader.load(f);
      return loaded ? [loaded] : [];
    });
  }
}
