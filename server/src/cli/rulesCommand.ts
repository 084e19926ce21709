import { parseArgs } from 'node:util';
import { UsageError } from './files';
import { builtinDescriptors, mappingTags, type RuleDescriptor } from './ruleCatalog';

type Output = NodeJS.WritableStream;

/** `plumbline rules [--format text|json]`: every built-in rule with its metadata. Exit 0. */
export function rulesCommand(args: readonly string[], out: Output, usage: string): number {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { format: { type: 'string', default: 'text' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    out.write(`${usage}\n`);
    return 0;
  }
  if (positionals.length) throw new UsageError(`plumbline rules takes no paths (got ${positionals.join(' ')})`);
  const rules = builtinDescriptors();
  if (values.format === 'json') out.write(`${JSON.stringify({ version: 1, rules }, null, 2)}\n`);
  else if (values.format === 'text') out.write(`${formatRulesText(rules)}\n`);
  else throw new UsageError(`unknown --format ${values.format}: use text or json`);
  return 0;
}

/** One block per rule: id, severity, domain and title, then params, mappings and the docs link, indented. */
export function formatRulesText(rules: readonly RuleDescriptor[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  const blocks = rules.map((r) => {
    const lines = [`${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.domain.padEnd(14)}  ${r.ai ? '[AI] ' : ''}${r.title}`];
    for (const [name, p] of Object.entries(r.params)) lines.push(`    param ${name} = ${JSON.stringify(p.default)}  ${p.description}`);
    const tags = mappingTags(r.mappings);
    if (tags.length) lines.push(`    maps to ${tags.join(', ')}`);
    if (r.helpUri) lines.push(`    ${r.helpUri}`);
    return lines.join('\n');
  });
  return [...blocks, '', `${rules.length} rules.`].join('\n');
}
