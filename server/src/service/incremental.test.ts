import assert from 'node:assert/strict';
import { Rng } from '../../../test/fuzz/prng';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { kubernetesDocuments, terraformOfLines } from '../../../test/bench/generate';
import type { Finding } from '../engine/finding';
import { memoryFileSystem } from './fileSystem';
import { LanguageService, toUri } from './languageService';

// After an edit, the language service reuses what the edit cannot have
// changed: the syntax of untouched blocks, per-resource results (`memo`), and
// whole rules whose resource types are untouched (engine/run.ts). Whatever
// the edits, the findings must be exactly those of a service that analyses
// the same text from scratch. Edits here are the ones that move findings:
// values flipped, resources added, removed and renamed, locals and provider
// default_tags changed, lines inserted. The seed reproduces a failure.

const SEED = Number(process.env.SERVICE_INCREMENTAL_SEED ?? 20261122);
const STEPS = 60;
const ROOT = '/ws';

/** The fuzzer's seeded generator, as a function. */
function random(seed: number): () => number {
  const rng = new Rng(seed);
  return () => rng.next();
}

const FLIPS: [RegExp, string][] = [
  [/"Enabled"/, '"Suspended"'],
  [/"Suspended"/, '"Enabled"'],
  [/"IMMUTABLE"/, '"MUTABLE"'],
  [/"MUTABLE"/, '"IMMUTABLE"'],
  [/scan_on_push = true/, 'scan_on_push = false'],
  [/scan_on_push = false/, 'scan_on_push = true'],
  [/owner\s*= "[^"]*"/, 'owner = ""'],
  [/owner = ""/, 'owner = "team-x"'],
  [/"confidential"/, '"internal"'],
  [/"internal"/, '"confidential"'],
  [/region\s*= "[^"]*"/, 'region = "us-east-1"'],
  [/region = "us-east-1"/, 'region = "eu-west-1"'],
  [/http_tokens\s*= "required"/, 'http_tokens = "optional"'],
  [/http_tokens = "optional"/, 'http_tokens = "required"'],
];

/** Top-level blocks of a text, by line span. */
function blocks(text: string): { start: number; end: number }[] {
  const lines = text.split('\n');
  const out: { start: number; end: number }[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^[a-z]+ .*\{\s*$/.test(lines[i]!)) continue;
    const end = lines.findIndex((l, j) => j > i && l === '}');
    if (end === -1) break;
    out.push({ start: i, end });
    i = end;
  }
  return out;
}

function mutate(text: string, next: () => number, counter: { n: number }): string {
  const roll = next();
  const lines = text.split('\n');
  const spans = blocks(text);
  if (roll < 0.55) {
    // Flip one occurrence of a value, somewhere in the file.
    const candidates = FLIPS.flatMap(([re, to]) => lines.flatMap((l, i) => (re.test(l) ? [{ i, re, to }] : [])));
    if (candidates.length === 0) return text;
    const c = candidates[Math.floor(next() * candidates.length)]!;
    lines[c.i] = lines[c.i]!.replace(c.re, c.to);
    return lines.join('\n');
  }
  if (spans.length === 0) return text;
  const span = spans[Math.floor(next() * spans.length)]!;
  const block = lines.slice(span.start, span.end + 1);
  if (roll < 0.7) {
    // Duplicate a block under a new name (a new resource, maybe a second companion).
    const copy = [...block];
    copy[0] = copy[0]!.replace(/"([^"]*)" \{$/, `"$1_copy${counter.n++}" {`);
    lines.splice(span.end + 1, 0, '', ...copy);
  } else if (roll < 0.8) {
    lines.splice(span.start, block.length); // delete a block
  } else if (roll < 0.9) {
    lines[span.start] = lines[span.start]!.replace(/"([^"]*)" \{$/, `"$1_r${counter.n++}" {`); // rename
  } else {
    lines.splice(span.start, 0, '# a comment line that shifts what follows');
  }
  return lines.join('\n');
}

function summary(findings: readonly Finding[]): string[] {
  return findings.map((f) => `${f.ruleId}@${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.severity} ${f.message}`);
}

async function check(name: string, files: Record<string, string>): Promise<void> {
  const next = random(SEED ^ name.length);
  const abs = (rel: string) => `${ROOT}/m/${rel}`;
  const disk = Object.fromEntries(Object.entries(files).map(([k, v]) => [abs(k), v]));
  const live = await LanguageService.create({ fs: memoryFileSystem(disk), roots: [ROOT] });
  const texts = { ...files };
  const names = Object.keys(files).filter((f) => f.endsWith('.tf'));
  names.forEach((f, i) => live.openDocument(toUri(abs(f)), texts[f]!, i + 1));
  const counter = { n: 0 };
  for (let step = 0; step < STEPS; step++) {
    const file = names[Math.floor(next() * names.length)]!;
    texts[file] = mutate(texts[file]!, next, counter);
    live.updateDocument(toUri(abs(file)), texts[file]!, step + 100);
    const fresh = await LanguageService.create({ fs: memoryFileSystem(Object.fromEntries(Object.entries(texts).map(([k, v]) => [abs(k), v]))), roots: [ROOT] });
    // Every file of the module, in a varying order (analysing one file analyses the module).
    for (const f of [...names].sort(() => next() - 0.5)) {
      const uri = toUri(abs(f));
      assert.deepEqual(summary(live.analyze(uri).findings), summary(fresh.analyze(uri).findings), `${f} differs after step ${step} (seed ${SEED})`);
    }
  }
}

const YAML_FLIPS: [RegExp, string][] = [
  [/runAsNonRoot: true/, 'runAsNonRoot: false'],
  [/runAsNonRoot: false/, 'runAsNonRoot: true'],
  [/:1\.0\.0$/, ':latest'],
  [/:latest$/, ':1.0.0'],
  [/memory: 2Gi/, 'memory: 4Gi'],
  [/namespace: ml-serving/, 'namespace: default'],
  [/namespace: default/, 'namespace: ml-serving'],
  [/^(\s+)cpu: "1"$/, '$1cpu: "2"'],
  // Namespaces, RBAC, service accounts and literal env values (the rule fixtures have them).
  [/name: cluster-admin$/, 'name: view'],
  [/name: view$/, 'name: cluster-admin'],
  [/- "\*"$/, '- get'],
  [/enforce: restricted$/, 'enforce: baseline'],
  [/automountServiceAccountToken: false/, 'automountServiceAccountToken: true'],
  [/automountServiceAccountToken: true/, 'automountServiceAccountToken: false'],
  [/serviceAccountName: [\w-]+/, 'serviceAccountName: default'],
  [/^(\s+value: )"?[\w-]+"?$/, '$1"AKIAIOSFODNN7EXAMPLE"'],
];

/** Flips a value, or deletes, duplicates or inserts before a document. */
function mutateYaml(text: string, next: () => number): string {
  const docs = text.split('\n---\n');
  const roll = next();
  const d = Math.floor(next() * docs.length);
  if (roll < 0.7) {
    const lines = docs[d]!.split('\n');
    const candidates = YAML_FLIPS.flatMap(([re, to]) => lines.flatMap((l, i) => (re.test(l) ? [{ i, re, to }] : [])));
    if (candidates.length === 0) return text;
    const c = candidates[Math.floor(next() * candidates.length)]!;
    lines[c.i] = lines[c.i]!.replace(c.re, c.to);
    docs[d] = lines.join('\n');
  } else if (roll < 0.8 && docs.length > 1) docs.splice(d, 1);
  else if (roll < 0.9) docs.splice(d, 0, docs[d]!.replace(/name: ([\w-]+)/, 'name: $1-copy'));
  else docs[d] = `# a comment line\n${docs[d]}`;
  return docs.join('\n---\n');
}

describe('reused analysis equals analysis from scratch after edits', () => {
  it('a multi-document Kubernetes file (document-scoped rules)', async () => {
    const next = random(SEED);
    const uri = toUri(`${ROOT}/k8s/app.yaml`);
    let text = kubernetesDocuments(30);
    const live = await LanguageService.create({ fs: memoryFileSystem({}), roots: [ROOT] });
    live.openDocument(uri, text, 1);
    for (let step = 0; step < STEPS; step++) {
      text = mutateYaml(text, next);
      live.updateDocument(uri, text, step + 2);
      // At another path, so that nothing the live service kept under its path can leak into the comparison.
      const freshUri = toUri(`${ROOT}/fresh-${step}/app.yaml`);
      const fresh = await LanguageService.create({ fs: memoryFileSystem({}), roots: [ROOT] });
      fresh.openDocument(freshUri, text, 1);
      assert.deepEqual(summary(live.analyze(uri).findings), summary(fresh.analyze(freshUri).findings), `differs after step ${step} (seed ${SEED})`);
    }
  });

  it('every Kubernetes rule fixture in one multi-document file', async () => {
    const rules = path.join(__dirname, '..', 'rules', 'kubernetes');
    const docs = readdirSync(rules).flatMap((rule) => {
      const dir = path.join(rules, rule, 'fixtures');
      return readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .map((f) => readFileSync(path.join(dir, f), 'utf8'))
        .filter((t) => !/^%/m.test(t));
    });
    const uri = toUri(`${ROOT}/k8s/all.yaml`);
    const next = random(SEED + 1);
    let text = docs.map((t) => t.replace(/^---\n/, '').trimEnd()).join('\n---\n');
    const live = await LanguageService.create({ fs: memoryFileSystem({}), roots: [ROOT] });
    live.openDocument(uri, text, 1);
    for (let step = 0; step < STEPS; step++) {
      text = mutateYaml(text, next);
      live.updateDocument(uri, text, step + 2);
      const freshUri = toUri(`${ROOT}/fresh-all-${step}/all.yaml`);
      const fresh = await LanguageService.create({ fs: memoryFileSystem({}), roots: [ROOT] });
      fresh.openDocument(freshUri, text, 1);
      assert.deepEqual(summary(live.analyze(uri).findings), summary(fresh.analyze(freshUri).findings), `differs after step ${step} (seed ${SEED + 1})`);
    }
  });

  it('a generated module of S3 buckets, companions, registries and instances', async () => {
    await check('generated', { 'main.tf': terraformOfLines(400), 'other.tf': terraformOfLines(120).replace(/store_/g, 'other_').replace(/images_/g, 'imgs_').replace(/trainer_/g, 'tr_') });
  });

  it('the example workspace: locals, provider default_tags, several files', async () => {
    const dir = path.join(__dirname, '..', '..', '..', 'examples', 'terraform');
    const files = Object.fromEntries(
      readdirSync(dir)
        .filter((f) => f.endsWith('.tf'))
        .map((f) => [f, readFileSync(path.join(dir, f), 'utf8')]),
    );
    await check('examples', files);
  });
});
