import { defineRule, stringListParam } from '../../../engine/rule';
import { get, items, pair, str, valueOf, type YamlNode } from '../../../model/yaml';
import { FORK_REACHABLE_TRIGGERS, isExpression, workflows } from '../../../pipelines/githubActions';

interface Params {
  self_hosted_labels: string[];
  repository_visibility: 'auto' | 'public' | 'private';
}

export default defineRule<Params>({
  id: 'gha-self-hosted-runner-public',
  title: 'No self-hosted runners for fork-reachable workflows of public repositories',
  severity: 'critical',
  domain: 'github-actions',
  mappings: { nist: ['AC-3', 'SC-39', 'CM-7'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      self_hosted_labels: stringListParam(['self-hosted'], 'Runner labels (case-insensitive) that select self-hosted runners, e.g. `gpu`, `linux-a100`.'),
      repository_visibility: {
        type: 'string',
        enum: ['auto', 'public', 'private'],
        default: 'auto',
        description: 'Visibility of the repository. `auto`: not known offline, so findings are info notes; `public`: critical; `private`: no findings.',
      },
    },
  },
  check({ documents, params, report, unknown }) {
    if (params.repository_visibility === 'private') return;
    const selfHosted = new Set(params.self_hosted_labels.map((l) => l.toLowerCase()));
    for (const wf of workflows(documents)) {
      const trigger = wf.triggers.find((t) => FORK_REACHABLE_TRIGGERS.includes(t.event));
      if (!trigger) continue;
      for (const job of wf.jobs) {
        const p = pair(job.map, 'runs-on');
        if (!p?.value) continue;
        const { labels, group, expression } = runnerLabels(p.value);
        const label = labels.find((l) => selfHosted.has(l.toLowerCase()));
        if (!label) {
          if (expression) unknown(valueOf(p), `runs-on of job "${job.id}" is only known at run time`);
          else if (group && labels.length === 0) unknown(valueOf(p), `runner group "${group}" may hold self-hosted or GitHub-hosted larger runners`);
          continue;
        }
        const known = params.repository_visibility === 'public';
        report({
          at: valueOf(p),
          severity: known ? 'critical' : 'info',
          message:
            `Job "${job.id}" runs on a self-hosted runner (label "${label}") in a workflow triggered by \`${trigger.event}\`` +
            (known
              ? ': in a public repository anyone can open a pull request or issue that runs code on that machine, and a persistent runner keeps what they leave behind (credentials, poisoned caches, model files).'
              : '. If the repository is public, anyone can run code on that machine; set repository_visibility to say which it is.') +
            ' Use GitHub-hosted or ephemeral, isolated runners for fork-reachable events, or require approval before the job runs.',
          related: [{ at: trigger.at, message: `fork-reachable trigger \`${trigger.event}\`` }],
          data: { fix: 'none', reason: 'move the job to GitHub-hosted/ephemeral runners or gate it with approval', job: job.id },
        });
      }
    }
  },
});

/** The labels of `runs-on`: a string, a list, or `{group, labels}`. */
function runnerLabels(v: YamlNode): { labels: string[]; group?: string; expression: boolean } {
  const labelsOf = (n: YamlNode | undefined) => (n?.kind === 'seq' ? items(n) : n ? [n] : []);
  if (v.kind === 'map') {
    const ls = labelsOf(get(v, 'labels'));
    return {
      labels: ls.map(str).filter((s): s is string => !!s),
      group: str(get(v, 'group')),
      expression: ls.some(isExpression) || isExpression(get(v, 'group')),
    };
  }
  const ls = labelsOf(v);
  return { labels: ls.map(str).filter((s): s is string => !!s && !s.includes('${{')), expression: ls.some(isExpression) };
}
