import * as path from 'node:path';
import type { ConfigProblem } from '../config/load';
import { parseYaml } from '../parsers/yaml/parser';
import type { Policy } from './types';
import { readPolicy } from './validate';

/** Where policy files live, relative to a folder: `.plumbline/policies/*.yaml`. */
export const POLICY_DIR = path.join('.plumbline', 'policies');

export function isPolicyFile(file: string): boolean {
  return /(^|[\\/])\.plumbline[\\/]policies[\\/][^\\/]+\.ya?ml$/.test(file);
}

/** The folder a policy file governs: the one holding its `.plumbline/`. */
export function governedFolder(policyFile: string): string {
  return path.dirname(path.dirname(path.dirname(policyFile)));
}

/** The policies of one file (`.plumbline.yaml` or a policy file), and the problems found in it. */
export interface PolicyFile {
  readonly file: string;
  readonly policies: readonly Policy[];
  readonly problems: readonly ConfigProblem[];
}

/**
 * Reads and compiles the `policies:` list of config and policy files, once
 * per text. A file that does not parse keeps the policies of its last
 * version that did (the config loader says so for `.plumbline.yaml`).
 */
export class PolicyLoader {
  private readonly cache = new Map<string, { text: string; loaded: PolicyFile }>();
  private readonly lastValid = new Map<string, readonly Policy[]>();

  constructor(
    /** Ids a policy may not take: every built-in rule and engine finding. */
    private readonly reserved: ReadonlySet<string>,
    private readonly read: (file: string) => string | undefined,
  ) {}

  load(file: string): PolicyFile | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    const cached = this.cache.get(file);
    if (cached?.text === text) return cached.loaded;
    const loaded = this.parse(file, text);
    this.cache.set(file, { text, loaded });
    return loaded;
  }

  private parse(file: string, text: string): PolicyFile {
    // Anything that is not a policy file is a config file (`.plumbline.yaml`, an extended file, `--config`).
    const isConfig = !isPolicyFile(file);
    const yaml = parseYaml(`file://${file}`, text, { kindOf: () => 'other' });
    if (yaml.errors.length > 0) {
      const kept = this.lastValid.get(file) ?? [];
      const e = yaml.errors[0]!;
      // The config loader reports a config file's syntax error; a policy file's is ours to say.
      const problems: ConfigProblem[] = isConfig
        ? []
        : [{ file, range: e.range, severity: 'high', message: `${e.message} ${kept.length ? 'The policies of the last valid version of this file stay in force until it parses again.' : 'This file is ignored until it parses.'}` }];
      return { file, policies: kept, problems };
    }
    const root = yaml.documents[0]?.root;
    const problems: ConfigProblem[] = [];
    if (yaml.documents.length > 1 && !isConfig)
      problems.push({ file, range: yaml.documents[1]!.range, severity: 'medium', message: 'A policy file holds one YAML document; this one and any after it are ignored.' });
    if (root?.kind !== 'map') {
      if (!isConfig) problems.push({ file, range: root?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, severity: 'high', message: 'A policy file is a mapping with one key, policies: a list of policies (see docs/policies.md).' });
      return this.done(file, [], problems);
    }
    if (!isConfig)
      for (const k of root.pairs)
        if (k.key !== 'policies') problems.push({ file, range: k.keyRange, severity: 'high', message: `Unknown key "${k.key}": a policy file holds only policies:. It is ignored.` });
    const list = root.pairs.find((k) => k.key === 'policies');
    if (!list?.value) return this.done(file, [], problems);
    if (list.value.kind !== 'seq') {
      // In .plumbline.yaml the config schema already says that policies is a list.
      if (!isConfig) problems.push({ file, range: list.value.range, severity: 'high', message: 'policies must be a list of policies (each starting with "- id:").' });
      return this.done(file, [], problems);
    }
    const policies: Policy[] = [];
    for (const item of list.value.items) {
      // The config schema reports entries that are not mappings in .plumbline.yaml.
      if (isConfig && item.kind !== 'map') continue;
      const read = readPolicy(file, item, this.reserved);
      problems.push(...read.problems);
      if (!read.policy) continue;
      const twin = policies.find((x) => x.id === read.policy!.id);
      if (twin) {
        problems.push({ file, range: read.policy.idRange, severity: 'high', message: `Policy id "${twin.id}" is already used on line ${twin.idRange.start.line + 1}: ids must be unique. This policy is skipped.` });
        continue;
      }
      policies.push(read.policy);
    }
    return this.done(file, policies, problems);
  }

  private done(file: string, policies: readonly Policy[], problems: readonly ConfigProblem[]): PolicyFile {
    this.lastValid.set(file, policies);
    return { file, policies, problems };
  }
}

/**
 * The policies in force from `files` (in order: root first, config before
 * policy files): the first policy with an id wins, and each later one with
 * the same id is a problem in its own file.
 */
export function policiesInForce(files: readonly PolicyFile[]): { policies: Policy[]; duplicates: ConfigProblem[] } {
  const byId = new Map<string, Policy>();
  const duplicates: ConfigProblem[] = [];
  for (const f of files)
    for (const p of f.policies) {
      const first = byId.get(p.id);
      if (!first) byId.set(p.id, p);
      else if (first !== p)
        duplicates.push({
          file: p.file,
          range: p.idRange,
          severity: 'high',
          message: `Policy id "${p.id}" is already used by ${path.basename(first.file)} line ${first.idRange.start.line + 1}, which applies here too: ids must be unique. This policy is skipped.`,
        });
    }
  return { policies: [...byId.values()], duplicates };
}
