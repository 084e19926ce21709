import { mergingYamlFix } from '../../../fixes/k8sfix-yaml';
import { defineRule } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, isUnknownNode, kubernetesObjects, templatedOrigin } from '../../../kubernetes/workloads';
import { asMap, keyOf, pair, scalarText, valueOf } from '../../../model/yaml';

type Level = 'privileged' | 'baseline' | 'restricted';

interface Params {
  allowed_levels: Record<string, Level>;
  require_pinned_version: boolean;
  pinned_version?: string;
  exempt_namespaces: string[];
}

const ENFORCE = 'pod-security.kubernetes.io/enforce';
const ENFORCE_VERSION = 'pod-security.kubernetes.io/enforce-version';
const RANK: Record<Level, number> = { privileged: 0, baseline: 1, restricted: 2 };
const VERSION = /^v\d+\.\d+$/;

export default defineRule<Params>({
  id: 'k8s-pss-namespace-enforce',
  title: 'Namespaces enforce the restricted Pod Security Standard at a pinned version',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.2.1'], nist: ['CM-6', 'CM-7'], euAiAct: ['Art.15', 'Art.17'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      allowed_levels: {
        type: 'object',
        additionalProperties: { enum: ['privileged', 'baseline', 'restricted'] },
        default: { default: 'restricted' },
        description: 'Namespace name → least strict enforce level it may use; the key "default" applies to every other namespace (stricter levels always pass).',
      },
      require_pinned_version: {
        type: 'boolean',
        default: true,
        description: 'Require pod-security.kubernetes.io/enforce-version to be pinned as vX.Y (latest shifts with cluster upgrades).',
      },
      pinned_version: { type: 'string', pattern: '^v\\d+\\.\\d+$', description: 'Version the quick fix writes (e.g. v1.31); without it the fix inserts a placeholder.' },
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: mergingYamlFix,
  check({ file, documents, params, report, unknown }) {
    for (const o of kubernetesObjects({ file, documents })) {
      if (o.kind !== 'Namespace' || o.apiVersion !== 'v1') continue;
      if (o.name !== undefined && params.exempt_namespaces.includes(o.name)) continue;
      const required: Level = (o.name !== undefined ? params.allowed_levels[o.name] : undefined) ?? params.allowed_levels.default ?? 'restricted';
      const labelsPair = pair(o.metadata, 'labels');
      if (labelsPair?.value && isUnknownNode(file, labelsPair.value)) {
        unknown(labelsPair.value, templatedOrigin(`the labels of ${describeObject(o)}`));
        continue;
      }
      const labels = asMap(labelsPair?.value);
      const metaPair = pair(o.root, 'metadata');
      const missingAt = labelsPair ? keyOf(labelsPair) : metaPair ? keyOf(metaPair) : keyOf(pair(o.root, 'kind')!);
      const version = params.pinned_version ?? 'REPLACE_ME';
      const insert = (keys: Record<string, string>) => ({ fix: 'insert', path: [...o.path, 'metadata', 'labels'], value: keys, placeholder: Object.values(keys).includes('REPLACE_ME') });

      const enforce = pair(labels, ENFORCE);
      if (!enforce?.value) {
        report({
          at: missingAt,
          message: `${describeObject(o)} has no ${ENFORCE} label, so only the cluster-wide default applies (privileged unless the admission configuration says otherwise): privileged or host-mounting pods are admitted. Label it ${ENFORCE}: ${required}${params.require_pinned_version ? ` and ${ENFORCE_VERSION}: ${params.pinned_version ?? 'vX.Y'}` : ''}.`,
          data: insert({ [ENFORCE]: required, ...(params.require_pinned_version ? { [ENFORCE_VERSION]: version } : {}) }),
        });
      } else if (isUnknownNode(file, enforce.value)) {
        unknown(enforce.value, templatedOrigin(`label ${ENFORCE} of ${describeObject(o)}`));
      } else {
        const level = scalarText(enforce.value) ?? '';
        if (!(level in RANK) || RANK[level as Level] < RANK[required])
          report({
            at: valueOf(enforce),
            message: `${describeObject(o)} enforces Pod Security level "${level}", ${level in RANK ? `less strict than ${required}, the level allowed for it` : 'which is not a Pod Security level'}. Set ${ENFORCE}: ${required}${required === 'restricted' ? '' : ' (or restricted)'}.`,
            data: { fix: 'set', path: [...o.path, 'metadata', 'labels', ENFORCE], value: required },
          });
      }
      if (!params.require_pinned_version) continue;
      const pinned = pair(labels, ENFORCE_VERSION);
      if (!pinned?.value) {
        // Without the enforce label the finding above already asks for both labels.
        if (enforce?.value)
          report({
            at: missingAt,
            message: `${describeObject(o)} does not pin ${ENFORCE_VERSION}, so it defaults to latest and the rules enforced change with every cluster upgrade. Pin it: ${ENFORCE_VERSION}: ${params.pinned_version ?? 'vX.Y'} (the cluster's current minor version).`,
            data: insert({ [ENFORCE_VERSION]: version }),
          });
        continue;
      }
      if (isUnknownNode(file, pinned.value)) {
        unknown(pinned.value, templatedOrigin(`label ${ENFORCE_VERSION} of ${describeObject(o)}`));
        continue;
      }
      const v = scalarText(pinned.value) ?? '';
      if (VERSION.test(v)) continue;
      report({
        at: valueOf(pinned),
        message: `${ENFORCE_VERSION}: ${v || '""'} of ${describeObject(o)} is not a pinned version${v === 'latest' ? ': latest shifts with every cluster upgrade' : ''}. Pin it as vX.Y, e.g. ${params.pinned_version ?? 'v1.31'}.`,
        data: params.pinned_version ? { fix: 'set', path: [...o.path, 'metadata', 'labels', ENFORCE_VERSION], value: params.pinned_version } : { fix: 'none', reason: 'configure pinned_version for a quick fix' },
      });
    }
  },
});
