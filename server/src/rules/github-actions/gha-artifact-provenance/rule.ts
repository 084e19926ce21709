import { attestProvenance } from './fix';
import { defineRule, stringListParam } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { get, pair, scalarText, str, valueOf } from '../../../model/yaml';
import {
  environmentOf,
  isExpression,
  isLiteralTrue,
  needsClosure,
  usesAction,
  workflows,
  type Job,
  type Step,
  type Workflow,
} from '../../../pipelines/githubActions';
import { compilePattern, DEFAULT_PROD_PATTERN, matchesAny } from '../../../pipelines/signals';

interface Params {
  model_publish_commands: string[];
  accepted_provenance: string[];
  prod_patterns: string[];
}

const PUSH_COMMANDS = [/\bdocker\s+push\b/, /\bcrane\s+(push|copy)\b/];
const PROMOTION = /\bcrane\s+copy\b/;
/** Attestation actions must name what they attest. */
const ATTEST_ACTIONS = ['actions/attest-build-provenance', 'actions/attest'];
const SUBJECT_INPUTS = ['subject-digest', 'subject-path', 'subject-checksums'];

export default defineRule<Params>({
  id: 'gha-artifact-provenance',
  title: 'Pushed images and published models carry provenance',
  severity: 'medium',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['SR-4', 'SR-4(3)', 'CM-14', 'SI-7'], euAiAct: ['Art.12', 'Art.15'], scorecard: ['Signed-Releases'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      model_publish_commands: stringListParam(
        [
          '\\b(huggingface-cli|hf)\\s+upload\\b',
          '\\baws\\s+s3\\s+(cp|sync)\\b[^\\n]*s3://[^\\s]*model',
          '\\bgsutil\\s+(-m\\s+)?(cp|rsync)\\b[^\\n]*gs://[^\\s]*model',
          '\\bgcloud\\s+storage\\s+cp\\b[^\\n]*gs://[^\\s]*model',
          '\\baz\\s+storage\\s+blob\\s+upload(-batch)?\\b[^\\n]*model',
        ],
        'Regular expressions over `run` text that publish model artifacts.',
      ),
      accepted_provenance: stringListParam(
        ['^actions/attest-build-provenance$', '^actions/attest$', '^slsa-framework/slsa-github-generator/', '\\bcosign\\s+(sign|attest)\\b'],
        'Regular expressions matched against action names (`owner/repo[/path]`) and `run` text of steps that produce provenance or signatures. `actions/attest*` must also name a subject (`subject-digest`, `subject-path` or `subject-checksums`).',
      ),
      prod_patterns: stringListParam([DEFAULT_PROD_PATTERN], 'Regular expressions for job ids and environment names that mean production (high severity).'),
    },
  },
  fix: attestProvenance,
  check({ documents, params, report, unknown }) {
    const publish = params.model_publish_commands.map(compilePattern);
    const accepted = params.accepted_provenance.map(compilePattern);
    const provenanceStep = (s: Step): boolean => {
      if (s.uses?.kind === 'remote') {
        const name = s.uses.name;
        if (!accepted.some((re) => re.test(name))) return false;
        if (ATTEST_ACTIONS.some((a) => usesAction(s.uses, a))) return SUBJECT_INPUTS.some((i) => get(s.with, i));
        return true;
      }
      const run = s.run && scalarText(s.run);
      return !!run && accepted.some((re) => re.test(run));
    };

    for (const wf of workflows(documents)) {
      for (const job of wf.jobs) {
        for (const step of job.steps) {
          const push = pushOf(step, publish);
          if (!push) continue;
          if (push.unknown) {
            unknown(push.at, push.unknown);
            continue;
          }
          if (step.uses && usesAction(step.uses, 'docker/build-push-action')) {
            const prov = pair(step.with, 'provenance');
            const sbom = pair(step.with, 'sbom');
            if (isExpression(prov?.value) || isExpression(sbom?.value)) {
              unknown(valueOf((isExpression(prov?.value) ? prov : sbom)!), 'provenance/sbom of docker/build-push-action are only known at run time');
              continue;
            }
            if (/\bmode=max\b/.test(scalarText(prov?.value) ?? '') && isLiteralTrue(sbom?.value)) continue;
          }
          // Provenance in this job, or in a job that runs after it.
          const later = wf.jobs.filter((j) => j === job || needsClosure(wf, j).includes(job));
          if (later.some((j) => j.steps.some(provenanceStep))) continue;
          const prod = prodReason(wf, job, params.prod_patterns) ?? (push.promotion ? 'it promotes an existing image' : undefined);
          const build = job.steps.find((s) => s.id && usesAction(s.uses, 'docker/build-push-action'));
          report({
            at: step.at,
            severity: prod ? 'high' : 'medium',
            message: `Job "${job.id}" ${push.what}${prod ? ` (${prod})` : ''} without provenance: nothing records which commit, workflow and inputs produced it, so a deployed model or image cannot be traced back or told apart from a substitute. Add \`actions/attest-build-provenance\` with \`subject-digest\` of the pushed digest (permissions \`id-token: write\`, \`attestations: write\`), sign with \`cosign sign\`/\`cosign attest\`, or set \`provenance: mode=max\` and \`sbom: true\` on docker/build-push-action.`,
            data: {
              fix: 'add-step',
              template: 'QF-11',
              subjectDigest: build ? `\${{ steps.${build.id}.outputs.digest }}` : null,
              jobPermissions: { 'id-token': 'write', attestations: 'write' },
              placeholder: !build,
              job: job.id,
              after: step.index,
            },
          });
        }
      }
    }
  },
});

interface Push {
  readonly what: string;
  readonly at: Located;
  readonly promotion: boolean;
  readonly unknown?: string;
}

function pushOf(step: Step, publish: readonly RegExp[]): Push | undefined {
  if (usesAction(step.uses, 'docker/build-push-action')) {
    const p = pair(step.with, 'push');
    if (p && isExpression(p.value)) return { what: '', at: valueOf(p), promotion: false, unknown: `push of docker/build-push-action is ${str(p.value)}, only known at run time` };
    return isLiteralTrue(p?.value) ? { what: 'pushes an image with docker/build-push-action', at: step.at, promotion: false } : undefined;
  }
  const run = step.run && scalarText(step.run);
  if (!run || !step.run) return undefined;
  for (const re of PUSH_COMMANDS) {
    const m = re.exec(run);
    if (m) return { what: `pushes an image (\`${m[0]}\`)`, at: step.at, promotion: PROMOTION.test(m[0]) };
  }
  for (const re of publish) {
    const m = re.exec(run);
    if (m) return { what: `publishes a model artifact (\`${m[0].split(/\s+/).slice(0, 3).join(' ')}\`)`, at: step.at, promotion: false };
  }
  return undefined;
}

function prodReason(wf: Workflow, job: Job, patterns: readonly string[]): string | undefined {
  if (matchesAny(job.id, patterns)) return `production job "${job.id}"`;
  const env = environmentOf(job);
  if (env?.name && !env.expression && matchesAny(env.name, patterns)) return `production environment "${env.name}"`;
  if (wf.triggers.some((t) => t.event === 'release')) return 'a release';
  const tagPush = wf.triggers.find((t) => t.event === 'push' && get(t.config, 'tags'));
  if (tagPush) return 'a tag release';
  return undefined;
}
