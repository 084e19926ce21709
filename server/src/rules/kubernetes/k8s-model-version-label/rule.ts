import { mergingYamlFix } from '../../../fixes/k8sfix-yaml';
import { isAiWorkload, TRAINING_WORKLOAD_TYPES, WORKLOAD_TYPE_LABEL } from '../../../kubernetes/aiWorkload';
import { defineRule, stringListParam, type BaseContext } from '../../../engine/rule';
import { describeObject, exemptNamespacesParam, isUnknownNode, templatedOrigin, workloadLabels, workloads, type Workload } from '../../../kubernetes/workloads';
import type { Located } from '../../../model/location';
import { asMap, keyOf, pair, scalarText, valueOf, type YamlFile } from '../../../model/yaml';

interface Params {
  model_name_key: string;
  model_version_key: string;
  model_artifact_key: string;
  dataset_version_key: string;
  version_pattern: string;
  ai_image_patterns: string[];
  exempt_namespaces: string[];
}

const MUTABLE_VERSIONS = new Set(['latest', 'main', 'master']);

/** Immutable model references: a content digest or a registry/object-store version that cannot be reassigned. */
const IMMUTABLE_ARTIFACT: readonly RegExp[] = [
  /^sha256:[0-9a-f]{64}$/,
  /@sha256:[0-9a-f]{64}$/,
  /^s3:\/\/[^?]+\?(?:[^#]*&)?versionId=[^&#]+/,
  /^gs:\/\/[^#]+#\d+$/,
  /^arn:aws[a-z-]*:sagemaker:[^:]*:\d*:model-package\/[^/]+\/\d+$/,
  /^models:\/[^/@]+\/\d+$/,
  /^projects\/[^/]+\/locations\/[^/]+\/models\/[^/@]+@\d+$/,
  /^azureml:\/\/.+\/models\/[^/]+\/versions\/\d+$/,
  /^hf:\/\/[^@]+@[0-9a-f]{40}$/,
];

export default defineRule<Params>({
  id: 'k8s-model-version-label',
  title: 'AI workloads name the model version and its immutable artifact',
  severity: 'high',
  domain: 'kubernetes',
  scope: 'document',
  ai: true,
  mappings: { nist: ['CM-8', 'SR-4'], euAiAct: ['Art.12', 'Art.11', 'Art.10'], aiRmf: ['GOVERN 1.6'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      model_name_key: { type: 'string', default: 'plumbline.dev/model-name', description: 'Pod label naming the model served or trained.' },
      model_version_key: { type: 'string', default: 'plumbline.dev/model-version', description: 'Pod label holding the model version (not latest/main/master/empty).' },
      model_artifact_key: {
        type: 'string',
        default: 'plumbline.dev/model-artifact',
        description: 'Pod annotation holding an immutable model reference (sha256 digest, S3 versionId, GCS generation, versioned registry URI/ARN).',
      },
      dataset_version_key: { type: 'string', default: 'plumbline.dev/dataset-version', description: 'Pod label holding the dataset version; required for training and fine-tuning workloads.' },
      version_pattern: { type: 'string', format: 'regex', default: '.+', description: 'Regular expression the model version label value must match (default: any non-empty value).' },
      ai_image_patterns: stringListParam([], 'Images that mark a workload as an AI workload (ai_workload_selector), as glob patterns (`*`, `?`).'),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: mergingYamlFix,
  check(ctx) {
    const { file, documents, params } = ctx;
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      if (!isAiWorkload(w, { aiImagePatterns: params.ai_image_patterns })) continue;
      checkWorkload(ctx, file, w);
    }
  },
});

function checkWorkload({ params, report, unknown }: BaseContext<Params>, file: YamlFile, w: Workload): void {
  const who = w.template ? `the pod template of ${describeObject(w.object)}` : describeObject(w.object);
  const Who = who.charAt(0).toUpperCase() + who.slice(1);
  const holder = w.template ?? pair(w.object.root, 'kind');
  const metaPair = pair(w.template ? asMap(w.template.value) : w.object.root, 'metadata');
  const metaPath = w.template ? [...w.podSpecPath.slice(0, -1), 'metadata'] : [...w.object.path, 'metadata'];
  const fallback: Located | undefined = metaPair ? keyOf(metaPair) : holder ? keyOf(holder) : undefined;
  const section = (field: 'labels' | 'annotations') => {
    const p = pair(w.podMetadata, field);
    if (p?.value && isUnknownNode(file, p.value)) {
      unknown(p.value, templatedOrigin(`the ${field} of ${who}`));
      return 'unknown' as const;
    }
    return { at: p ? keyOf(p) : fallback, map: asMap(p?.value) };
  };

  const labels = section('labels');
  if (labels !== 'unknown') {
    const type = workloadLabels(w).get(WORKLOAD_TYPE_LABEL);
    const required = [params.model_name_key, params.model_version_key, ...(type !== undefined && TRAINING_WORKLOAD_TYPES.includes(type) ? [params.dataset_version_key] : [])];
    const missing = required.filter((k) => !pair(labels.map, k));
    if (missing.length && labels.at)
      report({
        at: labels.at,
        message: `${Who} lacks the label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}: its pods cannot be traced to the model${missing.includes(params.dataset_version_key) ? ' and dataset' : ''} version they ${type && TRAINING_WORKLOAD_TYPES.includes(type) ? 'train' : 'serve'}. Add ${missing.map((k) => `${k}: <version>`).join(', ')} to the pod labels.`,
        data: { fix: 'insert', path: [...metaPath, 'labels'], value: Object.fromEntries(missing.map((k) => [k, 'REPLACE_ME'])), placeholder: true },
      });
    const version = pair(labels.map, params.model_version_key);
    if (version?.value && isUnknownNode(file, version.value)) unknown(version.value, templatedOrigin(`label ${params.model_version_key} of ${who}`));
    else if (version) {
      const v = scalarText(version.value) ?? '';
      const pattern = safeRegExp(params.version_pattern);
      if (v === '' || MUTABLE_VERSIONS.has(v.toLowerCase()) || (pattern && !pattern.test(v)))
        report({
          at: valueOf(version),
          message: `Label ${params.model_version_key} of ${who} is "${v}", ${v === '' || MUTABLE_VERSIONS.has(v.toLowerCase()) ? 'which names a moving target, not a version' : `which does not match ${params.version_pattern}`}. Set the exact model version being ${type && TRAINING_WORKLOAD_TYPES.includes(type) ? 'trained' : 'served'} (e.g. 3.1.0).`,
          data: { fix: 'none', reason: 'the model version is unknowable' },
        });
    }
  }

  const annotations = section('annotations');
  if (annotations === 'unknown') return;
  const artifact = pair(annotations.map, params.model_artifact_key);
  if (!artifact) {
    if (annotations.at)
      report({
        at: annotations.at,
        message: `${Who} lacks the annotation ${params.model_artifact_key}: the model weights it runs cannot be traced to an immutable artifact. Add ${params.model_artifact_key}: <sha256:…, s3://…?versionId=…, gs://…#generation, or a versioned registry URI>.`,
        data: { fix: 'insert', path: [...metaPath, 'annotations'], value: { [params.model_artifact_key]: 'REPLACE_ME' }, placeholder: true },
      });
    return;
  }
  if (artifact.value && isUnknownNode(file, artifact.value)) return unknown(artifact.value, templatedOrigin(`annotation ${params.model_artifact_key} of ${who}`));
  const ref = (scalarText(artifact.value) ?? '').trim();
  if (IMMUTABLE_ARTIFACT.some((re) => re.test(ref))) return;
  report({
    at: valueOf(artifact),
    message: `Annotation ${params.model_artifact_key} of ${who} is "${ref}", which is not an immutable reference: the artifact behind it can change. Use a content digest (sha256:<64 hex>), an S3 object version (?versionId=…), a GCS generation (#<number>) or a versioned registry reference (models:/name/3, …/versions/3, model-package ARN with version).`,
    data: { fix: 'none', reason: 'the immutable reference is unknowable offline' },
  });
}

function safeRegExp(pattern: string): RegExp | undefined {
  try {
    return new RegExp(pattern);
  } catch {
    return undefined;
  }
}
