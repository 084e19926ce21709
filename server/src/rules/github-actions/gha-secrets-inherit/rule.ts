import { defineRule } from '../../../engine/rule';
import { findingDocument, pairChainAt } from '../../../fixes/cifix-pipelines';
import { PLACEHOLDER } from '../../../fixes/types';
import { setPairValue } from '../../../fixes/yaml';
import { pair, str, valueOf, type YamlNode, type YamlScalar } from '../../../model/yaml';
import { expressions, workflows } from '../../../pipelines/githubActions';

export default defineRule({
  id: 'gha-secrets-inherit',
  title: 'Reusable workflows get only the secrets they need',
  severity: 'high',
  domain: 'github-actions',
  mappings: { nist: ['AC-6', 'IA-5'], euAiAct: ['Art.15'] },
  /**
   * Local callees only. The names should come from the callee's
   * on.workflow_call.secrets, but a fix sees only its own file, so the map is
   * written with a REPLACE_ME entry for the author to fill in.
   */
  fix(ctx) {
    if (ctx.data.fix !== 'set' || typeof ctx.data.callee !== 'string') return [];
    const chain = pairChainAt(findingDocument(ctx)?.root, ctx.finding.range);
    const secrets = chain?.[chain.length - 1]?.pair;
    if (secrets?.key !== 'secrets') return [];
    return [
      {
        title: `Replace secrets: inherit with an explicit map (${PLACEHOLDER}: list the secrets ${ctx.data.callee} declares)`,
        edits: [setPairValue(ctx.file, secrets, { [PLACEHOLDER]: `\${{ secrets.${PLACEHOLDER} }}` })],
        placeholder: true,
      },
    ];
  },
  check({ documents, report, unknown }) {
    for (const wf of workflows(documents)) {
      for (const job of wf.jobs) {
        const p = pair(job.map, 'secrets');
        if (!job.uses || !p || str(p.value)?.trim().toLowerCase() !== 'inherit') continue;
        if (job.uses.kind === 'expression') {
          unknown(valueOf(p), `the called workflow ${job.uses.value} is only known at run time`);
          continue;
        }
        const local = job.uses.kind === 'local';
        report({
          at: valueOf(p),
          severity: local ? 'medium' : 'high',
          message: `Job "${job.id}" passes every secret of this repository (\`secrets: inherit\`) to ${local ? 'the local workflow' : 'the remote workflow'} ${job.uses.value}${local ? '' : ', code that another repository controls'}. Pass only the secrets it declares in \`on.workflow_call.secrets\`: \`secrets: { NAME: \${{ secrets.NAME }} }\`.`,
          data: local ? { fix: 'set', key: 'secrets', from: 'callee on.workflow_call.secrets', callee: job.uses.value, job: job.id } : { fix: 'none', reason: 'the secrets a remote workflow needs cannot be known offline', job: job.id },
        });
      }
      for (const s of scalars(wf.root)) {
        for (const e of expressions(s)) {
          if (!/\btojson\s*\(\s*secrets\s*\)/i.test(e.body)) continue;
          report({
            at: e.at,
            message: `${e.text} serialises every secret of the repository into one value, so whatever receives it gets them all, and log masking of the individual values no longer applies to derived text. Reference the secrets this step needs by name (\`\${{ secrets.NAME }}\`).`,
            data: { fix: 'none', reason: 'which secrets are needed is intent' },
          });
        }
      }
    }
  },
});

function* scalars(node: YamlNode | undefined): Generator<YamlScalar> {
  if (!node) return;
  if (node.kind === 'scalar') yield node;
  else if (node.kind === 'seq') for (const i of node.items) yield* scalars(i);
  else for (const p of node.pairs) yield* scalars(p.value);
}
