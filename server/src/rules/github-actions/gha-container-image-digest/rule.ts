import { defineRule } from '../../../engine/rule';
import { exemptImagesParam, hasDigest, imageMatcher } from '../../../containers/imageRef';
import type { Located } from '../../../model/location';
import { asMap, get, scalarSpanAt, scalarText, type YamlNode, type YamlScalar } from '../../../model/yaml';
import { expressions, isExpression, workflows } from '../../../pipelines/githubActions';

interface Params {
  exempt_images: string[];
}

interface ImageUse {
  readonly what: string;
  readonly image: string;
  readonly at: Located;
  readonly node: YamlScalar;
  /** Where secrets reach the image, if they do. */
  readonly secretsIn: YamlNode | readonly YamlNode[] | undefined;
}

export default defineRule<Params>({
  id: 'gha-container-image-digest',
  title: 'Job containers, services and Docker actions are pinned by digest',
  severity: 'medium',
  domain: 'github-actions',
  ai: true,
  mappings: { nist: ['SR-3', 'SR-4', 'CM-2'], euAiAct: ['Art.15'], scorecard: ['Pinned-Dependencies'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: { exempt_images: exemptImagesParam() },
  },
  check({ documents, params, report, unknown }) {
    const exempt = imageMatcher(params.exempt_images);
    for (const wf of workflows(documents)) {
      for (const job of wf.jobs) {
        const uses: ImageUse[] = [];
        const container = get(job.map, 'container');
        const containerImage = container?.kind === 'map' ? get(container, 'image') : container;
        if (containerImage?.kind === 'scalar') {
          // Every step of a container job runs inside the image, with the job's secrets.
          const rest = (job.map?.pairs ?? []).filter((p) => p.key !== 'container').map((p) => p.value).filter((v): v is YamlNode => !!v);
          uses.push(imageUse('the job container', containerImage, rest));
        }
        for (const s of asMap(get(job.map, 'services'))?.pairs ?? []) {
          const img = s.value?.kind === 'map' ? get(s.value, 'image') : undefined;
          if (img?.kind === 'scalar') uses.push(imageUse(`service "${s.key}"`, img, get(s.value, 'env')));
        }
        for (const step of job.steps) {
          if (step.uses?.kind !== 'docker') continue;
          const raw = scalarText(step.uses.node) ?? '';
          const start = raw.indexOf('docker://') + 'docker://'.length;
          const image = step.uses.image.trim();
          uses.push({
            what: `step ${step.index + 1} (docker://)`,
            image,
            node: step.uses.node,
            at: scalarSpanAt(step.uses.node, start, start + image.length),
            secretsIn: [get(step.map, 'env'), get(step.map, 'with')].filter((v): v is YamlNode => !!v),
          });
        }
        for (const u of uses) {
          if (!u.image || exempt(u.image)) continue;
          if (isExpression(u.node)) {
            unknown(u.at, `the image of ${u.what} is ${u.image}, only known at run time`);
            continue;
          }
          if (hasDigest(u.image)) continue;
          const secret = readsSecrets(u.secretsIn);
          report({
            at: u.at,
            severity: secret ? 'high' : 'medium',
            message: `The image of ${u.what} in job "${job.id}" (${u.image}) is not pinned by digest: the tag can be moved to different content${secret ? ', and this image runs with the job\'s secrets' : ''}. Pin it as \`${u.image.replace(/@.*$/, '')}@sha256:<64 hex digits>\`.`,
            data: { fix: 'none', reason: 'resolving the digest needs registry access (net)', net: true, image: u.image, job: job.id },
          });
        }
      }
    }
  },
});

function imageUse(what: string, node: YamlScalar, secretsIn: ImageUse['secretsIn']): ImageUse {
  return { what, image: (scalarText(node) ?? '').trim(), at: node, node, secretsIn };
}

/** Whether any expression under the nodes reads `secrets.*`. */
function readsSecrets(nodes: ImageUse['secretsIn']): boolean {
  const list: readonly YamlNode[] = !nodes ? [] : Array.isArray(nodes) ? nodes : [nodes as YamlNode];
  const walk = (n: YamlNode | undefined): boolean => {
    if (!n) return false;
    if (n.kind === 'scalar') return expressions(n).some((e) => /\bsecrets\./i.test(e.body));
    if (n.kind === 'seq') return n.items.some(walk);
    return n.pairs.some((p) => walk(p.value));
  };
  return list.some(walk);
}
