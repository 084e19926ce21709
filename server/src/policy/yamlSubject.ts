import type { Range } from '../model/location';
import type { YamlMap, YamlNode } from '../model/yaml';
import { pointer, type Subject } from './types';

export interface YamlSubjectOptions {
  readonly noun: string;
  /** Where a finding about the whole mapping lands (its key, or its first line). */
  readonly anchor: Range;
  /** A value written as a template or expression, decided only at deploy or run time. */
  readonly isUnknown: (node: YamlNode) => boolean;
  /** The mapping may receive more keys from elsewhere (GitLab `extends:`, `default:`). */
  readonly open?: boolean;
}

/**
 * A mapping of a YAML document (a Kubernetes object, a job, a step) as its
 * policy sees it: the plain value, with template expressions as unknown
 * placeholders. Pointers map back through the model itself.
 */
export function yamlSubject(map: YamlMap, options: YamlSubjectOptions): Subject {
  const unknown = new Set<string>();
  const toValue = (node: YamlNode | undefined, at: string[]): unknown => {
    if (!node) return null;
    if (options.isUnknown(node)) {
      unknown.add(pointer(at));
      return null;
    }
    if (node.kind === 'scalar') return node.value;
    if (node.kind === 'seq') return node.items.map((x, i) => toValue(x, [...at, String(i)]));
    const out: Record<string, unknown> = {};
    for (const p of node.pairs) Object.defineProperty(out, p.key, { value: toValue(p.value, [...at, p.key]), enumerable: true, writable: true, configurable: true });
    return out;
  };
  return {
    uri: map.uri,
    noun: options.noun,
    value: toValue(map, []),
    unknown,
    open: new Set(options.open ? [''] : []),
    anchor: options.anchor,
    locate: (segments) => {
      if (segments.length === 0) return { key: options.anchor, value: options.anchor };
      let node: YamlNode | undefined = map;
      let key: Range | undefined;
      for (const s of segments) {
        if (node?.kind === 'map') {
          const p: { keyRange: Range; value: YamlNode | undefined } | undefined = node.pairs.find((x) => x.key === s);
          if (!p) return undefined;
          key = p.keyRange;
          node = p.value;
        } else if (node?.kind === 'seq') {
          node = node.items[Number(s)];
          key = undefined;
          if (!node) return undefined;
        } else return undefined;
      }
      // A sequence item has no key of its own: its first line stands for it.
      return { key: key ?? firstLine(node), value: node?.range ?? key };
    },
  };
}

/** A mapping item's first key, or the node itself. */
function firstLine(node: YamlNode | undefined): Range | undefined {
  if (node?.kind === 'map') return node.pairs[0]?.keyRange ?? node.range;
  return node?.range;
}
