import { dataChangeFix, insertNestedBlock, primaryBlock } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext } from '../../../fixes/types';

/**
 * Only when the module has exactly one guardrail and one published version
 * (the rule records them in the data): which guardrail applies is otherwise
 * a design decision, so findings without values get no fix.
 */
export function fix(ctx: TerraformFixContext<unknown>): Fix[] {
  const { data } = ctx;
  const values = data.values as Record<string, unknown> | undefined;
  if (data.fix === 'insert' && data.block === 'guardrail_configuration' && values) {
    const agent = primaryBlock(ctx);
    const id = values.guardrail_identifier;
    const version = values.guardrail_version;
    if (!agent || typeof id !== 'string' || typeof version !== 'string') return [];
    const body = [`guardrail_identifier = ${id}`, `guardrail_version    = ${version}`];
    return [{ title: `Add guardrail_configuration with ${id} at ${version}`, edits: [insertNestedBlock(ctx.file, agent, 'guardrail_configuration', body)] }];
  }
  // A published version replacing "DRAFT" (a reference, not a string), under the same one-guardrail condition.
  const oneGuardrail = ctx.module.resources('aws_bedrock_guardrail').length === 1;
  if (data.fix === 'set' && typeof data.value === 'string' && !data.placeholder && oneGuardrail) return dataChangeFix(ctx, { source: true });
  return [];
}
