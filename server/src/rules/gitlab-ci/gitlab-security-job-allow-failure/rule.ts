import { failClosed } from './fix';
import type { ReportInput } from '../../../engine/finding';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { keyOf, pair, scalarSpanAt, scalarText, type YamlNode, type YamlScalar } from '../../../model/yaml';
import { child, GitlabJob, GitlabPipeline, isFalse, isTrue, type Found, type Lookup } from '../../../pipelines/gitlabCi';
import { compilePattern, DEFAULT_POLICY_COMMANDS, DEFAULT_POLICY_GATE_JOB_PATTERN } from '../../../pipelines/signals';

interface Params {
  security_job_patterns: string[];
  check_commands: string[];
}

/** Job names of GitLab's security scanning jobs (and of their hidden base jobs), and policy gates. */
export const DEFAULT_SECURITY_JOB_PATTERNS: readonly string[] = [
  DEFAULT_POLICY_GATE_JOB_PATTERN,
  '(?i)^(sast|dast|secret[-_]detection|dependency[-_]scanning|container[-_]scanning|license[-_]scanning|api[-_]fuzzing|coverage[-_]fuzzing)$',
  '(?i)^\\.?[a-z0-9][a-z0-9_-]*[-_](sast|dependency[-_]scanning|container[-_]scanning|secret[-_]detection)$',
  '(?i)^\\.(sast|secret|ds)[-_]analyzer$',
];

/** Policy commands (catalog §4 `policy_gate`) and common scanners. */
export const DEFAULT_CHECK_COMMANDS: readonly string[] = [
  ...DEFAULT_POLICY_COMMANDS,
  '\\btrivy\\s+(image|fs|filesystem|repo|repository|rootfs|k8s|kubernetes|sbom|vm)\\b',
  '\\bgrype\\b',
  '\\bsemgrep\\b',
  '\\bgitleaks\\s+(detect|git|dir|protect)\\b',
  '\\btfsec\\b',
  '\\bkics\\s+scan\\b',
  '\\bsnyk\\s+(test|iac|container|code)\\b',
  '\\bbandit\\b',
  '\\bhadolint\\b',
];

/** GitLab-managed security templates (`include: template:`); their analyzer jobs set `allow_failure: true`. */
const SECURITY_TEMPLATE = /(^|\/)(SAST|SAST-IaC|Secret-Detection|Dependency-Scanning|Container-Scanning|DAST|License-Scanning|API-Fuzzing|Coverage-Fuzzing)(\.latest)?\.gitlab-ci\.yml$/i;

/** A shell suffix that turns a failing command into a success. */
const SWALLOW = /\|\|\s*(true\b|:(?=\s|$|;)|exit\s+0\b|echo\b[^;&|]*)/;

/** zizmor exits 10–14 when it has findings (by severity), 1 on errors. */
const ZIZMOR_CODES = [1, 10, 11, 12, 13, 14];

interface Scanner {
  readonly line: YamlScalar;
  readonly text: string;
  /** Where the command starts in the line. */
  readonly index: number;
  readonly command: string;
}

export default defineRule<Params>({
  id: 'gitlab-security-job-allow-failure',
  title: 'GitLab security and policy jobs fail the pipeline when they find something',
  severity: 'high',
  domain: 'gitlab-ci',
  ai: true,
  mappings: { nist: ['CM-3', 'SA-11', 'CA-7'], euAiAct: ['Art.9', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      security_job_patterns: stringListParam(
        DEFAULT_SECURITY_JOB_PATTERNS,
        'Regular expressions (a leading (?i) makes one case-insensitive) for the names of security and policy jobs, matched against the job id and every name in its extends chain.',
      ),
      check_commands: stringListParam(
        DEFAULT_CHECK_COMMANDS,
        'Regular expressions over script lines that run a policy check or a scanner; a job running one is a security job.',
      ),
    },
  },
  fix: failClosed,
  check({ file, documents, params, report, unknown }) {
    const names = params.security_job_patterns.map(compilePattern);
    const commands = params.check_commands.map(compilePattern);
    // A template shared by several jobs gets one finding per problem, naming every job.
    const findings = new Map<string, { input: Omit<ReportInput, 'message'>; jobs: string[]; message: (jobs: string) => string }>();
    const add = (at: Located, job: string, message: (jobs: string) => string, data: Record<string, unknown>) => {
      const key = `${at.uri} ${JSON.stringify(at.range)}`;
      const existing = findings.get(key);
      if (existing) {
        if (!existing.jobs.includes(job)) existing.jobs.push(job);
      } else findings.set(key, { input: { at, data }, jobs: [job], message });
    };

    for (const pipeline of GitlabPipeline.all(file, documents)) {
      const securityJobs: GitlabJob[] = [];
      for (const job of [...pipeline.jobs, ...pipeline.templates]) {
        const scanners = scannerLines(job, commands);
        const byName = [job.name, ...extendsNames(job)].some((n) => names.some((p) => p.test(n)));
        if (!byName && scanners.length === 0) continue;
        securityJobs.push(job);
        const label = `${job.hidden ? 'template' : 'job'} "${job.name}"`;

        // allow_failure at job level, then in rules: entries (a rule's value wins when it matches).
        const allow = job.own('allow_failure');
        const rules = job.own('rules');
        const ruleAllows: Lookup[] = [];
        if (rules.state === 'found')
          for (const r of pipeline.flatten(rules.node).items) {
            const p = pair(r, 'allow_failure');
            if (p) ruleAllows.push(pipeline.valueOf('allow_failure', p, rules.origin));
          }
        for (const a of [allow, ...ruleAllows]) {
          if (a.state === 'unknown') {
            unknown(a.at ?? keyOf(job.pair), `allow_failure of ${label}: ${a.reason}`);
            continue;
          }
          if (a.state !== 'found' || isFalse(a)) continue;
          if (isTrue(a)) {
            add(
              a.node,
              job.name,
              (jobs) =>
                `allow_failure: true on security/policy ${jobs}: when the check finds a violation or cannot run, the pipeline still passes and later stages (deploys included) go ahead. Set allow_failure: false so the finding blocks the pipeline.`,
              { fix: 'set', key: 'allow_failure', value: false },
            );
            continue;
          }
          if (a.node.kind === 'map') checkExitCodes(a, job, label, scanners, add, unknown);
        }

        for (const s of scanners) checkCommand(s, job, add, unknown);
      }

      // Managed templates are not bundled: their analyzer jobs' allow_failure cannot be read here.
      const overridden = securityJobs.some((j) => isFalse(j.own('allow_failure')));
      for (const inc of pipeline.includes()) {
        if (inc.type !== 'template' || inc.value.kind !== 'scalar' || overridden) continue;
        const name = scalarText(inc.value) ?? '';
        if (!SECURITY_TEMPLATE.test(name)) continue;
        report({
          at: inc.value,
          severity: 'info',
          message: `The analyzer jobs of the GitLab-managed template ${name} run with allow_failure: true (the SAST template sets it on .sast-analyzer), so a failing scan does not stop the pipeline; Plumbline does not bundle the template and cannot check the jobs. Override allow_failure: false for the analyzer jobs in this file (for example on .sast-analyzer).`,
          data: { fix: 'none', reason: 'template source not bundled', template: name },
        });
      }
    }

    for (const { input, jobs, message } of findings.values()) {
      const list = jobs.map((j) => `"${j}"`).join(', ');
      report({ ...input, message: message(`job${jobs.length > 1 ? 's' : ''} ${list}`) });
    }
  },
});

type Add = (at: Located, job: string, message: (jobs: string) => string, data: Record<string, unknown>) => void;
type UnknownFn = (at: Located, origin: string) => void;

function extendsNames(job: GitlabJob): string[] {
  return job.layers().flatMap((l) => ('missing' in l ? [l.missing] : l.origin.kind === 'extends' ? [l.origin.name] : []));
}

function scannerLines(job: GitlabJob, commands: readonly RegExp[]): Scanner[] {
  const out: Scanner[] = [];
  for (const key of ['before_script', 'script'] as const)
    for (const line of job.scriptLines(key).lines) {
      const text = scalarText(line);
      if (text === undefined) continue;
      for (const c of commands) {
        const m = c.exec(text);
        if (m) {
          out.push({ line, text, index: m.index, command: m[0] });
          break;
        }
      }
    }
  return out;
}

/** The exit codes that mean "the check failed" for the scanners a job runs; undefined when unknown. */
function failureCodes(job: GitlabJob, scanners: readonly Scanner[]): number[] | undefined {
  if (scanners.length === 0) return [1]; // a security job by name: every scanner and analyzer fails with 1
  const codes = new Set<number>();
  for (const s of scanners) {
    if (/\bzizmor\b/.test(s.command)) ZIZMOR_CODES.forEach((c) => codes.add(c));
    else if (/\btrivy\b/.test(s.command)) {
      const flag = /--exit-code[=\s]+(\S+)/.exec(s.text.slice(s.index));
      if (!flag) continue; // exits 0 on findings: reported as a missing --exit-code
      const value = job.expand(flag[1]!).known;
      if (value === undefined || !/^\d+$/.test(value)) return undefined;
      if (Number(value) !== 0) codes.add(Number(value));
    } else codes.add(1);
  }
  return [...codes];
}

function checkExitCodes(a: Found, job: GitlabJob, label: string, scanners: readonly Scanner[], add: Add, unknown: UnknownFn): void {
  const exit = child(a, 'exit_codes');
  if (exit.state === 'unknown') return unknown(exit.at ?? a.node, `allow_failure.exit_codes of ${label}: ${exit.reason}`);
  if (exit.state !== 'found') return;
  const items: YamlNode[] = exit.node.kind === 'seq' ? job.pipeline.flatten(exit.node).items : [exit.node];
  const allowed = new Set<number>();
  for (const i of items) {
    const text = scalarText(i);
    if (text === undefined || !/^\d+$/.test(text)) return unknown(i, `allow_failure.exit_codes of ${label} is not a literal number`);
    allowed.add(Number(text));
  }
  const codes = failureCodes(job, scanners);
  if (codes === undefined) return unknown(exit.node, `the exit code of the scanner in ${label} is not known`);
  const covered = codes.filter((c) => allowed.has(c));
  if (covered.length === 0) return;
  add(
    exit.node,
    job.name,
    (jobs) =>
      `allow_failure: exit_codes on security/policy ${jobs} lets the job fail with ${covered.join(', ')}, the code${covered.length > 1 ? 's' : ''} its check exits with when it finds a violation, so findings do not stop the pipeline. Remove these codes (keep only codes for infrastructure errors), or set allow_failure: false.`,
    { fix: 'set', key: 'allow_failure', value: false, coveredExitCodes: covered },
  );
}

function checkCommand(s: Scanner, job: GitlabJob, add: Add, unknown: UnknownFn): void {
  const after = s.text.slice(s.index);
  const swallow = SWALLOW.exec(after);
  if (swallow) {
    const start = s.index + swallow.index;
    add(
      scalarSpanAt(s.line, start, start + swallow[0].trimEnd().length),
      job.name,
      (jobs) =>
        `"${swallow[0].trim()}" after "${s.command}" in ${jobs} turns every failure of the check into success: violations never fail the job. Remove it and let the command's exit code fail the job.`,
      { fix: 'delete', text: swallow[0].trimEnd() },
    );
  }
  if (/\bcheckov\b/.test(s.command)) {
    const soft = /(^|\s)(--soft-fail|-s)(?=\s|$)/.exec(after);
    if (soft) {
      const start = s.index + soft.index + soft[1]!.length;
      add(
        scalarSpanAt(s.line, start, start + soft[2]!.length),
        job.name,
        (jobs) => `checkov ${soft[2]} in ${jobs} makes checkov exit 0 whatever it finds, so failed checks never fail the pipeline. Remove ${soft[2]}; to tolerate specific checks use --skip-check or --soft-fail-on with those check ids.`,
        { fix: 'delete', text: soft[2] },
      );
    }
  }
  if (/\btrivy\b/.test(s.command)) {
    const flag = /--exit-code(?:=|\s+)(\S+)/.exec(after);
    if (!flag) {
      if (/(^|\s)(--config|-c)(=|\s)/.test(after) || job.expand('$TRIVY_EXIT_CODE').known !== undefined) return;
      add(
        scalarSpanAt(s.line, s.index, s.index + s.command.length),
        job.name,
        (jobs) => `"${s.command}" in ${jobs} has no --exit-code: Trivy exits 0 even when it finds vulnerabilities or misconfigurations, so the job always passes. Add --exit-code 1 (with --severity to choose what fails).`,
        { fix: 'insert', after: s.command, text: ' --exit-code 1' },
      );
      return;
    }
    const value = job.expand(flag[1]!).known;
    const valueStart = s.index + flag.index + flag[0].length - flag[1]!.length;
    if (value === undefined) return unknown(scalarSpanAt(s.line, valueStart, valueStart + flag[1]!.length), `trivy --exit-code ${flag[1]} depends on a variable not defined in this file`);
    if (/^0+$/.test(value))
      add(
        scalarSpanAt(s.line, valueStart, valueStart + flag[1]!.length),
        job.name,
        (jobs) => `trivy --exit-code 0 in ${jobs} makes Trivy exit 0 whatever it finds, so the job always passes. Use --exit-code 1.`,
        { fix: 'set', text: '1' },
      );
  }
}
