import * as path from 'node:path';
import type { HclBlock, HclExpr, HclFile } from '../model/hcl';
import type { Range } from '../model/location';
import type { ResourceAddress } from './address';
import type { Declaration } from './types';

/**
 * Maps a Terraform address to the block that declares it, and each changed
 * attribute path to its place in that block. JSON plans and state files carry
 * no source ranges, so the module path is resolved through what
 * `terraform init` recorded (`.terraform/modules/modules.json`: module key
 * `a.b` → directory) or, without it, through the `source` of local module
 * calls; then the `resource "TYPE" "NAME"` block is found among the module
 * directory's `.tf` files.
 */

/** The `.tf` files of a module directory (file system path), open buffers first; undefined when none. */
export type ModuleFiles = (dir: string) => readonly HclFile[] | undefined;

/** Reads a file as text; undefined when it does not exist. */
export type ReadText = (file: string) => string | undefined;

export class ModuleDirectory {
  private installed: Map<string, string> | undefined;
  /** Per module directory: `resource TYPE NAME` / `data TYPE NAME` → block (built on first use). */
  private readonly blocks = new Map<string, Map<string, HclBlock>>();

  constructor(
    /** Root module directory (file system path). */
    readonly root: string,
    private readonly files: ModuleFiles,
    private readonly read: ReadText,
  ) {}

  /** Directory of the module at `modules` (names from the root, instance keys ignored); undefined when not in the workspace. */
  dirOf(modules: readonly { readonly name: string }[]): string | undefined {
    if (modules.length === 0) return this.root;
    const key = modules.map((m) => m.name).join('.');
    const dir = this.modulesJson().get(key);
    if (dir !== undefined) return path.resolve(this.root, dir);
    // Without `terraform init`: follow local sources from the root.
    let current = this.root;
    for (const m of modules) {
      const call = this.files(current)
        ?.flatMap((f) => f.body.blocks)
        .find((b) => b.type === 'module' && b.labels[0]?.value === m.name);
      const source = call?.body.attributes.find((a) => a.name === 'source')?.expr;
      if (!source || source.type !== 'literal' || typeof source.value !== 'string' || !/^\.\.?(\/|$)/.test(source.value)) return undefined;
      current = path.resolve(current, source.value);
    }
    return current;
  }

  /** The block declaring a resource or data source, or undefined. */
  blockOf(address: ResourceAddress): HclBlock | undefined {
    const dir = this.dirOf(address.modules);
    if (dir === undefined) return undefined;
    let index = this.blocks.get(dir);
    if (!index) {
      index = new Map();
      for (const f of this.files(dir) ?? [])
        for (const b of f.body.blocks) {
          const key = `${b.type} ${b.labels[0]?.value} ${b.labels[1]?.value}`;
          if ((b.type === 'resource' || b.type === 'data') && b.labels.length === 2 && !index.has(key)) index.set(key, b);
        }
      this.blocks.set(dir, index);
    }
    return index.get(`${address.mode === 'data' ? 'data' : 'resource'} ${address.type} ${address.name}`);
  }

  private modulesJson(): Map<string, string> {
    if (this.installed) return this.installed;
    this.installed = new Map();
    const text = this.read(path.join(this.root, '.terraform', 'modules', 'modules.json'));
    if (text === undefined) return this.installed;
    try {
      const parsed = JSON.parse(text) as { Modules?: unknown };
      for (const m of Array.isArray(parsed.Modules) ? parsed.Modules : []) {
        const { Key, Dir } = (m ?? {}) as { Key?: unknown; Dir?: unknown };
        if (typeof Key === 'string' && Key && typeof Dir === 'string') this.installed.set(Key, Dir);
      }
    } catch {
      // A broken modules.json: fall back to local sources.
    }
    return this.installed;
  }
}

/**
 * The declaration of a block, with the range of each changed attribute path
 * the block writes: `versioning_configuration[0].status` → the `status`
 * attribute inside the first `versioning_configuration` block; `tags.owner`
 * → the `tags` attribute. A path the code does not write maps to nothing
 * (the diagnostic then sits on the block header).
 */
export function declarationOf(block: HclBlock, paths: readonly string[]): Declaration {
  const attributes: Record<string, Range> = {};
  for (const p of paths) {
    const range = rangeOfPath(block, p);
    if (range) attributes[p] = range;
  }
  return { uri: block.uri, range: block.headerRange, ...(Object.keys(attributes).length ? { attributes } : {}) };
}

function rangeOfPath(block: HclBlock, attributePath: string): Range | undefined {
  let body = block.body;
  let found: Range | undefined;
  const steps = pathSteps(attributePath);
  for (const [i, step] of steps.entries()) {
    if (step.index !== undefined && found) continue;
    const attr = body.attributes.find((a) => a.name === step.name);
    if (attr) return (steps[i + 1] && itemRange(attr.expr, steps[i + 1]!.name)) ?? attr.range;
    const nested = body.blocks.filter((b) => b.type === step.name);
    const next = nested[step.index ?? 0] ?? nested[0];
    if (!next) return found;
    found = next.headerRange;
    body = next.body;
  }
  return found;
}

/**
 * The item of a map written in the code for `key`: in an object literal
 * (`tags = { owner = "x" }`) or in the last literal argument of `merge` that
 * sets it (`merge(local.common, { owner = "x" })`).
 */
function itemRange(expr: HclExpr, key: string): Range | undefined {
  if (expr.type === 'object') return [...expr.items].reverse().find((item) => item.key === key)?.range;
  if (expr.type === 'call' && expr.name === 'merge') {
    for (const arg of [...expr.children].reverse()) {
      const r = arg.type === 'object' ? itemRange(arg, key) : undefined;
      if (r) return r;
    }
  }
  return undefined;
}

/** `a[0].b.c` → [{a, 0}, {b}, {c}]. */
export function pathSteps(attributePath: string): { name: string; index?: number }[] {
  const out: { name: string; index?: number }[] = [];
  for (const part of attributePath.split('.')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(part);
    if (!m) break;
    const indexes = [...m[2].matchAll(/\[(\d+)\]/g)].map((x) => Number(x[1]));
    out.push({ name: m[1], ...(indexes.length ? { index: indexes[0] } : {}) });
  }
  return out;
}
