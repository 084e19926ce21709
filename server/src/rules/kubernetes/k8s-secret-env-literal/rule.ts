import { documentAt, nodeAt, type NodePath } from '../../../fixes/standard';
import { replacePair } from '../../../fixes/k8sfix-yaml';
import { defineRule, stringListParam } from '../../../engine/rule';
import { describeContainer, describeObject, exemptNamespacesParam, isTemplated, kubernetesObjects, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { asMap, get, items, pair, scalarText, str, type YamlNode } from '../../../model/yaml';

interface Params {
  secret_name_patterns: string[];
  credential_regexes: string[];
  secret_name: string;
  exempt_namespaces: string[];
}

export const DEFAULT_SECRET_NAME_PATTERNS: readonly string[] = [
  '(^|_)(PASSWORD|PASSWD|PWD|SECRET|TOKEN|CREDENTIALS?|PRIVATE_KEY|API_?KEY|ACCESS_KEY|AUTH_KEY)(_|$)',
  '^(OPENAI_API_KEY|AZURE_OPENAI_API_KEY|ANTHROPIC_API_KEY|HF_TOKEN|HUGGING_FACE_HUB_TOKEN|WANDB_API_KEY)$',
];

export const DEFAULT_CREDENTIAL_REGEXES: readonly string[] = [
  '\\b(AKIA|ASIA)[0-9A-Z]{16}\\b',
  '\\bghp_[A-Za-z0-9]{36}\\b',
  '\\bgithub_pat_[A-Za-z0-9_]{22,}',
  '\\bglpat-[A-Za-z0-9_-]{20,}',
  '\\bxox[bp]-[A-Za-z0-9-]{10,}',
  '-----BEGIN [A-Z ]*PRIVATE KEY-----',
  '\\bsk-[A-Za-z0-9_-]{20,}',
  '\\bhf_[A-Za-z0-9]{30,}',
];

/** Names that refer to a secret rather than hold one (`TOKEN_PATH`, `DB_PASSWORD_FILE`). */
const REFERENCE_SUFFIX = /_(FILE|PATH|DIR|NAME|REF|URL|URI|ENDPOINT|HEADER|LENGTH|TTL|TIMEOUT|TYPE|ENABLED|MODE|ID)$/i;

/** Kubernetes `$(VAR)` references are expanded from other variables, not literals. */
const ENV_REFERENCE = /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/;

export default defineRule<Params>({
  id: 'k8s-secret-env-literal',
  title: 'Credentials are not written as literal environment values',
  severity: 'critical',
  domain: 'kubernetes',
  scope: 'document',
  ai: true,
  mappings: { cis: ['Kubernetes 5.4.1'], nist: ['IA-5(7)', 'SC-28'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      secret_name_patterns: stringListParam(DEFAULT_SECRET_NAME_PATTERNS, 'Case-insensitive regexes over env var names that hold secrets (AI provider keys included).'),
      credential_regexes: stringListParam(DEFAULT_CREDENTIAL_REGEXES, 'Regexes over values that are credentials whatever the variable is called (AWS, GitHub, GitLab, Slack, private keys, OpenAI/Anthropic sk-, Hugging Face hf_).'),
      secret_name: { type: 'string', default: '<workload>-secrets', description: 'Secret the quick fix references; <workload> is replaced by the object name.' },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix({ data, file, finding }) {
    if (data.fix !== 'set' || typeof data.value !== 'object' || data.value === null) return [];
    const env = asMap(nodeAt(documentAt(file.documents, finding.range)?.root, data.path as NodePath).node);
    const literalPair = pair(env, 'value');
    const { valueFrom } = data.value as { valueFrom?: { secretKeyRef: { name: string; key: string } } };
    if (!env || !literalPair || !valueFrom) return [];
    const { name, key } = valueFrom.secretKeyRef;
    // Moving the value out of the manifest does not undo the leak: the title says so.
    return [{ title: `Rotate the exposed credential, then read ${key} from Secret ${name} (valueFrom.secretKeyRef)`, edits: [replacePair(file, env, literalPair, 'valueFrom', valueFrom)] }];
  },
  check({ file, documents, params, report, unknown }) {
    const names = compile(params.secret_name_patterns, 'i');
    const credentials = compile(params.credential_regexes, '');
    const credentialOf = (value: string) => credentials.find((re) => re.test(value));
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const secretName = params.secret_name.replace('<workload>', w.object.name ?? 'workload');
      for (const c of w.containers) {
        items(get(c.node, 'env')).forEach((env, i) => {
          const name = str(get(env, 'name'));
          const valuePair = pair(env, 'value');
          if (name === undefined || !valuePair?.value || get(env, 'valueFrom')) return;
          const value = literal(valuePair.value);
          if (value === undefined || value === '' || ENV_REFERENCE.test(value)) return;
          if (isTemplated(value)) {
            if (names.some((re) => re.test(name))) unknown(valuePair.value, templatedOrigin(`the value of ${name} in ${describeContainer(c)}`));
            return;
          }
          const credential = credentialOf(value);
          const secretLike = names.some((re) => re.test(name)) && !REFERENCE_SUFFIX.test(name);
          if (!credential && !secretLike) return;
          report({
            at: valuePair.value,
            ...(credential ? {} : { severity: 'high' as const }),
            message: `${name} of ${describeContainer(c)} is set to a literal ${credential ? `value that matches a credential pattern (${credential.source})` : 'value, and its name says it is a secret'}: it is stored in plain text in the manifest, in Git and in the object's spec. Rotate the exposed credential, then reference a Secret: valueFrom.secretKeyRef {name: ${secretName}, key: ${name}}.`,
            data: { fix: 'set', path: [...c.path, 'env', i], value: { name, valueFrom: { secretKeyRef: { name: secretName, key: name } } }, rotate: true, masked: true },
          });
        });
      }
    }
    for (const o of kubernetesObjects({ file, documents })) {
      if (o.kind !== 'ConfigMap' || o.apiVersion !== 'v1') continue;
      if (o.namespace !== undefined && params.exempt_namespaces.includes(o.namespace)) continue;
      for (const p of asMap(get(o.root, 'data'))?.pairs ?? []) {
        const value = p.value ? literal(p.value) : undefined;
        if (value === undefined || isTemplated(value)) continue;
        const credential = credentialOf(value);
        if (!credential || !p.value) continue;
        report({
          at: p.value,
          message: `Key ${p.key} of ${describeObject(o)} holds a value that matches a credential pattern (${credential.source}): ConfigMaps are not secret — readable by anyone who can read the namespace's configuration, and stored in Git. Rotate the exposed credential and move it to a Secret.`,
          data: { fix: 'none', reason: 'moving the value to a Secret needs a Secret manifest, which is not generated', rotate: true, masked: true },
        });
      }
    }
  },
});

function literal(node: YamlNode): string | undefined {
  return node.kind === 'scalar' ? scalarText(node) : undefined;
}

function compile(patterns: readonly string[], flags: string): RegExp[] {
  return patterns.flatMap((p) => {
    try {
      return [new RegExp(p, flags)];
    } catch {
      return [];
    }
  });
}
