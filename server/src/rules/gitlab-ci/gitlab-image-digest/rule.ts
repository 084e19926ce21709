import { exemptImagesParam, hasDigest, imageMatcher, withoutDigest } from '../../../containers/imageRef';
import type { Severity } from '../../../engine/severity';
import { defineRule } from '../../../engine/rule';
import { pair, scalarText, type YamlNode, type YamlScalar } from '../../../model/yaml';
import { child, GitlabPipeline, isDeployJob, type Expanded, type Lookup } from '../../../pipelines/gitlabCi';
import { compilePattern, DEFAULT_DEPLOY_SIGNALS } from '../../../pipelines/signals';

const DEPLOY_SIGNALS = DEFAULT_DEPLOY_SIGNALS.map(compilePattern);

interface Params {
  exempt_images: string[];
}

/** Stands for an unknown variable while the image reference is parsed. */
const HOLE = '\u0000';

type Verdict = { kind: 'pass' } | { kind: 'fail'; image: string } | { kind: 'unknown'; image: string; variables: readonly string[] };

/** One place an image is written, with every job context it is evaluated in. */
interface Site {
  readonly node: YamlScalar;
  readonly what: 'image' | 'service';
  fail?: { image: string; severity: Severity; jobs: Set<string> };
  unknown?: { image: string; variables: readonly string[] };
}

export default defineRule<Params>({
  id: 'gitlab-image-digest',
  title: 'GitLab CI images and services are pinned by digest',
  severity: 'medium',
  domain: 'gitlab-ci',
  ai: true,
  mappings: { nist: ['SR-3', 'SR-4', 'CM-2'], euAiAct: ['Art.12', 'Art.15'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      exempt_images: exemptImagesParam('Images that may run by tag'),
    },
  },
  check({ file, documents, params, report }) {
    const exempt = imageMatcher(params.exempt_images);
    const sites = new Map<YamlNode, Site>();

    const evaluate = (lookup: Lookup, what: Site['what'], expand: (t: string) => Expanded, deployJob: string | undefined) => {
      for (const node of imageNodes(lookup, what)) {
        const site = sites.get(node) ?? { node, what };
        sites.set(node, site);
        const text = scalarText(node);
        if (!text) continue;
        const verdict = judge(expand(text), exempt);
        if (verdict.kind === 'fail') {
          const severity: Severity = deployJob ? 'high' : 'medium';
          if (!site.fail) site.fail = { image: verdict.image, severity, jobs: new Set() };
          if (deployJob) {
            site.fail.severity = 'high';
            site.fail.jobs.add(deployJob);
          }
        } else if (verdict.kind === 'unknown' && !site.unknown) site.unknown = { image: verdict.image, variables: verdict.variables };
      }
    };

    for (const pipeline of GitlabPipeline.all(file, documents)) {
      // Written outside any runnable job: `default:`, deprecated top-level keys, hidden templates.
      const globalExpand = (t: string) => pipeline.expand(t);
      for (const key of ['image', 'services'] as const) {
        const what = key === 'image' ? 'image' : 'service';
        const def = pipeline.defaultValue(key);
        if (def.state === 'found') evaluate(def, what, globalExpand, undefined);
        for (const t of pipeline.templates) evaluate(t.own(key), what, (x) => t.expand(x), undefined);
      }
      for (const job of pipeline.jobs) {
        const deploy = isDeployJob(job, DEPLOY_SIGNALS) ? job.name : undefined;
        evaluate(job.get('image'), 'image', (x) => job.expand(x), deploy);
        evaluate(job.get('services'), 'service', (x) => job.expand(x), deploy);
      }
    }

    for (const site of sites.values()) {
      if (site.fail) {
        const { image, severity, jobs } = site.fail;
        const used = jobs.size ? ` It runs the deploy job${jobs.size > 1 ? 's' : ''} ${[...jobs].map((j) => `"${j}"`).join(', ')}.` : '';
        report({
          at: site.node,
          severity,
          message: `${site.what === 'image' ? 'Image' : 'Service image'} "${image}" is not pinned by digest: its tag can be re-pushed, so the job can run a different build than the one reviewed.${used} Pin it as ${withoutDigest(image)}@sha256:<64-hex digest>.`,
          data: { fix: 'resolve-digest', net: true, image },
        });
      } else if (site.unknown) {
        const { image, variables } = site.unknown;
        report({
          at: site.node,
          severity: 'info',
          message: `could not evaluate gitlab-image-digest: image "${image}" depends on ${variables.map((v) => `$${v}`).join(', ')} (not defined in this file). If that tag can be re-pushed, pin the image with @sha256:<digest>.`,
          data: { fix: 'none', unknown: variables },
        });
      }
    }
  },
});

/** The image-name scalars of an `image:` (string or `name:`) or `services:` (list of strings or `name:`). */
function imageNodes(lookup: Lookup, what: Site['what']): YamlScalar[] {
  if (lookup.state !== 'found') return [];
  const nameOf = (n: YamlNode | undefined): YamlScalar | undefined => (n?.kind === 'scalar' ? n : undefined);
  if (what === 'image') {
    if (lookup.node.kind === 'scalar') return [lookup.node];
    const name = child(lookup, 'name');
    return name.state === 'found' && name.node.kind === 'scalar' ? [name.node] : [];
  }
  return lookup.pipeline.flatten(lookup.node).items.flatMap((item) => {
    if (item.kind === 'scalar') return [item];
    if (item.kind !== 'map') return [];
    const p = pair(item, 'name');
    const name = p ? lookup.pipeline.valueOf('name', p, lookup.origin) : undefined;
    const n = name?.state === 'found' ? nameOf(name.node) : undefined;
    return n ? [n] : [];
  });
}

/**
 * Pinned when the text ends in `@sha256:<64 hex>`. With unknown variables the
 * known part may still prove a violation: a literal last path segment without
 * a digest (`$REGISTRY/app:1.0`). A variable in the tag or digest is Unknown.
 */
function judge(expanded: Expanded, exempt: (ref: string) => boolean): Verdict {
  const text = expanded.parts.map((p) => (typeof p === 'string' ? p : HOLE)).join('');
  const shown = expanded.parts.map((p) => (typeof p === 'string' ? p : `$${p.variable}`)).join('');
  const tail = text.slice(text.lastIndexOf(HOLE) + 1);
  if (hasDigest(tail)) return { kind: 'pass' };
  if (expanded.known === undefined) {
    // The last path segment (name[:tag][@digest]) is literal when a `/` follows the last variable;
    // it has no digest (checked above), so the known part proves the violation.
    return tail.includes('/') ? { kind: 'fail', image: shown } : { kind: 'unknown', image: shown, variables: expanded.unknown };
  }
  if (!text.trim()) return { kind: 'pass' };
  return exempt(text) ? { kind: 'pass' } : { kind: 'fail', image: text };
}
