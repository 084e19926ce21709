import type { CodeLens, Range } from 'vscode-languageserver-types';
import type { Finding } from '../engine/finding';
import { SEVERITIES } from '../engine/severity';
import type { HclFile } from '../model/hcl';
import { rangeContains } from '../model/location';
import { asMap, get, str, type YamlFile } from '../model/yaml';
import { ago } from '../drift/service';
import { RESERVED_KEYWORDS } from '../pipelines/gitlabCi';

/** The command a lens runs: the client lists the block's findings and jumps to the one picked. */
export const SHOW_FINDINGS_COMMAND = 'plumbline.showFindings';

/** A block a lens sits above: a Terraform resource, a Kubernetes object, a pipeline job. */
export interface LensTarget {
  /** Where the lens goes (the block header, the object's first key, the job key). */
  readonly at: Range;
  /** The whole block: findings inside it count. */
  readonly range: Range;
  readonly label: string;
}

/**
 * "Plumbline: 2 high · 1 medium" above each block with findings, "Plumbline:
 * compliant (N rules)" above the others, N being the rules that ran on the
 * file. A lens carries the block's findings to the command, so clicking it
 * needs no second request.
 */
export function codeLenses(uri: string, targets: readonly LensTarget[], findings: readonly Finding[], rulesRun: number, drift: readonly LensDrift[] = [], now = new Date()): CodeLens[] {
  return targets.map((t) => {
    const inside = findings.filter((f) => rangeContains(t.range, f.range));
    const counts = SEVERITIES.map((s) => [s, inside.filter((f) => f.severity === s).length] as const).filter(([, n]) => n > 0);
    const drifted = drift.find((d) => d.at.start.line === t.at.start.line && d.at.start.character === t.at.start.character);
    const title =
      (counts.length
        ? `Plumbline: ${counts.map(([s, n]) => `${n} ${s}`).join(' · ')}`
        : `Plumbline: compliant (${rulesRun} rule${rulesRun === 1 ? '' : 's'})`) + (drifted ? ` · ${driftWords(drifted, now)}` : '');
    const items = inside.map((f) => ({ ruleId: f.ruleId, severity: f.severity, message: f.message, range: f.range }));
    return { range: t.at, command: { title, command: SHOW_FINDINGS_COMMAND, arguments: [uri, t.label, items] } };
  });
}

/** A drifted or missing resource whose declaration is a lens target (its block header). */
export interface LensDrift {
  readonly at: Range;
  readonly status: 'drifted' | 'missing';
  /** When the live side was checked (ISO 8601), if known. */
  readonly checkedAt?: string;
}

/** "drifted 2 h ago", "missing live 5 min ago". */
function driftWords(d: LensDrift, now: Date): string {
  const word = d.status === 'drifted' ? 'drifted' : 'missing live';
  return d.checkedAt ? `${word} ${ago(d.checkedAt, now)}` : word;
}

/** Resources, data sources and module calls of a Terraform file. */
export function terraformTargets(file: HclFile): LensTarget[] {
  return file.body.blocks
    .filter((b) => b.type === 'resource' || b.type === 'data' || b.type === 'module')
    .map((b) => ({ at: b.headerRange, range: b.range, label: [b.type === 'resource' ? '' : b.type, ...b.labels.map((l) => l.value)].filter(Boolean).join('.') }));
}

/** Kubernetes objects (one lens per document with a kind) and pipeline jobs. */
export function yamlTargets(file: YamlFile): LensTarget[] {
  const out: LensTarget[] = [];
  for (const doc of file.documents) {
    const root = asMap(doc.root);
    if (!root || root.pairs.length === 0) continue;
    if (doc.kind === 'kubernetes') {
      const kind = str(get(root, 'kind'));
      if (!kind) continue;
      const name = str(get(get(root, 'metadata'), 'name'));
      out.push({ at: root.pairs[0]!.keyRange, range: doc.range, label: `${kind}${name ? ` ${name}` : ''}` });
    } else if (doc.kind === 'github-actions') {
      for (const job of asMap(get(root, 'jobs'))?.pairs ?? []) out.push({ at: job.keyRange, range: job.range, label: `job ${job.key}` });
    } else if (doc.kind === 'gitlab-ci') {
      for (const p of root.pairs)
        if (!RESERVED_KEYWORDS.has(p.key) && !p.key.startsWith('.') && p.value?.kind === 'map') out.push({ at: p.keyRange, range: p.range, label: `job ${p.key}` });
    }
  }
  return out;
}
