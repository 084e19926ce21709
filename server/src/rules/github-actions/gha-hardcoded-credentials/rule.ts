import { findingDocument, pairChainAt } from '../../../fixes/cifix-pipelines';
import { PLACEHOLDER, type YamlFixContext } from '../../../fixes/types';
import { defineRule, stringListParam } from '../../../engine/rule';
import { asMap, get, pair, scalarText, valueOf, type YamlPair } from '../../../model/yaml';
import { allEnv, expressions, isExpression, workflows } from '../../../pipelines/githubActions';
import { DEFAULT_CREDENTIAL_REGEXES, firstMatch, maskSecret } from '../../../pipelines/signals';

interface Params {
  credential_regexes: string[];
}

/** Expressions that read a secret store: the compliant form. */
const SECRET_REF = /^\s*(secrets\.[\w-]+|github\.token)\s*$/i;

export default defineRule<Params>({
  id: 'gha-hardcoded-credentials',
  title: 'No credentials written into workflow files',
  severity: 'critical',
  domain: 'github-actions',
  mappings: { nist: ['IA-5(7)'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      credential_regexes: stringListParam(
        DEFAULT_CREDENTIAL_REGEXES,
        'Regular expressions (a leading `(?i)` makes one case-insensitive) for values that are credentials by their shape; the same set as k8s-secret-env-literal and gitlab-plaintext-secret-variable.',
      ),
    },
  },
  // The literal goes, but it stays in the git history: the title says to rotate it. The secret's
  // name is the author's to choose (REPLACE_ME), the rule's suggestion goes in the title.
  fix(ctx) {
    const { finding, data } = ctx;
    if (typeof data.secret !== 'string' || passedToReusableWorkflow(ctx)) return [];
    const value = `\${{ secrets.${PLACEHOLDER} }}`;
    return [
      {
        title: `Replace the literal with ${value} (store it as a secret such as ${data.secret}, and rotate the exposed credential)`,
        edits: [{ uri: finding.uri, range: finding.range, newText: value }],
        placeholder: true,
      },
    ];
  },
  check({ documents, params, report, unknown }) {
    const secretName = (s: string) => s.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, '').toUpperCase() || 'CREDENTIAL';
    const fixData = (name: string) => ({ fix: 'set', value: `\${{ secrets.${name} }}`, placeholder: true, secret: name });
    const rotate = 'Rotate the credential now (it stays in the git history) and reference an encrypted secret instead';

    for (const wf of workflows(documents)) {
      for (const job of wf.jobs) {
        // Registry passwords of the job container and of service containers.
        const containers: { what: string; node: ReturnType<typeof get> }[] = [{ what: 'container', node: get(job.map, 'container') }];
        for (const s of asMap(get(job.map, 'services'))?.pairs ?? []) containers.push({ what: `service "${s.key}"`, node: s.value });
        for (const c of containers) {
          const p = pair(get(c.node, 'credentials'), 'password');
          const v = p?.value;
          if (!p || v?.kind !== 'scalar') continue;
          const text = scalarText(v) ?? '';
          if (!text.trim()) continue;
          if (isExpression(v)) {
            const exprs = expressions(v);
            const opaque = exprs.find((e) => !SECRET_REF.test(e.body));
            if (opaque) unknown(valueOf(p), `the ${c.what} registry password is ${opaque.text}, which may hold a literal`);
            continue;
          }
          const name = secretName(`${job.id}_${c.what.replace(/^service "(.*)"$/, '$1')}_registry_password`);
          report({
            at: valueOf(p),
            message: `The ${c.what} of job "${job.id}" has a literal registry password (${maskSecret(text)}) in the workflow file, readable by anyone who can read the repository. ${rotate}: \`password: \${{ secrets.${name} }}\`.`,
            data: fixData(name),
          });
        }
      }

      // Values shaped like credentials in env and with.
      const entries: { what: string; name: string; pair: YamlPair }[] = allEnv(wf).map((e) => ({ what: `${e.level} env ${e.name}`, name: e.name, pair: e.pair }));
      for (const job of wf.jobs) {
        for (const p of asMap(get(job.map, 'with'))?.pairs ?? []) entries.push({ what: `input "${p.key}" of job "${job.id}"`, name: p.key, pair: p });
        for (const step of job.steps) for (const p of step.with?.pairs ?? []) entries.push({ what: `input "${p.key}" of step ${step.index + 1} in job "${job.id}"`, name: p.key, pair: p });
      }
      for (const e of entries) {
        const text = scalarText(e.pair.value);
        if (!text) continue;
        const m = firstMatch(text, params.credential_regexes);
        if (!m) continue;
        const name = secretName(e.name);
        report({
          at: valueOf(e.pair),
          message: `The ${e.what} holds a literal credential (${maskSecret(m.text)}, matching \`${m.pattern}\`). ${rotate}: \`\${{ secrets.${name} }}\`.`,
          data: fixData(name),
        });
      }
    }
  },
});

/**
 * An input of a reusable-workflow call (`jobs.<id>.with`): the `secrets`
 * context is not available there, the value belongs under `secrets:`.
 */
function passedToReusableWorkflow(ctx: YamlFixContext<unknown>): boolean {
  const chain = pairChainAt(findingDocument(ctx)?.root, ctx.finding.range);
  return !!chain && chain.length >= 4 && chain[chain.length - 2]!.pair.key === 'with' && chain[chain.length - 4]!.pair.key === 'jobs';
}
