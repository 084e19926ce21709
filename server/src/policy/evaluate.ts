import type { ErrorObject } from 'ajv';
import type { Finding } from '../engine/finding';
import type { Range } from '../model/location';
import { pointer, segmentsOf, type Policy, type Subject } from './types';

/** Keywords that only look at which keys or items exist, or at the type: an unknown value inside does not change them. */
const STRUCTURAL = new Set(['type', 'required', 'additionalProperties', 'propertyNames', 'maxProperties', 'minItems', 'maxItems', 'dependentRequired', 'dependencies']);
/** Keywords about keys that may be missing: undecidable on an object that may hold more keys. */
const PRESENCE = new Set(['required', 'minProperties', 'dependentRequired', 'dependencies']);
/** Keywords whose failure depends on a branch: their sub-errors are details of one attempt, not findings. */
const BRANCHING = /\/(anyOf|oneOf|not|if|contains|propertyNames)\//;
const CONDITIONAL = /\/(anyOf|oneOf|not|if|then|else|contains|dependentSchemas|dependencies)(\/|$)/;

/**
 * Runs a policy's schema on a subject and turns each ajv error into a
 * finding at the text that caused it. Unknown values never cause one: an
 * error at or under an unknown value is dropped, as is any error that a
 * schema branch decided while an unknown value was in its reach.
 */
export function evaluatePolicy(policy: Policy, subject: Subject): Finding[] {
  if (policy.validate(subject.value)) return [];
  const out: Finding[] = [];
  const seen = new Set<string>();
  for (const e of policy.validate.errors ?? []) {
    if (e.keyword === 'if' || BRANCHING.test(e.schemaPath) || !decidable(e, subject)) continue;
    const range = rangeOf(e, subject);
    const message = `${policy.message}: ${describe(e, subject)}`;
    const key = `${range.start.line}:${range.start.character}:${range.end.line}:${range.end.character}|${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ ruleId: policy.id, severity: policy.severity, message, uri: subject.uri, range, data: { policy: policy.id, keyword: e.keyword, instancePath: e.instancePath } });
  }
  return out;
}

function decidable(e: ErrorObject, subject: Subject): boolean {
  const at = segmentsOf(e.instancePath);
  // At or under an unknown value: nothing is known there.
  for (let i = 0; i <= at.length; i++) if (subject.unknown.has(pointer(at.slice(0, i)))) return false;
  const here = pointer(at);
  if (PRESENCE.has(e.keyword) && subject.open.has(here)) return false;
  // A branch (anyOf, if/then …) chose on a value that holds an unknown: its verdict is not a fact.
  const conditional = CONDITIONAL.exec(e.schemaPath);
  if (conditional) {
    const depth = instanceDepth(e.schemaPath.slice(0, conditional.index), at.length);
    if (reachesUnknown(pointer(at.slice(0, depth)), subject)) return false;
  }
  return STRUCTURAL.has(e.keyword) || !reachesUnknown(here, subject);
}

/** Whether the value at `p` is, or holds, an unknown value or an open object. */
function reachesUnknown(p: string, subject: Subject): boolean {
  const under = (x: string) => p === '' || x === p || x.startsWith(`${p}/`);
  return [...subject.unknown].some(under) || [...subject.open].some(under);
}

/**
 * How deep in the instance the schema at `schemaPath` applies: each
 * `properties/<name>`, `patternProperties/<re>`, `items[/<i>]` or
 * `additionalProperties` step goes one level down. A `$ref` hides the path,
 * so the whole subject counts (the safe side).
 */
function instanceDepth(schemaPath: string, max: number): number {
  const steps = schemaPath.replace(/^#/, '').split('/').filter(Boolean);
  if (!schemaPath.startsWith('#') || steps.includes('$ref') || steps.includes('definitions') || steps.includes('$defs')) return 0;
  let depth = 0;
  for (let i = 0; i < steps.length; i++) {
    const s = steps[i]!;
    if (s === 'properties' || s === 'patternProperties') {
      depth++;
      i++;
    } else if (s === 'items') {
      depth++;
      if (/^\d+$/.test(steps[i + 1] ?? '')) i++;
    } else if (s === 'additionalProperties' || s === 'additionalItems') depth++;
    else if (s === 'dependentSchemas' || s === 'dependencies' || s === 'anyOf' || s === 'oneOf' || s === 'allOf') i++;
  }
  return Math.min(depth, max);
}

/**
 * A missing property lands on the key of the object that lacks it (a
 * block's header), an unexpected property on its key, any other error on
 * the value. When the text has no place for a pointer (a value computed
 * from a variable), the nearest enclosing one that has is used.
 */
function rangeOf(e: ErrorObject, subject: Subject): Range {
  const at = segmentsOf(e.instancePath);
  const property = e.keyword === 'additionalProperties' ? String(e.params.additionalProperty) : e.keyword === 'propertyNames' ? String(e.params.propertyName) : undefined;
  if (property !== undefined) {
    const own = subject.locate([...at, property]);
    if (own?.key) return own.key;
  }
  const wantKey = PRESENCE.has(e.keyword) || property !== undefined;
  for (let i = at.length; i >= 0; i--) {
    const found = subject.locate(at.slice(0, i));
    const range = wantKey ? (found?.key ?? found?.value) : (found?.value ?? found?.key);
    if (range) return range;
  }
  return subject.anchor;
}

function describe(e: ErrorObject, subject: Subject): string {
  const at = segmentsOf(e.instancePath);
  const where = at.length ? at.map((s, i) => (/^\d+$/.test(s) && i > 0 ? `[${s}]` : i > 0 ? `.${s}` : s)).join('') : subject.noun;
  if (e.keyword === 'pattern') return `${where} must match pattern ${String(e.params.pattern)}`;
  if (e.keyword === 'additionalProperties') return `${where} must not have property "${String(e.params.additionalProperty)}"`;
  if (e.keyword === 'enum') return `${where} must be one of ${(e.params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  if (e.keyword === 'const') return `${where} must be ${JSON.stringify(e.params.allowedValue)}`;
  return `${where} ${e.message ?? 'is invalid'}`;
}
