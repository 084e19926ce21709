import { blockChain, changeFix, dataChangeFix, insertBlocks, insertNestedBlock, primaryBlock } from '../../../fixes/aiml-terraform';
import { hclValue } from '../../../fixes/hcl';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';

interface Params {
  capture_bucket_uri?: string;
}

/**
 * QF-6 when data_capture_config is missing; otherwise the one argument or
 * capture mode the finding is about. Destination and key come from
 * capture_bucket_uri / kms_key_ref, else REPLACE_ME placeholders.
 */
export function fix(ctx: TerraformFixContext<Params>): Fix[] {
  const { data } = ctx;
  if (data.template === 'QF-6') return addDataCapture(ctx);
  if (data.block === 'data_capture_config.capture_options') return addCaptureModes(ctx);
  if (data.attribute === 'kms_key_id') return dataChangeFix(ctx, { source: true });
  if (data.attribute === 'destination_s3_uri' && !('value' in data)) {
    const uri = ctx.params.capture_bucket_uri?.trim() || PLACEHOLDER;
    return changeFix(ctx, ['data_capture_config'], [{ name: 'destination_s3_uri', source: hclValue(uri) }]);
  }
  return dataChangeFix(ctx);
}

function addDataCapture(ctx: TerraformFixContext<Params>): Fix[] {
  const cfg = primaryBlock(ctx);
  const { sampling, destination_s3_uri: uri, kms_key_id: key } = ctx.data as { sampling?: number; destination_s3_uri?: { value: string }; kms_key_id?: { value: string } };
  if (!cfg || typeof sampling !== 'number' || !uri || !key) return [];
  const body = [
    'enable_capture              = true',
    `initial_sampling_percentage = ${sampling}`,
    `destination_s3_uri          = ${hclValue(uri.value)}`,
    `kms_key_id                  = ${key.value}`,
    '',
    ...captureOption('Input'),
    ...captureOption('Output'),
  ];
  const edit = insertNestedBlock(ctx.file, cfg, 'data_capture_config', body);
  return [{ title: 'Add data_capture_config (capture Input and Output)', edits: [edit], ...(edit.newText.includes(PLACEHOLDER) ? { placeholder: true } : {}) }];
}

/** capture_options blocks for the modes the finding's data_capture_config does not capture yet. */
function addCaptureModes(ctx: TerraformFixContext<Params>): Fix[] {
  const cfg = primaryBlock(ctx);
  const dc = cfg && blockChain(cfg, ['data_capture_config'], ctx.finding.range)[0];
  if (!dc) return [];
  const modes = dc.body.blocks
    .filter((b) => b.type === 'capture_options')
    .map((b) => b.body.attributes.find((a) => a.name === 'capture_mode')?.expr.source.replace(/^"|"$/g, ''));
  const wanted = Array.isArray(ctx.data.values) ? (ctx.data.values as string[]) : [];
  const missing = modes.includes('InputAndOutput') ? [] : wanted.filter((m) => !modes.includes(m));
  if (missing.length === 0) return [];
  const edit = insertBlocks(ctx.file, dc, missing.map((m) => ({ header: 'capture_options', body: [`capture_mode = ${hclValue(m)}`] })));
  return [{ title: `Add capture_options { capture_mode = ${missing.map((m) => hclValue(m)).join(' } and { capture_mode = ')} }`, edits: [edit] }];
}

function captureOption(mode: string): string[] {
  return ['capture_options {', `  capture_mode = "${mode}"`, '}'];
}
