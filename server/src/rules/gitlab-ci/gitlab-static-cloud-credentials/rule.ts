import { addIdTokens } from './fix';
import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import type { Located } from '../../../model/location';
import { keyOf, pair, scalarSpanAt, scalarText, valueOf } from '../../../model/yaml';
import { child, GitlabPipeline, isDeployJob, signalLines, type GitlabJob } from '../../../pipelines/gitlabCi';
import { compilePattern, DEFAULT_DEPLOY_SIGNALS } from '../../../pipelines/signals';

interface Params {
  token_name: string;
  audience: string;
}

/** Variables that carry long-lived cloud keys (or point at a key file). */
const KEY_VARIABLES: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: 'AWS',
  AWS_SECRET_ACCESS_KEY: 'AWS',
  GOOGLE_APPLICATION_CREDENTIALS: 'Google Cloud',
  GOOGLE_CREDENTIALS: 'Google Cloud',
  ARM_CLIENT_SECRET: 'Azure',
  AZURE_CLIENT_SECRET: 'Azure',
};

/** Writing a static key into the AWS CLI configuration. */
const AWS_CONFIGURE_KEY = /\baws\s+configure\s+set\s+(aws_secret_access_key|aws_access_key_id)\b/;

/** Cloud CLIs: a job running them needs cloud credentials from somewhere. */
const CLOUD_CLI = /(^|[\s;&|(])(aws|gcloud|gsutil|bq|az|eksctl)\s+-{0,2}[a-z]/;

const FEDERATION =
  'Use id_tokens with role assumption instead: AWS `aws sts assume-role-with-web-identity` (or AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE), GCP Workload Identity Federation, Azure federated credentials (ARM_USE_OIDC=true, ARM_OIDC_TOKEN).';

export default defineRule<Params>({
  id: 'gitlab-static-cloud-credentials',
  title: 'GitLab deploy jobs use OIDC ID tokens, not long-lived cloud keys',
  severity: 'high',
  domain: 'gitlab-ci',
  ai: true,
  mappings: { nist: ['IA-5', 'IA-5(7)', 'AC-2'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      token_name: { type: 'string', default: 'CLOUD_ID_TOKEN', description: 'Name of the ID token the quick fix adds under id_tokens.' },
      audience: { type: 'string', default: '', description: 'aud of the ID token the quick fix adds (the audience your cloud trust policy expects); empty inserts a REPLACE_ME placeholder.' },
    },
  },
  fix: addIdTokens,
  check({ file, documents, params, report, unknown }) {
    const signals = DEFAULT_DEPLOY_SIGNALS.map(compilePattern);
    const idTokenFix = { fix: 'insert', key: 'id_tokens', value: { [params.token_name]: { aud: params.audience || 'REPLACE_ME' } }, placeholder: !params.audience };
    // Adding id_tokens does not remove a key: those findings stay until the author deletes it.
    const keyFix = { ...idTokenFix, keysStay: true };
    // A global variable or template shared by several jobs gets one finding, naming every job.
    const findings = new Map<string, { input: ReportInput; jobs: string[]; message: (jobs: string) => string }>();
    const add = (at: Located, job: string, message: (jobs: string) => string, data: Record<string, unknown>) => {
      const key = `${at.uri} ${JSON.stringify(at.range)}`;
      const existing = findings.get(key);
      if (existing) {
        if (!existing.jobs.includes(job)) existing.jobs.push(job);
      } else findings.set(key, { input: { at, message: '', data }, jobs: [job], message });
    };

    for (const pipeline of GitlabPipeline.all(file, documents)) {
      for (const job of pipeline.jobs) {
        const cloudLines = cloudCliLines(job);
        const deploy = isDeployJob(job, signals);
        if (!deploy && cloudLines.length === 0) continue;
        const idTokens = job.get('id_tokens');
        if (idTokens.state === 'unknown') {
          unknown(idTokens.at ?? keyOf(job.pair), `whether job "${job.name}" has id_tokens: ${idTokens.reason}`);
          continue;
        }
        const hasIdTokens = idTokens.state === 'found';
        let keys = 0;

        for (const [name, cloud] of Object.entries(KEY_VARIABLES)) {
          // GOOGLE_APPLICATION_CREDENTIALS next to id_tokens is the usual path of a WIF credential configuration file.
          if (hasIdTokens && name === 'GOOGLE_APPLICATION_CREDENTIALS') continue;
          const v = variablePair(job, name);
          if (v === undefined) continue;
          if ('reason' in v) {
            unknown(v.at, `whether job "${job.name}" sets ${name}: ${v.reason}`);
            continue;
          }
          keys++;
          const text = v.value?.kind === 'scalar' ? (scalarText(v.value) ?? '') : '';
          const reference = /^\$\{?[A-Za-z_]\w*\}?$/.test(text.trim());
          add(
            valueOf(v),
            job.name,
            (jobs) =>
              `${name} gives ${jobs} a long-lived ${cloud} key${reference ? ` (through ${text.trim()}, a CI/CD variable)` : ''}: anyone who can run or edit a pipeline can use or print it, and it stays valid until someone rotates it. ${FEDERATION} Then remove ${name} and delete the key.`,
            keyFix,
          );
        }

        for (const line of signalLines(job, [AWS_CONFIGURE_KEY])) {
          const text = scalarText(line) ?? '';
          const m = AWS_CONFIGURE_KEY.exec(text)!;
          keys++;
          add(
            scalarSpanAt(line, m.index, m.index + m[0].length),
            job.name,
            (jobs) => `"${m[0]}" in ${jobs} configures a long-lived AWS access key. ${FEDERATION}`,
            keyFix,
          );
        }

        if (keys === 0 && !hasIdTokens && cloudLines.length > 0)
          report({
            at: keyOf(job.pair),
            severity: 'info',
            message: `Job "${job.name}" runs a cloud CLI (${(scalarText(cloudLines[0]) ?? '').trim().slice(0, 40)}) with neither id_tokens nor credentials visible in this file: its keys probably come from project or group CI/CD variables, which are long-lived. Prefer id_tokens: { ${params.token_name}: { aud: … } } with role assumption.`,
            data: { ...idTokenFix, jobs: [job.name] },
          });
      }
    }

    for (const { input, jobs, message } of findings.values()) {
      report({ ...input, data: { ...input.data, jobs }, message: message(`job${jobs.length > 1 ? 's' : ''} ${jobs.map((j) => `"${j}"`).join(', ')}`) });
    }
  },
});

function cloudCliLines(job: GitlabJob) {
  return signalLines(job, [CLOUD_CLI]);
}

/** The `variables:` entry a job sees for `name`: its own (and extends) over the top level, honouring `inherit:variables`. */
function variablePair(job: GitlabJob, name: string) {
  const own = job.own('variables');
  if (own.state === 'unknown') return { reason: own.reason, at: own.at ?? keyOf(job.pair) };
  if (own.state === 'found') {
    const v = child(own, name);
    if (v.state === 'found') return v.pair;
    if (v.state === 'unknown') return { reason: v.reason, at: v.at ?? keyOf(job.pair) };
  }
  const inherits = job.inherits('variables', name);
  if (inherits !== true) return typeof inherits === 'object' ? { reason: inherits.reason, at: inherits.at ?? keyOf(job.pair) } : undefined;
  return pair(job.pipeline.globalVariables(), name);
}
