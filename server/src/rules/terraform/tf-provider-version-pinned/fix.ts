import { deleteAttribute, hclValue, insertAttributes, insertBlock } from '../../../fixes/hcl';
import { topLevelBlockAt } from '../../../fixes/standard';
import { eolOf, insertAt } from '../../../fixes/text';
import { addObjectItems } from '../../../fixes/tfrules-object';
import { PLACEHOLDER, type Fix, type TerraformFixContext, type TextEdit } from '../../../fixes/types';
import type { HclAttribute, HclBlock, HclFile } from '../../../model/hcl';

/**
 * A provider version comes only from `.terraform.lock.hcl` (the version that
 * was tested): the finding carries it as `value`, or carries no fix. The
 * required_version fix is a REPLACE_ME placeholder; a legacy
 * `provider { version }` moves to required_providers.
 */
export function fixProviderVersion(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data } = ctx;
  if (data.fix === 'insert' && data.attribute === 'required_version') return addRequiredVersion(ctx);
  if (data.fix === 'delete' && typeof data.provider === 'string') return moveLegacyVersion(ctx, data.provider);
  if (typeof data.value !== 'string' || typeof data.provider !== 'string') return [];
  const version = hclValue(data.value);
  const top = topLevelBlockAt(ctx.file, ctx.finding.range);
  if (!top) return [];
  if (data.fix === 'set') {
    const attr = entryOf(top, data.provider);
    const expr = attr?.expr.type === 'object' ? attr.expr.items.find((i) => i.key === 'version')?.value : attr?.expr;
    return expr ? [{ title: `Set version = ${version}`, edits: [{ uri: ctx.file.uri, range: expr.range, newText: version }] }] : [];
  }
  if (data.fix !== 'insert') return [];
  const entry = entryOf(top, data.provider);
  if (entry?.expr.type === 'object') return [{ title: `Add version = ${version}`, edits: addObjectItems(ctx.file, entry.expr, [['version', version]]) }];
  if (entry || typeof data.source !== 'string' || top.type !== 'terraform') return [];
  const value = `{ source = ${hclValue(data.source)}, version = ${version} }`;
  return [{ title: `Add ${data.provider} = ${value} to required_providers`, edits: addEntry(ctx.file, top, data.provider, value) }];
}

function addRequiredVersion(ctx: TerraformFixContext<unknown>): Fix[] {
  const top = topLevelBlockAt(ctx.file, ctx.finding.range);
  if (!top) return [];
  const value = hclValue(PLACEHOLDER);
  const title = `Add required_version = ${value}`;
  if (top.type === 'terraform') return [{ title, edits: insertAttributes(ctx.file, top, [['required_version', value]]), placeholder: true }];
  // No terraform block in the module: the finding is on the first resource; add one before it.
  if (ctx.module.topLevel('terraform').length > 0) return [];
  const eol = eolOf(ctx.file.text);
  const block = ['terraform {', `  required_version = ${value}`, '}', '', ''].join(eol);
  return [{ title, edits: [insertAt(ctx.file.uri, { line: top.range.start.line, character: 0 }, block)], placeholder: true }];
}

/** Deletes `version` from a provider block and declares it in required_providers, where Terraform reads it. */
function moveLegacyVersion(ctx: TerraformFixContext<unknown>, name: string): Fix[] {
  const provider = topLevelBlockAt(ctx.file, ctx.finding.range);
  const legacy = provider?.body.attributes.find((a) => a.name === 'version');
  if (!provider || !legacy) return [];
  const edits: TextEdit[] = [deleteAttribute(ctx.file, legacy)];
  const terraform = ctx.module.topLevel('terraform').find((b) => b.uri === ctx.file.uri);
  const entry = terraform && entryOf(terraform, name);
  const value = `{ source = "hashicorp/${name}", version = ${legacy.expr.source} }`;
  if (entry?.expr.type === 'object') {
    if (!entry.expr.items.some((i) => i.key === 'version')) edits.push(...addObjectItems(ctx.file, entry.expr, [['version', legacy.expr.source]]));
  } else if (entry) {
    // A string shorthand already holds a constraint: it wins, the legacy one only goes.
  } else if (terraform) edits.push(...addEntry(ctx.file, terraform, name, value));
  else if (ctx.module.topLevel('terraform').length > 0) return [];
  else {
    const eol = eolOf(ctx.file.text);
    const block = ['terraform {', '  required_providers {', `    ${name} = ${value}`, '  }', '}', '', ''].join(eol);
    edits.push(insertAt(ctx.file.uri, { line: provider.range.start.line, character: 0 }, block));
  }
  return [{ title: `Move version = ${legacy.expr.source} to terraform { required_providers }`, edits }];
}

function entryOf(terraform: HclBlock, name: string): HclAttribute | undefined {
  for (const rp of terraform.body.blocks.filter((b) => b.type === 'required_providers')) {
    const attr = rp.body.attributes.find((a) => a.name === name);
    if (attr) return attr;
  }
  return undefined;
}

function addEntry(file: HclFile, terraform: HclBlock, name: string, value: string): TextEdit[] {
  const rp = terraform.body.blocks.find((b) => b.type === 'required_providers');
  return rp ? insertAttributes(file, rp, [[name, value]]) : [insertBlock(file, terraform, 'required_providers', [`${name} = ${value}`])];
}
