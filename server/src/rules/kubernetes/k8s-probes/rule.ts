import { isAiWorkload } from '../../../kubernetes/aiWorkload';
import { defineRule, stringListParam } from '../../../engine/rule';
import { containerLocation, describeContainer, describeObject, exemptNamespacesParam, setting, templatedOrigin, workloads } from '../../../kubernetes/workloads';
import { str } from '../../../model/yaml';
import { probesFix } from './fix';

interface Params {
  required_probes: ('readiness' | 'liveness' | 'startup')[];
  model_load_grace_seconds: number;
  ai_image_patterns: string[];
  exempt_namespaces: string[];
}

const CONSEQUENCE: Record<Params['required_probes'][number], string> = {
  readiness: 'traffic reaches it before it is ready (e.g. before the model is loaded)',
  liveness: 'a hung process is never restarted',
  startup: 'a slow start cannot be told from a hang',
};

const LONG_RUNNING = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController']);

export default defineRule<Params>({
  id: 'k8s-probes',
  title: 'Long-running containers have readiness and liveness probes',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { nist: ['SI-4', 'SC-6'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      required_probes: {
        type: 'array',
        items: { enum: ['readiness', 'liveness', 'startup'] },
        default: ['readiness', 'liveness'],
        description: 'Probes every regular container of a long-running workload must have.',
      },
      model_load_grace_seconds: {
        type: 'integer',
        minimum: 0,
        default: 120,
        description: 'AI workloads whose livenessProbe.initialDelaySeconds is below this and that have no startupProbe get a low finding (slow weight loading causes restart loops).',
      },
      ai_image_patterns: stringListParam([], 'Images that mark a workload as an AI workload (ai_workload_selector), as glob patterns (`*`, `?`).'),
      exempt_namespaces: exemptNamespacesParam,
    },
  },
  fix: probesFix,
  check({ file, documents, params, report, unknown }) {
    for (const w of workloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces })) {
      if (w.object.kind === 'Pod') {
        const restart = setting(file, w.podSpec, ['restartPolicy']);
        if (restart.state === 'unknown') {
          unknown(restart.at, templatedOrigin(`spec.restartPolicy of ${describeObject(w.object)}`));
          continue;
        }
        // Absent ⇒ Always (the Kubernetes default): a bare Pod that restarts forever is long-running.
        if (restart.state === 'known' && str(restart.value) !== 'Always') continue;
      } else if (!LONG_RUNNING.has(w.object.kind)) continue;
      const ai = isAiWorkload(w, { aiImagePatterns: params.ai_image_patterns });
      for (const c of w.containers) {
        if (c.list !== 'containers') continue;
        const who = describeContainer(c);
        const Who = `${who.charAt(0).toUpperCase()}${who.slice(1)}`;
        const missing = params.required_probes.filter((p) => setting(file, c.node, [`${p}Probe`]).state === 'absent');
        if (missing.length) {
          report({
            at: containerLocation(c),
            message: `${Who} has no ${missing.map((p) => `${p}Probe`).join(' or ')}: ${missing.map((p) => CONSEQUENCE[p]).join('; ')}. Add ${missing.map((p) => `${p}Probe`).join(' and ')} (e.g. httpGet on its health endpoint).`,
            data: { fix: 'insert', placeholder: true, path: c.path, keys: missing.map((p) => `${p}Probe`), snippet: 'httpGet' },
          });
        }
        if (!ai || setting(file, c.node, ['startupProbe']).state !== 'absent') continue;
        const liveness = setting(file, c.node, ['livenessProbe']);
        if (liveness.state !== 'known') continue;
        const delay = setting(file, liveness.value, ['initialDelaySeconds']);
        if (delay.state === 'unknown') {
          unknown(delay.at, templatedOrigin(`livenessProbe.initialDelaySeconds of ${who}`));
          continue;
        }
        const seconds = delay.state === 'known' && delay.value.kind === 'scalar' && typeof delay.value.value === 'number' ? delay.value.value : delay.state === 'absent' ? 0 : undefined;
        if (seconds === undefined || seconds >= params.model_load_grace_seconds) continue;
        report({
          at: containerLocation(c),
          severity: 'low',
          message: `${Who} is an AI workload whose livenessProbe starts after ${seconds}s (below model_load_grace_seconds, ${params.model_load_grace_seconds}s) with no startupProbe: loading model weights can take longer, and the kubelet then kills it in a restart loop. Add a startupProbe (e.g. failureThreshold: 60, periodSeconds: 10) so liveness checks start only after the model has loaded.`,
          data: { fix: 'insert', placeholder: true, path: c.path, keys: ['startupProbe'], snippet: 'httpGet' },
        });
      }
    }
  },
});
