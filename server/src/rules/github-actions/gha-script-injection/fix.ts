import { fixAtPath, ghaPath, jobById } from '../../../fixes/cifix-pipelines';
import { lineText, insertAt } from '../../../fixes/text';
import type { Fix, TextEdit, YamlFixContext } from '../../../fixes/types';
import { isFlow } from '../../../fixes/yaml';
import { asMap, get, type YamlNode } from '../../../model/yaml';
import { rangeContains } from '../../../model/location';

type Ctx = YamlFixContext<unknown>;

/**
 * Env indirection: the expression moves to the step's `env:` as
 * `UNTRUSTED_<N>` and the script reads the variable, so the value is data
 * when the script runs, not code. The read is adapted to the quoting around
 * the occurrence, so the script keeps meaning what it meant.
 */
export function envIndirection(ctx: Ctx): Fix[] {
  const { data, finding } = ctx;
  const { env, expression, replacement } = data;
  if (data.fix !== 'env-indirection' || typeof env !== 'string' || typeof expression !== 'string' || typeof replacement !== 'string') return [];
  const step = jobById(ctx, data.job)?.steps[data.step as number];
  if (!step) return [];
  const sink = [step.run, get(step.with, 'script')].find((n) => n && rangeContains(n.range, finding.range));
  if (!sink || sink.kind !== 'scalar' || finding.range.start.line !== finding.range.end.line) return [];
  // The script's own text before the occurrence (a YAML quote opening the scalar is not the script's).
  const yamlQuote = /^["']/.test(sink.source) ? 1 : 0;
  const from = sink.range.start.line === finding.range.start.line ? sink.range.start.character + yamlQuote : 0;
  const before = lineText(ctx.file.text, finding.range.start.line).slice(from, finding.range.start.character);
  let read = readIn(replacement, env, sink === step.run ? before : undefined, sink !== step.run ? before : undefined);
  if (sink.source.startsWith('"')) read = read.replace(/[\\"]/g, (c) => `\\${c}`);
  const addEnv = envEntry(ctx, step.map, env, expression);
  if (!addEnv.length) return [];
  return [
    {
      title: `Pass ${expression} through env ${env} and read ${read} in the script`,
      edits: [...addEnv, { uri: finding.uri, range: finding.range, newText: read }],
    },
  ];
}

/** The variable read for the quoting context: shell text before the occurrence, or JavaScript text before it. */
function readIn(replacement: string, env: string, shellBefore: string | undefined, jsBefore: string | undefined): string {
  if (shellBefore !== undefined && replacement.startsWith('"')) {
    const q = openQuote(shellBefore, false);
    if (q === '"') return `\${${env}}`;
    if (q === "'") return `'"\${${env}}"'`;
    return replacement;
  }
  if (jsBefore !== undefined && replacement.startsWith('process.env.')) {
    const q = openQuote(jsBefore, true);
    if (q === '`') return `\${${replacement}}`;
    if (q) return `${q} + ${replacement} + ${q}`;
  }
  return replacement;
}

/** The quote open at the end of `text` (`'`, `"` or, for JavaScript, a backtick), if any. */
function openQuote(text: string, js: boolean): string | undefined {
  let open: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && open !== "'") i++;
    else if (c === '\\' && js) i++;
    else if (open) {
      if (c === open) open = undefined;
    } else if (c === '"' || c === "'" || (js && c === '`')) open = c;
  }
  return open;
}

/** `NAME: expression` in the step's env, which is created when missing; flow maps get a quoted value. */
function envEntry(ctx: Ctx, step: YamlNode, name: string, expression: string): TextEdit[] {
  const env = asMap(get(step, 'env'));
  if (env && isFlow(ctx.file, env)) {
    const end = env.range.end;
    const entry = `${name}: ${JSON.stringify(expression)}`;
    return [env.pairs.length ? insertAt(ctx.file.uri, { line: end.line, character: end.character - 1 }, `, ${entry}`) : { uri: ctx.file.uri, range: env.range, newText: `{${entry}}` }];
  }
  const fixes = fixAtPath(ctx, ghaPath({ ...ctx.data, key: undefined }, `env.${name}`), { fix: 'insert', value: expression });
  return fixes[0] ? [...fixes[0].edits] : [];
}


