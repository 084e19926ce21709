import { mergingYamlFix } from '../../../fixes/k8sfix-yaml';
import { defineRule, stringListParam, type BaseContext } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, isUnknownNode, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { asMap, get, keyOf, pair, scalarText, valueOf, type YamlFile, type YamlMap, type YamlPair } from '../../../model/yaml';

interface Params {
  required_labels: string[];
  value_patterns: Record<string, string>;
  static_values: Record<string, string>;
  exempt_namespaces: string[];
}

const LABEL_VALUE = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

export default defineRule<Params>({
  id: 'k8s-required-labels',
  title: 'Workloads and their pods carry the required labels',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { nist: ['CM-8'], euAiAct: ['Art.11', 'Art.12'], aiRmf: ['GOVERN 1.6'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      required_labels: stringListParam(
        ['app.kubernetes.io/name', 'app.kubernetes.io/version', 'app.kubernetes.io/part-of', 'owner', 'environment'],
        'Labels every workload and its pod template must carry.',
      ),
      value_patterns: {
        type: 'object',
        additionalProperties: { type: 'string', format: 'regex' },
        default: {},
        description: 'Label key → regular expression its value must match (e.g. {"environment": "^(dev|staging|prod)$"}).',
      },
      static_values: {
        type: 'object',
        additionalProperties: { type: 'string' },
        default: {},
        description: 'Label key → value the quick fix inserts; keys without one get a REPLACE_ME placeholder.',
      },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: mergingYamlFix,
  check(ctx) {
    const { file, documents, params } = ctx;
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      const objectMeta = pair(w.object.root, 'metadata');
      checkLabels(ctx, file, objectMeta, w.object.metadata, [...w.object.path, 'metadata'], describeObject(w.object), pair(w.object.root, 'kind'));
      if (w.template) {
        const templateMeta = pair(asMap(w.template.value), 'metadata');
        checkLabels(ctx, file, templateMeta, w.podMetadata, [...w.podSpecPath.slice(0, -1), 'metadata'], `the pod template of ${describeObject(w.object)}`, w.template);
      }
    }
  },
});

function checkLabels(
  { params, report, unknown }: BaseContext<Params>,
  file: YamlFile,
  metaPair: YamlPair | undefined,
  meta: YamlMap | undefined,
  metaPath: readonly (string | number)[],
  who: string,
  fallback: YamlPair | undefined,
): void {
  const labelsPair = pair(meta, 'labels');
  if (labelsPair?.value && isUnknownNode(file, labelsPair.value)) return unknown(labelsPair.value, templatedOrigin(`the labels of ${who}`));
  const labels = asMap(labelsPair?.value);
  const missing = params.required_labels.filter((k) => !pair(labels, k));
  if (missing.length) {
    const at = labelsPair ? keyOf(labelsPair) : metaPair ? keyOf(metaPair) : fallback ? keyOf(fallback) : undefined;
    if (at)
      report({
        at,
        message: `${who.charAt(0).toUpperCase()}${who.slice(1)} lacks the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: without ${missing.length > 1 ? 'them' : 'it'} its pods, metrics and logs cannot be traced to an application, version and owner. Add ${missing.map((k) => `${k}: ${params.static_values[k] ?? '<value>'}`).join(', ')} under metadata.labels.`,
        data: {
          fix: 'insert',
          path: [...metaPath, 'labels'],
          value: Object.fromEntries(missing.map((k) => [k, params.static_values[k] ?? 'REPLACE_ME'])),
          placeholder: missing.some((k) => params.static_values[k] === undefined),
        },
      });
  }
  for (const key of params.required_labels) {
    const p = pair(labels, key);
    if (!p) continue;
    if (p.value && isUnknownNode(file, p.value)) {
      unknown(p.value, templatedOrigin(`label ${key} of ${who}`));
      continue;
    }
    const value = scalarText(get(labels, key)) ?? '';
    const pattern = params.value_patterns[key];
    const syntaxOk = value.length <= 63 && LABEL_VALUE.test(value);
    const patternOk = pattern === undefined || safeRegExp(pattern)?.test(value) !== false;
    if (syntaxOk && patternOk) continue;
    report({
      at: valueOf(p),
      message: !syntaxOk
        ? `Label ${key} of ${who} has the value "${value}", which is not a valid label value (1–63 characters, alphanumeric at both ends, "-", "_", "." inside). Use a short identifier; put longer references in an annotation.`
        : `Label ${key} of ${who} has the value "${value}", which does not match ${pattern}. Use a value that matches it.`,
      data: { fix: 'none', reason: 'the intended value is unknowable' },
    });
  }
}

/** A pattern that does not compile is ignored here; the config schema reports it. */
function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
