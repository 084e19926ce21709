import { failClosed } from './fix';
import type { ReportInput } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { pair, scalarSpanAt, scalarText, valueOf } from '../../../model/yaml';
import { isExpression, isLiteralTrue, usesAction, workflows, type Step } from '../../../pipelines/githubActions';
import { compilePattern, DEFAULT_POLICY_ACTIONS, DEFAULT_POLICY_COMMANDS } from '../../../pipelines/signals';

interface Params {
  check_actions: string[];
  check_commands: string[];
}

const SCANNER_ACTIONS = [
  'github/codeql-action/analyze',
  'snyk/actions',
  'anchore/scan-action',
  'gitleaks/gitleaks-action',
  'trufflesecurity/trufflehog',
  'returntocorp/semgrep-action',
  'aquasecurity/tfsec-action',
  'tenable/terrascan-action',
];

const SCANNER_COMMANDS = [
  '\\btrivy\\s+(image|fs|repo|rootfs|sbom|k8s)\\b',
  '\\bgrype\\b',
  '\\bsnyk\\s+(test|iac\\s+test|container\\s+test)\\b',
  '\\bsemgrep\\b',
  '\\bgitleaks\\b',
  '\\btrufflehog\\b',
  '\\bbandit\\b',
  '\\btfsec\\b',
  '\\bterrascan\\b',
  '\\bmodelscan\\b',
];

export default defineRule<Params>({
  id: 'gha-continue-on-error-checks',
  title: 'Security and policy checks can fail the pipeline',
  severity: 'high',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['CM-3', 'SA-11', 'CA-7'], euAiAct: ['Art.9', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      check_actions: stringListParam(
        [...DEFAULT_POLICY_ACTIONS, ...SCANNER_ACTIONS],
        'Actions (`owner/repo` or `owner/repo/path`, case-insensitive) that run a policy check or a security scanner.',
      ),
      check_commands: stringListParam(
        [...DEFAULT_POLICY_COMMANDS, ...SCANNER_COMMANDS],
        'Regular expressions over `run` text that run a policy check or a security scanner.',
      ),
    },
  },
  fix: failClosed,
  check({ documents, params, report, unknown }) {
    const commands = params.check_commands.map((c) => compilePattern(c));
    const checkAction = (s: Step) => {
      const uses = s.uses;
      return uses?.kind === 'remote' && params.check_actions.some((a) => usesAction(uses, a) || uses.slug.toLowerCase() === a.toLowerCase());
    };
    const checkCommand = (s: Step) => {
      const run = s.run && scalarText(s.run);
      if (!run) return undefined;
      for (const re of commands) {
        const m = re.exec(run);
        if (m) return { index: m.index, text: m[0], run };
      }
      return undefined;
    };
    const describe = (s: Step) => (checkAction(s) && s.uses?.kind === 'remote' ? s.uses.name : checkCommand(s)?.text);
    const flagged = (at: Located, what: string, how: string, fix: ReportInput['data']): ReportInput => ({
      at,
      message: `${what} cannot fail the pipeline (${how}), so a violation or vulnerability it finds is logged and the build, image or model continues to be promoted. Let the check fail the job; record accepted findings as reviewed suppressions or baselines instead.`,
      data: fix,
    });

    for (const wf of workflows(documents)) {
      for (const job of wf.jobs) {
        const checks = job.steps.filter((s) => checkAction(s) || checkCommand(s));
        if (checks.length === 0) continue;
        const jobCoe = pair(job.map, 'continue-on-error');
        if (jobCoe && isExpression(jobCoe.value)) unknown(valueOf(jobCoe), `continue-on-error of job "${job.id}" is only known at run time`);
        else if (jobCoe && isLiteralTrue(jobCoe.value))
          report(flagged(valueOf(jobCoe), `Job "${job.id}" runs ${describe(checks[0]!)} but`, '`continue-on-error: true` on the job', { fix: 'set', key: 'continue-on-error', value: false, job: job.id }));

        for (const step of checks) {
          const what = `${describe(step)} in job "${job.id}"`;
          const coe = pair(step.map, 'continue-on-error');
          if (coe && isExpression(coe.value)) unknown(valueOf(coe), `continue-on-error of ${what} is only known at run time`);
          else if (coe && isLiteralTrue(coe.value)) report(flagged(valueOf(coe), what, '`continue-on-error: true`', { fix: 'set', key: 'continue-on-error', value: false, job: job.id, step: step.index }));

          const cmd = checkCommand(step);
          if (cmd && step.run) {
            const lineEnd = cmd.run.indexOf('\n', cmd.index);
            const rest = cmd.run.slice(cmd.index, lineEnd < 0 ? undefined : lineEnd);
            const orTrue = /\|\|\s*(true|:|exit\s+0)\b/.exec(rest);
            if (orTrue) {
              const s = cmd.index + orTrue.index;
              report(flagged(scalarSpanAt(step.run, s, s + orTrue[0].length), what, `\`${orTrue[0]}\``, { fix: 'delete', text: orTrue[0], job: job.id, step: step.index }));
            }
            const before = cmd.run.slice(0, cmd.index);
            const setE = [...before.matchAll(/\bset\s+([+-])e\b/g)].pop();
            if (setE?.[1] === '+') {
              report(flagged(scalarSpanAt(step.run, setE.index!, setE.index! + setE[0].length), what, '`set +e` before it', { fix: 'delete', text: setE[0], job: job.id, step: step.index }));
            }
            const soft = /\bcheckov\b[^\n]*?(--soft-fail)(?![-\w])/.exec(cmd.run);
            if (soft) {
              const s = soft.index + soft[0].length - soft[1]!.length;
              report(flagged(scalarSpanAt(step.run, s, s + soft[1]!.length), what, '`--soft-fail`', { fix: 'delete', text: '--soft-fail', job: job.id, step: step.index }));
            }
          }
          if (usesAction(step.uses, 'bridgecrewio/checkov-action')) {
            const sf = pair(step.with, 'soft_fail');
            if (sf && isExpression(sf.value)) unknown(valueOf(sf), 'soft_fail is only known at run time');
            else if (sf && isLiteralTrue(sf.value)) report(flagged(valueOf(sf), what, '`soft_fail: true`', { fix: 'set', key: 'with.soft_fail', value: false, job: job.id, step: step.index }));
          }
          if (usesAction(step.uses, 'aquasecurity/trivy-action')) {
            const ec = pair(step.with, 'exit-code');
            const config = pair(step.with, 'trivy-config');
            if (ec && isExpression(ec.value)) unknown(valueOf(ec), 'exit-code is only known at run time');
            else if (ec && String(scalarText(ec.value) ?? '').trim() === '0')
              report(flagged(valueOf(ec), what, '`exit-code: 0`', { fix: 'set', key: 'with.exit-code', value: '1', job: job.id, step: step.index }));
            else if (!ec && config) unknown(valueOf(config), 'the exit code may be set in the trivy-config file');
            else if (!ec) report(flagged(step.at, what, 'no `exit-code`: Trivy exits 0 on findings by default', { fix: 'insert', key: 'with.exit-code', value: '1', job: job.id, step: step.index }));
          }
        }
      }
    }
  },
});
