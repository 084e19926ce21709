import { defineRule } from '../../../engine/rule';
import { chainUpTo, deleteEntry, findingDocument, pairChainAt } from '../../../fixes/cifix-pipelines';
import { scalarText } from '../../../model/yaml';
import { expandEntry, GitlabPipeline, variableEntries } from '../../../pipelines/gitlabCi';

/** Variables that make the runner print every variable (and so every secret) into the job log. */
const DEBUG_VARIABLES: ReadonlySet<string> = new Set(['CI_DEBUG_TRACE', 'CI_DEBUG_SERVICES']);

/** What the runner reads as true (Go's strconv.ParseBool). */
const TRUE_VALUES: ReadonlySet<string> = new Set(['1', 't', 'T', 'TRUE', 'true', 'True']);

export default defineRule({
  id: 'gitlab-debug-trace',
  title: 'GitLab CI debug tracing is not enabled in the pipeline file',
  severity: 'high',
  domain: 'gitlab-ci',
  mappings: { nist: ['AU-9', 'SC-28'], euAiAct: ['Art.15'] },
  fix(ctx) {
    const name = String(ctx.data.variable);
    const chain = chainUpTo(pairChainAt(findingDocument(ctx)?.root, ctx.finding.range), name);
    if (!chain) return [];
    return [{ title: `Remove the ${name} variable`, edits: [deleteEntry(ctx, chain)] }];
  },
  check({ file, documents, report, unknown }) {
    for (const pipeline of GitlabPipeline.all(file, documents)) {
      for (const entry of variableEntries(pipeline)) {
        if (!DEBUG_VARIABLES.has(entry.name) || !entry.value) continue;
        const raw = scalarText(entry.value);
        if (raw === undefined) continue;
        const expanded = expandEntry(pipeline, entry, raw);
        if (expanded.known === undefined) {
          unknown(entry.value, `${entry.name} is set from ${expanded.unknown.map((v) => `$${v}`).join(', ')}, which is not defined in this file`);
          continue;
        }
        if (!TRUE_VALUES.has(expanded.known.trim())) continue;
        const where = entry.job ? `job "${entry.job.name}"` : entry.scope === 'workflow-rule' ? 'workflow:rules' : 'the top-level variables';
        report({
          at: entry.value,
          message: `${entry.name} is enabled in ${where}: the job log then shows the value of every variable available to the job, masked CI/CD variables and secrets included, to anyone who can read the log. Remove ${entry.name} from the file; to debug once, set it as a manual pipeline variable and delete the log afterwards.`,
          data: { fix: 'delete', variable: entry.name },
        });
      }
    }
  },
});
