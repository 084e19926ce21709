import { standardYamlFix } from '../../../fixes/standard';
import { PLACEHOLDER } from '../../../fixes/types';
import { defineRule } from '../../../engine/rule';
import { describeContainer, describeObject, exemptNamespacesParam, linuxWorkloads, setting, templatedOrigin } from '../../../kubernetes/workloads';
import { get, keyOf, pair, str, valueOf, type YamlMap, type YamlPair } from '../../../model/yaml';

interface Params {
  exempt_namespaces: string[];
}

const TYPE = ['securityContext', 'seccompProfile', 'type'];

export default defineRule<Params>({
  id: 'k8s-seccomp-profile',
  title: 'Containers run with a seccomp profile',
  severity: 'medium',
  domain: 'kubernetes',
  scope: 'document',
  mappings: { cis: ['Kubernetes 5.7.2'], nist: ['CM-7', 'SC-39'], euAiAct: ['Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { exempt_namespaces: exemptNamespacesParam },
  },
  fix(ctx) {
    const typePath = ctx.data.typePath;
    if (!Array.isArray(typePath)) return standardYamlFix(ctx);
    // Localhost without a profile: RuntimeDefault fixes it outright; naming the profile needs the author.
    const runtimeDefault = standardYamlFix({ ...ctx, data: { fix: 'set', path: typePath, value: 'RuntimeDefault' } });
    const profile = standardYamlFix(ctx).map((f) => ({ ...f, title: `Add seccompProfile.localhostProfile: ${PLACEHOLDER} (keep type: Localhost)` }));
    return [...runtimeDefault.map((f) => ({ ...f, preferred: true })), ...profile];
  },
  check({ file, documents, params, report, unknown }) {
    // Linux-only control: Windows pods are exempt, a templated OS is Unknown.
    for (const w of linuxWorkloads({ file, documents }, { exemptNamespaces: params.exempt_namespaces }, unknown)) {
      const judged = new Set<YamlPair>();
      /** Judges one written `type:` (a pod-level one once for all containers that inherit it). */
      const judge = (owner: YamlMap, typePair: YamlPair, who: string, path: readonly (string | number)[]) => {
        if (judged.has(typePair)) return;
        judged.add(typePair);
        const type = str(typePair.value);
        if (type === 'RuntimeDefault') return;
        const at = valueOf(typePair);
        if (type === 'Localhost') {
          if (pair(get(get(owner, 'securityContext'), 'seccompProfile'), 'localhostProfile')?.value) return;
          report({
            at,
            message: `seccompProfile.type: Localhost of ${who} names no localhostProfile, so no profile can be loaded. Add localhostProfile: <path under the kubelet's seccomp directory>, or use type: RuntimeDefault.`,
            data: { fix: 'insert', path: [...path.slice(0, -1), 'localhostProfile'], value: PLACEHOLDER, placeholder: true, typePath: path },
          });
          return;
        }
        const fix = { fix: 'set', path, value: 'RuntimeDefault' };
        if (type === 'Unconfined') {
          report({
            at,
            severity: 'high',
            message: `seccompProfile.type: Unconfined lets ${who} make every system call, including the ones container escapes use. Set type: RuntimeDefault (or Localhost with a reviewed profile).`,
            data: fix,
          });
          return;
        }
        const written = typePair.value?.kind === 'scalar' ? typePair.value.source : 'a non-scalar value';
        report({ at, message: `seccompProfile.type: ${written} of ${who} is not a seccomp profile type. Set type: RuntimeDefault (or Localhost with localhostProfile).`, data: fix });
      };
      const pod = setting(file, w.podSpec, TYPE);
      let missing = false;
      for (const c of w.containers) {
        const own = setting(file, c.node, TYPE);
        if (own.state === 'unknown') unknown(own.at, templatedOrigin(`securityContext.seccompProfile.type of ${describeContainer(c)}`));
        else if (own.state === 'known') judge(c.node, own.pair, describeContainer(c), [...c.path, ...TYPE]);
        else if (pod.state === 'unknown') unknown(pod.at, templatedOrigin(`securityContext.seccompProfile.type of the pod spec of ${describeObject(w.object)}`));
        else if (pod.state === 'known') judge(w.podSpec, pod.pair, `the containers of ${describeObject(w.object)}`, [...w.podSpecPath, ...TYPE]);
        else missing = true;
      }
      if (missing)
        report({
          at: keyOf(w.podSpecPair),
          message: `The pod spec of ${describeObject(w.object)} sets no seccomp profile for ${w.containers.length > 1 ? 'some of its containers, so they run' : 'its container, so it runs'} Unconfined: every system call is allowed. Set securityContext.seccompProfile.type: RuntimeDefault in this pod spec.`,
          data: { fix: 'insert', path: [...w.podSpecPath, ...TYPE], value: 'RuntimeDefault' },
        });
    }
  },
});
