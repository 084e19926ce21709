import { defineRule } from '../../../engine/rule';
import { deleteEntry, findingDocument, pairChainAt } from '../../../fixes/cifix-pipelines';
import { scalarText, valueOf } from '../../../model/yaml';
import { allEnv, isExpression, workflows } from '../../../pipelines/githubActions';

/** Values the runner reads as true (`StringUtil.ConvertToBoolean`: `true`, `1`, `$true`, any case). */
const TRUE = /^(true|1|\$true)$/i;

export default defineRule({
  id: 'gha-insecure-commands',
  title: 'Deprecated workflow commands `set-env`/`add-path` stay disabled',
  severity: 'high',
  domain: 'github-actions',
  mappings: { nist: ['SI-10', 'CM-7'], euAiAct: ['Art.15'] },
  fix(ctx) {
    const chain = pairChainAt(findingDocument(ctx)?.root, ctx.finding.range);
    if (!chain) return [];
    return [{ title: `Remove ${String(ctx.data.key)} from the ${String(ctx.data.level)} env`, edits: [deleteEntry(ctx, chain)] }];
  },
  check({ documents, report, unknown }) {
    for (const wf of workflows(documents)) {
      for (const e of allEnv(wf)) {
        if (e.name.toUpperCase() !== 'ACTIONS_ALLOW_UNSECURE_COMMANDS') continue;
        if (isExpression(e.value)) {
          unknown(valueOf(e.pair), `ACTIONS_ALLOW_UNSECURE_COMMANDS is ${scalarText(e.value)}, only known at run time`);
          continue;
        }
        const text = scalarText(e.value)?.trim();
        if (!text || !TRUE.test(text)) continue;
        report({
          at: valueOf(e.pair),
          message: `ACTIONS_ALLOW_UNSECURE_COMMANDS: ${text} (${e.level} env) re-enables the \`::set-env\` and \`::add-path\` commands, so any tool that prints attacker-controlled text to the log can set environment variables or PATH for later steps. Remove the entry and write to \`$GITHUB_ENV\`/\`$GITHUB_PATH\` instead.`,
          data: { fix: 'delete', key: e.name, level: e.level },
        });
      }
    }
  },
});
