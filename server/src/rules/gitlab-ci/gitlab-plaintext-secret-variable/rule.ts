import { defineRule, stringListParam } from '../../../engine/rule';
import { scalarText } from '../../../model/yaml';
import { expandEntry, GITLAB_TOKEN_REGEXES, GitlabPipeline, variableEntries, type VariableEntry } from '../../../pipelines/gitlabCi';
import { compilePattern, DEFAULT_CREDENTIAL_REGEXES, DEFAULT_SECRET_NAME_PATTERNS } from '../../../pipelines/signals';

interface Params {
  secret_name_patterns: string[];
  credential_regexes: string[];
}

/** A value that is only references to other variables (`$TOKEN`, `${A}${B}`): the secret lives elsewhere. */
const ONLY_REFERENCES = /^(\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*)+$/;

/** The text written around variable references, where a literal credential could sit. */
const REFERENCE = /\$\$|\$\{[A-Za-z_][A-Za-z0-9_]*\}|\$[A-Za-z_][A-Za-z0-9_]*/g;

/**
 * Names that say what the value is *about*, not a secret itself: `TOKEN_URL`,
 * `AWS_ACCESS_KEY_ID`, `DB_PASSWORD_FILE` (a path). The shared name patterns
 * also match a secret word followed by `_`, so these are set apart here.
 */
const NON_SECRET_SUFFIX = /[_-](ID|NAME|FILE|PATH|DIR|URL|URI|HOST|ENDPOINT|USER|USERNAME|TYPE|HEADER|REGION|ARN|LENGTH|TTL|EXPIRY|EXPIRES_AT)$/i;

const ADVICE =
  'Remove it from the file, rotate it (it stays in the Git history), and store it as a masked and protected CI/CD variable (Settings → CI/CD → Variables) or fetch it with secrets: from Vault, Azure Key Vault or GCP Secret Manager; then reference it as $NAME.';

export default defineRule<Params>({
  id: 'gitlab-plaintext-secret-variable',
  title: 'GitLab CI variables do not hold secrets in clear text',
  severity: 'critical',
  domain: 'gitlab-ci',
  mappings: { nist: ['IA-5(7)', 'SC-28'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      secret_name_patterns: stringListParam(
        DEFAULT_SECRET_NAME_PATTERNS,
        'Regular expressions (a leading (?i) makes one case-insensitive) for variable names that hold a secret. Such a variable must not have a literal non-empty value.',
      ),
      credential_regexes: stringListParam(
        [...DEFAULT_CREDENTIAL_REGEXES, ...GITLAB_TOKEN_REGEXES],
        'Regular expressions for values that are credentials whatever the variable is called (cloud keys, GitHub/GitLab/Slack tokens, private keys, AI provider keys).',
      ),
    },
  },
  check({ file, documents, params, report, unknown }) {
    const secretNames = params.secret_name_patterns.map(compilePattern);
    const credentials = params.credential_regexes.map(compilePattern);
    for (const pipeline of GitlabPipeline.all(file, documents)) {
      for (const entry of variableEntries(pipeline)) {
        if (!entry.value) continue;
        const raw = scalarText(entry.value);
        if (raw === undefined || raw.trim() === '') continue;
        const where = describe(entry);
        const literalParts = raw.replace(REFERENCE, ' ');
        const credential = credentials.find((c) => c.test(literalParts));
        if (credential) {
          report({
            at: entry.value,
            message: `The value of ${entry.name} in ${where} is a credential (it matches ${credential.source}), written in clear text in the repository: anyone who can read the repository or its history has it. ${ADVICE}`,
            data: { fix: 'delete', autoApply: false, variable: entry.name, reason: 'rotate the credential and move it to a masked, protected CI/CD variable or secrets:' },
          });
          continue;
        }
        if (!secretNames.some((p) => p.test(entry.name)) || NON_SECRET_SUFFIX.test(entry.name) || ONLY_REFERENCES.test(raw.trim())) continue;
        const references = (raw.match(REFERENCE) ?? []).filter((r) => r !== '$$');
        if (references.length > 0 && expandEntry(pipeline, entry, raw).known === undefined) {
          // Literal text next to a variable not in this file (`prefix$SUFFIX`): whether the literal part is secret is unknown.
          unknown(entry.value, `${entry.name} mixes literal text with variables not defined in this file`);
          continue;
        }
        report({
          at: entry.value,
          message: `${entry.name} in ${where} looks like a secret (its name matches secret_name_patterns) and has a literal value (masked here) written in the repository, where every reader and the Git history keep it. ${ADVICE}`,
          data: { fix: 'delete', autoApply: false, variable: entry.name, reason: 'rotate the secret and move it to a masked, protected CI/CD variable or secrets:' },
        });
      }
    }
  },
});

function describe(entry: VariableEntry): string {
  if (entry.job) return `${entry.scope === 'job-rule' ? 'a rules: entry of ' : ''}job "${entry.job.name}"`;
  return entry.scope === 'workflow-rule' ? 'workflow:rules' : 'the top-level variables';
}
