import { companionFix, freeName, primaryBlock } from '../../../fixes/aiml-terraform';
import type { Fix, TerraformFixContext } from '../../../fixes/types';
import { PLACEHOLDER } from '../../../fixes/types';

const SETTING = 'azurerm_monitor_diagnostic_setting';

/**
 * QF-8: a diagnostic setting for the account, one enabled_log per required
 * category, with the Log Analytics workspace left as a placeholder.
 */
export function fix(ctx: TerraformFixContext<{ required_categories?: string[] }>): Fix[] {
  if (ctx.data.template !== 'QF-8') return [];
  const account = primaryBlock(ctx);
  const base = account?.labels[1]?.value;
  if (!account || !base) return [];
  const categories = ctx.params.required_categories?.length ? ctx.params.required_categories : ['Audit', 'RequestResponse'];
  const name = freeName(ctx.module, SETTING, `${base}_diag`);
  return companionFix(ctx, account, SETTING, name, (ref) => [
    `name                       = "${base}-diag"`,
    `target_resource_id         = ${ref('id')}`,
    `log_analytics_workspace_id = "${PLACEHOLDER}"`,
    ...categories.flatMap((c) => ['enabled_log {', `  category = ${JSON.stringify(c)}`, '}']),
  ]);
}
