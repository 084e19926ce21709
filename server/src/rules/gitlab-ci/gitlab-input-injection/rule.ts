import { constrainInput } from './fix';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { get, keyOf, scalarSpanAt, scalarText, type YamlDocument, type YamlMap, type YamlNode, type YamlScalar } from '../../../model/yaml';
import { GitlabPipeline, type GitlabJob } from '../../../pipelines/gitlabCi';

interface Params {
  untrusted_variables: string[];
}

/** Predefined variables whose value whoever opens a merge request or pushes a branch chooses. */
export const DEFAULT_UNTRUSTED_VARIABLES: readonly string[] = [
  'CI_MERGE_REQUEST_TITLE',
  'CI_MERGE_REQUEST_DESCRIPTION',
  'CI_COMMIT_MESSAGE',
  'CI_COMMIT_TITLE',
  'CI_COMMIT_REF_NAME',
  'CI_COMMIT_BRANCH',
  'CI_MERGE_REQUEST_SOURCE_BRANCH_NAME',
];

const SCRIPT_KEYS = ['before_script', 'script', 'after_script'] as const;

/** `$[[ inputs.name | fn(…) ]]`: GitLab replaces it in the text before the shell sees it. */
const INTERPOLATION = /\$\[\[\s*([^\]]*?)\s*\]\]/g;

/** Commands that parse a string as shell code again. */
const REPARSE = /(^|[\s;&|(`])(eval|(?:ba|z|da|k)?sh\s+-c)(?=\s)/;

const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g;

interface InputSpec {
  readonly type: string;
  readonly constrained: boolean;
  readonly at: Located;
}

export default defineRule<Params>({
  id: 'gitlab-input-injection',
  title: 'GitLab CI scripts do not paste untrusted text into shell code',
  severity: 'high',
  domain: 'gitlab-ci',
  mappings: { nist: ['SI-10'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      untrusted_variables: stringListParam(
        DEFAULT_UNTRUSTED_VARIABLES,
        'Variables an attacker can set (merge request title and description, commit message, branch names); eval, sh -c and bash -c must not re-parse them.',
      ),
    },
  },
  fix: constrainInput,
  check({ file, documents, params, report, unknown }) {
    const untrusted = new Set(params.untrusted_variables);
    const inputs = specInputs(documents);
    const seen = new Set<YamlScalar>();
    for (const pipeline of GitlabPipeline.all(file, documents)) {
      for (const { line, job } of scriptLines(pipeline)) {
        if (seen.has(line)) continue;
        seen.add(line);
        const text = scalarText(line);
        if (text === undefined) continue;

        for (const m of text.matchAll(INTERPOLATION)) {
          const at = scalarSpanAt(line, m.index, m.index + m[0].length);
          const [head, ...fns] = m[1]!.split('|').map((s) => s.trim());
          const name = /^inputs\.([A-Za-z0-9_-]+)$/.exec(head ?? '')?.[1];
          if (fns.some((f) => /^expand_vars\b/.test(f))) {
            report({
              at,
              message: `${m[0]} uses expand_vars: the value of every variable it names is pasted into the script as shell code, so whoever controls such a variable controls the command. Drop expand_vars and reference the variable at run time ("$NAME", quoted).`,
              data: { fix: 'none', reason: 'the script must be rewritten to read the variable at run time' },
            });
            continue;
          }
          if (name === undefined) continue;
          if (!inputs) {
            unknown(at, `input ${name} is declared in a spec: header that is not in this file`);
            continue;
          }
          const spec = inputs.get(name);
          if (!spec) {
            unknown(at, `input ${name} is not declared in this file's spec:inputs`);
            continue;
          }
          if (spec.type !== 'string' || spec.constrained) continue;
          report({
            at,
            message: `Input "${name}" is a free-form string pasted into the script before the shell runs it: a value such as "x; curl … | sh" becomes shell code in the job. Restrict it in spec:inputs with options: [...] or regex: ^[a-z0-9-]+$, or pass it through a variable and quote it ("$VAR").`,
            data: { fix: 'insert', under: `spec.inputs.${name}`, key: 'regex', value: 'REPLACE_ME', placeholder: true },
          });
        }

        const reparse = REPARSE.exec(text);
        if (!reparse) continue;
        const from = reparse.index + reparse[0].length;
        for (const v of text.slice(from).matchAll(VARIABLE)) {
          const index = from + v.index;
          if (quoteAt(text, index) === "'") continue; // not expanded before the re-parse
          const name = v[1] ?? v[2]!;
          const via = untrusted.has(name) ? undefined : untrustedThrough(job, name, untrusted);
          if (!untrusted.has(name) && via === undefined) continue;
          report({
            at: scalarSpanAt(line, index, index + v[0].length),
            message: `${reparse[2]!.replace(/\s+/g, ' ')} re-parses ${v[0]}${via ? ` (set from $${via})` : ''} as shell code, and its value is chosen by whoever opens the merge request or names the branch or commit: a title like "$(curl …)" runs in the job with its secrets. Do not eval it; use the variable as data ("$${name}", quoted) or validate it first.`,
            data: { fix: 'none', reason: 'the command must be rewritten' },
          });
        }
      }
    }
  },
});

/** Every script line written in the file, with the job that owns it (undefined for `default:`/top level). */
function scriptLines(pipeline: GitlabPipeline): { line: YamlScalar; job: GitlabJob | undefined }[] {
  const out: { line: YamlScalar; job: GitlabJob | undefined }[] = [];
  const collect = (holder: YamlNode | undefined, keys: readonly string[], job: GitlabJob | undefined) => {
    for (const key of keys)
      for (const item of pipeline.flatten(get(holder, key)).items) if (item.kind === 'scalar') out.push({ line: item, job });
  };
  collect(pipeline.root, ['before_script', 'after_script'], undefined);
  collect(get(pipeline.root, 'default'), ['before_script', 'after_script'], undefined);
  for (const job of [...pipeline.jobs, ...pipeline.templates]) collect(job.map, SCRIPT_KEYS, job);
  return out;
}

/** The inputs of the file's `spec:` header (first document), or undefined when it has none. */
function specInputs(documents: readonly YamlDocument[]): Map<string, InputSpec> | undefined {
  const first = documents[0]?.root;
  const spec = get(first, 'spec');
  if (!spec || documents.length < 2) return undefined;
  const out = new Map<string, InputSpec>();
  const inputs = get(spec, 'inputs');
  if (inputs?.kind !== 'map') return out;
  for (const p of inputs.pairs) {
    const def: YamlMap | undefined = p.value?.kind === 'map' ? p.value : undefined;
    const type = scalarText(get(def, 'type')) ?? 'string';
    const options = get(def, 'options');
    const constrained = (options?.kind === 'seq' && options.items.length > 0) || get(def, 'regex') !== undefined;
    out.set(p.key, { type, constrained, at: keyOf(p) });
  }
  return out;
}

/** The quote a position of a shell line is inside: `'`, `"` or undefined. */
function quoteAt(text: string, index: number): string | undefined {
  let quote: string | undefined;
  for (let i = 0; i < index; i++) {
    const c = text[i];
    if (quote === undefined && c === '\\') i++;
    else if (quote === '"' && c === '\\') i++;
    else if (quote === undefined && (c === "'" || c === '"')) quote = c;
    else if (c === quote) quote = undefined;
  }
  return quote;
}

/** The untrusted variable a variable written in the file is set from, if any. */
function untrustedThrough(job: GitlabJob | undefined, name: string, untrusted: ReadonlySet<string>): string | undefined {
  if (!job) return undefined;
  const expanded = job.expand(`$${name}`);
  if (expanded.parts.length === 1 && typeof expanded.parts[0] !== 'string' && expanded.parts[0]!.variable === name) return undefined; // not in the file
  for (const p of expanded.parts) if (typeof p !== 'string' && untrusted.has(p.variable)) return p.variable;
  return undefined;
}
