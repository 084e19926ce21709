import type { RelatedInfo } from '../../../engine/finding';
import { fix } from './fix';
import { isPlaceholder } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import type { HclBlock } from '../../../model/hcl';
import { accountRef, aiAccounts, DEFAULT_AI_KINDS, diagnosticSettingsFor } from '../../../terraform/azure';
import { address, attribute, hasDynamic, header, nestedBlocks, resourceName, type TerraformModule } from '../../../terraform/module';
import { isUnknown } from '../../../terraform/value';

interface Params {
  diagnostics_via_policy: boolean;
  required_categories: string[];
}

const DESTINATIONS = ['log_analytics_workspace_id', 'storage_account_id', 'eventhub_authorization_rule_id'];
/** Category groups that include every log category of a Cognitive Services account. */
const COVERING_GROUPS = ['audit', 'alllogs'];

type Verdict = { ok: true } | { ok: false; problem: string } | { ok: 'unknown'; origin: string };

export default defineRule<Params>({
  id: 'tf-azure-ai-diagnostic-logs',
  title: 'Azure AI accounts send audit and request logs to a diagnostic destination',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AU-2', 'AU-12'], euAiAct: ['Art.12', 'Art.19', 'Art.26(6)'], aiRmf: ['MANAGE 4.1'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      diagnostics_via_policy: {
        type: 'boolean',
        default: false,
        description: 'Diagnostic settings are deployed by Azure Policy (DeployIfNotExists): a missing setting is an info note instead of high.',
      },
      required_categories: {
        type: 'array',
        items: { type: 'string' },
        default: ['Audit', 'RequestResponse'],
        description: 'Log categories an enabled_log must cover (category_group "audit" or "allLogs" covers all).',
      },
    },
  },
  fix,
  check({ module, params, report, unknown }) {
    for (const account of aiAccounts(module, DEFAULT_AI_KINDS, unknown)) {
      const b = account.block;
      const links = diagnosticSettingsFor(module, b);
      const verdicts = links.linked.map((s) => ({ setting: s, verdict: checkSetting(module, s, params.required_categories) }));
      if (verdicts.some((v) => v.verdict.ok === true)) continue;
      const unknownVerdict = verdicts.find((v) => v.verdict.ok === 'unknown');
      if (unknownVerdict && unknownVerdict.verdict.ok === 'unknown') {
        unknown(header(unknownVerdict.setting), unknownVerdict.verdict.origin);
        continue;
      }
      const fix = { fix: 'add-resource', template: 'QF-8', resourceType: 'azurerm_monitor_diagnostic_setting', name: resourceName(b), target: accountRef(account) };
      if (verdicts.length > 0) {
        const related: RelatedInfo[] = verdicts.map(({ setting, verdict }) => ({
          at: header(setting),
          message: `${address(setting)}: ${verdict.ok === false ? verdict.problem : ''}`,
        }));
        report({
          at: header(b),
          related,
          message: `${address(b)} (${account.kind}) has diagnostic settings, but none sends the ${params.required_categories.join(' and ')} logs to a destination (${verdicts.map(({ verdict }) => (verdict.ok === false ? verdict.problem : '')).join('; ')}). Add enabled_log { category_group = "audit" } (or the categories) and a log_analytics_workspace_id, storage_account_id or eventhub_authorization_rule_id.`,
          data: { fix: 'none', reason: 'edit the linked diagnostic setting', settings: verdicts.map((v) => address(v.setting)) },
        });
        continue;
      }
      if (links.unknownLink || links.escapes) {
        unknown(header(b), `a diagnostic setting outside this module may target ${address(b)}`);
        continue;
      }
      report({
        at: header(b),
        severity: params.diagnostics_via_policy ? 'info' : 'high',
        message: params.diagnostics_via_policy
          ? `No azurerm_monitor_diagnostic_setting targets ${address(b)} in this workspace; diagnostics_via_policy says Azure Policy deploys it. Verify the policy assignment covers this account.`
          : `${address(b)} (${account.kind}) has no diagnostic setting: who called the model, with which request, is not logged or retained. Add an azurerm_monitor_diagnostic_setting with target_resource_id = ${accountRef(account)}.id, a log destination and enabled_log { category_group = "audit" }.`,
        data: fix,
      });
    }
  },
});

/** Whether one diagnostic setting has a destination and logs every required category. */
function checkSetting(module: TerraformModule, setting: HclBlock, required: readonly string[]): Verdict {
  // A REPLACE_ME left by the quick fix is no destination yet.
  const destination = DESTINATIONS.some((d) => {
    const a = attribute(setting, d);
    return !!a && !isPlaceholder(module.evaluate(a.expr, setting));
  });
  if (!destination) return { ok: false, problem: 'no log destination' };
  if (hasDynamic(setting, 'enabled_log')) return { ok: 'unknown', origin: `${address(setting)} has a dynamic enabled_log block` };
  const covered = new Set<string>();
  for (const log of nestedBlocks(setting, 'enabled_log')) {
    for (const name of ['category', 'category_group']) {
      const a = attribute(log, name);
      if (!a) continue;
      const v = module.evaluate(a.expr, setting);
      if (isUnknown(v)) return { ok: 'unknown', origin: `${address(setting)} enabled_log ${name} ${v.origin}` };
      if (typeof v !== 'string') continue;
      if (name === 'category_group' && COVERING_GROUPS.includes(v.toLowerCase())) return { ok: true };
      if (name === 'category') covered.add(v.toLowerCase());
    }
  }
  const missing = required.filter((c) => !covered.has(c.toLowerCase()));
  return missing.length === 0 ? { ok: true } : { ok: false, problem: `missing log categories ${missing.join(', ')}` };
}
