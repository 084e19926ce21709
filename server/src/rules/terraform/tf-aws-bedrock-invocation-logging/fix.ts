import { changeFix, dataChangeFix, freeName, primaryBlock } from '../../../fixes/aiml-terraform';
import { addBlockAfter, resourceLines } from '../../../fixes/hcl';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';

const CONFIG = 'aws_bedrock_model_invocation_logging_configuration';

/**
 * QF-7: a logging configuration after the Bedrock resource the finding is
 * on. It is a per-region singleton, so it takes no count/for_each, only the
 * usage's provider and region so that it logs the region the usage is in.
 * The bucket is a placeholder (its policy must also admit bedrock.amazonaws.com).
 */
export function fix(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data } = ctx;
  if (data.template === 'QF-7') return addConfiguration(ctx);
  // A configuration without a destination: an S3 destination to fill in.
  if (data.fix === 'insert' && data.attribute === undefined && (data.block === 'logging_config' || data.block === 'logging_config.s3_config'))
    return changeFix(ctx, ['logging_config', 's3_config'], [{ name: 'bucket_name', source: `"${PLACEHOLDER}"` }]);
  return dataChangeFix(ctx);
}

function addConfiguration(ctx: TerraformFixContext<unknown>): Fix[] {
  const usage = primaryBlock(ctx);
  if (!usage) return [];
  const placement = usage.body.attributes.filter((a) => a.name === 'provider' || a.name === 'region').map((a) => `${a.name} = ${a.expr.source}`);
  const name = freeName(ctx.module, CONFIG, 'this');
  const lines = resourceLines(CONFIG, name, [
    ...placement,
    ...(placement.length ? [''] : []),
    'logging_config {',
    '  text_data_delivery_enabled      = true',
    '  image_data_delivery_enabled     = true',
    '  embedding_data_delivery_enabled = true',
    '  s3_config {',
    `    bucket_name = "${PLACEHOLDER}"`,
    '    key_prefix  = "bedrock-invocations/"',
    '  }',
    '}',
  ]);
  return [{ title: `Add ${CONFIG}.${name} (S3 bucket to fill in)`, edits: [addBlockAfter(ctx.file, usage, lines)], placeholder: true }];
}
