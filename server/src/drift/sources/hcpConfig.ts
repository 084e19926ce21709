import { readdir, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findAttribute, findBlocks, type HclAttribute, type HclBlock, type HclBody } from '../../model/hcl';
import { HclParser } from '../../parsers/hcl/parser';
import { DriftError } from '../types';

/**
 * Which HCP Terraform / Terraform Enterprise workspaces a root module uses,
 * read from its `terraform { cloud { … } }` block or the legacy
 * `backend "remote" { … }`, completed by the environment the CLI reads.
 *
 * Terraform takes the configuration first: `TF_CLOUD_ORGANIZATION`,
 * `TF_CLOUD_HOSTNAME` and `TF_CLOUD_PROJECT` fill in what the cloud block
 * omits, and `TF_WORKSPACE` picks one workspace among those the block
 * selects (it must be one of them).
 */

export const DEFAULT_HCP_HOST = 'app.terraform.io';

export type WorkspaceSelector =
  /** One workspace by name. */
  | { readonly kind: 'name'; readonly name: string }
  /**
   * Workspaces carrying every tag: a list of key-only tags (`search[tags]`)
   * or a map of key/value tags (`filter[tagged]`). `project` narrows the
   * list; `name` (from TF_WORKSPACE) picks one of them.
   */
  | {
      readonly kind: 'tags';
      readonly tags: readonly string[] | Readonly<Record<string, string>>;
      readonly project?: string;
      readonly name?: string;
    }
  /** Every workspace of a project (cloud block with only `project`); `name` picks one. */
  | { readonly kind: 'project'; readonly project: string; readonly name?: string }
  /** `backend "remote"` with `prefix`: workspaces named prefix + CLI workspace; `name` (prefix + TF_WORKSPACE) picks one. */
  | { readonly kind: 'prefix'; readonly prefix: string; readonly name?: string };

export interface HcpConfig {
  /** Lowercase host, with a port when one is given: `app.terraform.io`, `tfe.example.com:8443`. */
  readonly hostname: string;
  readonly organization: string;
  readonly workspaces: WorkspaceSelector;
  readonly block: 'cloud' | 'remote';
  /** The file holding the block. */
  readonly file: string;
}

type Env = Readonly<Record<string, string | undefined>>;

const SETTINGS_HINT = 'Set organization and workspaces in the terraform { cloud { … } } block (or TF_CLOUD_ORGANIZATION and TF_WORKSPACE).';

/** Whether the root module has a cloud block or a remote backend (without judging its values). */
export async function applies(root: string, parser?: HclParser): Promise<boolean> {
  return (await findBlock(root, parser)) !== undefined;
}

/** The root module's HCP settings; a DriftError('not-configured') says what is missing or unreadable. */
export async function readHcpConfig(root: string, env: Env, parser?: HclParser): Promise<HcpConfig> {
  const found = await findBlock(root, parser);
  if (!found) {
    throw new DriftError('not-configured', `No terraform { cloud { … } } block or backend "remote" in ${root}.`, SETTINGS_HINT);
  }
  const { block, file } = found;
  const where = `${block.type === 'cloud' ? 'the cloud block' : 'backend "remote"'} in ${path.basename(file)}`;
  const text = (body: HclBody, name: string) => literalString(findAttribute(body, name), where);
  return block.type === 'cloud' ? cloudConfig(block, file, env, where, text) : remoteConfig(block, file, env, where, text);
}

type Reader = (body: HclBody, name: string) => string | undefined;

function cloudConfig(block: HclBlock, file: string, env: Env, where: string, text: Reader): HcpConfig {
  const organization = text(block.body, 'organization') ?? nonEmpty(env.TF_CLOUD_ORGANIZATION);
  if (!organization) throw new DriftError('not-configured', `No organization in ${where}.`, 'Add organization = "…" to the cloud block, or set TF_CLOUD_ORGANIZATION.');
  const hostname = normaliseHost(text(block.body, 'hostname') ?? nonEmpty(env.TF_CLOUD_HOSTNAME) ?? DEFAULT_HCP_HOST, where);
  const ws = findBlocks(block.body, 'workspaces')[0];
  const selected = nonEmpty(env.TF_WORKSPACE);
  const name = ws && text(ws.body, 'name');
  const project = (ws && text(ws.body, 'project')) ?? nonEmpty(env.TF_CLOUD_PROJECT);
  const tags = ws && tagsOf(findAttribute(ws.body, 'tags'), where);
  let workspaces: WorkspaceSelector;
  if (name !== undefined && tags !== undefined) {
    throw new DriftError('not-configured', `The workspaces block of ${where} sets both name and tags; Terraform accepts only one.`, 'Keep either name or tags.');
  } else if (name !== undefined) {
    if (selected && selected !== name) {
      throw new DriftError('not-configured', `TF_WORKSPACE is "${selected}" but ${where} names workspace "${name}".`, 'Unset TF_WORKSPACE or make it match the workspace name.');
    }
    workspaces = { kind: 'name', name };
  } else if (tags !== undefined) {
    workspaces = { kind: 'tags', tags, ...(project ? { project } : {}), ...(selected ? { name: selected } : {}) };
  } else if (selected) {
    workspaces = { kind: 'name', name: selected };
  } else if (project) {
    workspaces = { kind: 'project', project };
  } else {
    throw new DriftError('not-configured', `${capitalise(where)} names no workspace.`, 'Add workspaces { name = "…" } or workspaces { tags = [ … ] } to the cloud block, or set TF_WORKSPACE.');
  }
  return { hostname, organization, workspaces, block: 'cloud', file };
}

function remoteConfig(block: HclBlock, file: string, env: Env, where: string, text: Reader): HcpConfig {
  const organization = text(block.body, 'organization');
  if (!organization) throw new DriftError('not-configured', `No organization in ${where}.`, 'Add organization = "…" to the remote backend.');
  const hostname = normaliseHost(text(block.body, 'hostname') ?? DEFAULT_HCP_HOST, where);
  const ws = findBlocks(block.body, 'workspaces')[0];
  const name = ws && text(ws.body, 'name');
  const prefix = ws && text(ws.body, 'prefix');
  const selected = nonEmpty(env.TF_WORKSPACE);
  let workspaces: WorkspaceSelector;
  if (name !== undefined) workspaces = { kind: 'name', name };
  else if (prefix !== undefined) workspaces = { kind: 'prefix', prefix, ...(selected ? { name: `${prefix}${selected}` } : {}) };
  else throw new DriftError('not-configured', `${capitalise(where)} names no workspace.`, 'Add workspaces { name = "…" } or workspaces { prefix = "…" } to the remote backend.');
  return { hostname, organization, workspaces, block: 'remote', file };
}

/** A literal string attribute; undefined when absent; an expression is refused (Terraform allows none here either). */
function literalString(attr: HclAttribute | undefined, where: string): string | undefined {
  if (!attr) return undefined;
  const e = attr.expr;
  if (e.type === 'literal' && typeof e.value === 'string') return e.value;
  throw new DriftError(
    'not-configured',
    `"${attr.name}" in ${where} is not a plain string (${short(e.source)}); Plumbline reads only literal values there.`,
    `Write ${attr.name} as a quoted string; Terraform does not allow variables in this block either.`,
  );
}

function tagsOf(attr: HclAttribute | undefined, where: string): string[] | Record<string, string> | undefined {
  if (!attr) return undefined;
  const e = attr.expr;
  const refuse = () =>
    new DriftError('not-configured', `"tags" in ${where} is not a list or map of plain strings (${short(e.source)}).`, 'Write tags as ["a", "b"] or { key = "value" } with literal strings.');
  if (e.type === 'tuple') {
    return e.items.map((item) => {
      if (item.type === 'literal' && typeof item.value === 'string') return item.value;
      throw refuse();
    });
  }
  if (e.type === 'object') {
    const out: Record<string, string> = {};
    for (const item of e.items) {
      if (item.key === undefined || item.value.type !== 'literal' || typeof item.value.value !== 'string') throw refuse();
      out[item.key] = item.value.value;
    }
    return out;
  }
  throw refuse();
}

const HOST = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*(:\d{1,5})?$/;

function normaliseHost(value: string, where: string): string {
  const host = value.trim().toLowerCase().replace(/\.$/, '');
  if (!HOST.test(host)) {
    throw new DriftError('not-configured', `The hostname "${short(value)}" in ${where} is not a host name.`, 'Write the bare host, e.g. hostname = "app.terraform.io" (no https:// and no path).');
  }
  return host;
}

async function findBlock(root: string, parser?: HclParser): Promise<{ block: HclBlock; file: string } | undefined> {
  let names: string[];
  try {
    names = (await readdir(root)).filter((n) => n.endsWith('.tf')).sort();
  } catch {
    return undefined;
  }
  let hcl = parser;
  for (const name of names) {
    const file = path.join(root, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      continue;
    }
    // Most files have neither word; skip parsing them.
    if (!/\bcloud\b|\bbackend\b/.test(text)) continue;
    hcl ??= await HclParser.create();
    const parsed = hcl.parse(pathToFileURL(file).href, text, false);
    for (const tf of findBlocks(parsed.body, 'terraform')) {
      const cloud = findBlocks(tf.body, 'cloud')[0];
      if (cloud) return { block: cloud, file };
      const remote = findBlocks(tf.body, 'backend').find((b) => b.labels[0]?.value === 'remote');
      if (remote) return { block: remote, file };
    }
  }
  return undefined;
}

function nonEmpty(v: string | undefined): string | undefined {
  return v && v.trim() ? v.trim() : undefined;
}

function short(text: string): string {
  const one = text.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 59)}…` : one;
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
