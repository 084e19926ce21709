/**
 * Terraform resource addresses (`module.a["k"].module.b.aws_s3_bucket.x[0]`,
 * `data.aws_iam_policy_document.p`), split into what mapping needs.
 */

export interface ModuleStep {
  readonly name: string;
  /** The module call's `count` index or `for_each` key. */
  readonly key?: string | number;
}

export interface ResourceAddress {
  /** Module calls from the root, outermost first; empty for the root module. */
  readonly modules: readonly ModuleStep[];
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly key?: string | number;
}

/** Parses an address; undefined when it is not one (a garbage line, an output address). */
export function parseAddress(address: string): ResourceAddress | undefined {
  const steps = splitSteps(address);
  if (!steps) return undefined;
  const modules: ModuleStep[] = [];
  let i = 0;
  while (steps[i]?.name === 'module' && steps[i].key === undefined && steps[i + 1] && steps.length - i > 2) {
    modules.push(steps[i + 1]);
    i += 2;
  }
  let mode: 'managed' | 'data' = 'managed';
  if (steps[i]?.name === 'data' && steps[i].key === undefined && steps.length - i === 3) {
    mode = 'data';
    i++;
  }
  if (steps.length - i !== 2) return undefined;
  const [type, name] = [steps[i], steps[i + 1]];
  if (type.key !== undefined || type.name === 'module' || !IDENT.test(type.name) || !IDENT.test(name.name)) return undefined;
  return { modules, mode, type: type.name, name: name.name, ...(name.key !== undefined ? { key: name.key } : {}) };
}

/** `module.a.module.b` of an address ('' at the root), keys included. */
export function modulePath(a: ResourceAddress): string {
  return a.modules.map((m) => `module.${m.name}${keySuffix(m.key)}`).join('.');
}

/** The canonical text of an address, as Terraform prints it. */
export function formatAddress(a: ResourceAddress): string {
  const mod = modulePath(a);
  const res = `${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}${keySuffix(a.key)}`;
  return mod ? `${mod}.${res}` : res;
}

export function keySuffix(key: string | number | undefined): string {
  if (key === undefined) return '';
  return typeof key === 'number' ? `[${key}]` : `[${JSON.stringify(key)}]`;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `a.b["k.x"][0]` → [{a}, {b, key:'k.x'}] … ; undefined on a syntax error. */
function splitSteps(text: string): { name: string; key?: string | number }[] | undefined {
  const out: { name: string; key?: string | number }[] = [];
  let i = 0;
  while (i < text.length) {
    const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(text.slice(i));
    if (!m) return undefined;
    i += m[0].length;
    let key: string | number | undefined;
    if (text[i] === '[') {
      const end = closeBracket(text, i);
      if (end < 0) return undefined;
      const inner = text.slice(i + 1, end);
      if (/^\d+$/.test(inner)) key = Number(inner);
      else {
        try {
          const v: unknown = JSON.parse(inner);
          if (typeof v !== 'string') return undefined;
          key = v;
        } catch {
          return undefined;
        }
      }
      i = end + 1;
    }
    out.push({ name: m[0], ...(key !== undefined ? { key } : {}) });
    if (i === text.length) break;
    if (text[i] !== '.') return undefined;
    i++;
    if (i === text.length) return undefined;
  }
  return out.length ? out : undefined;
}

function closeBracket(text: string, open: number): number {
  let inString = false;
  for (let i = open + 1; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ']') return i;
  }
  return -1;
}
