import type { ReportInput } from '../../../engine/finding';
import { fix } from './fix';
import { defineRule } from '../../../engine/rule';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { linkCompanions } from '../../../terraform/companions';
import { isDataAsset, ownTags } from '../../../terraform/dataAsset';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown, type Value } from '../../../terraform/value';

interface Params {
  min_soft_delete_days: number;
  min_retention_days: number;
  require_locked: boolean;
}

const IMMUTABLE_CLASSES = ['dataset', 'model', 'audit-log'];
const NO_NAME = '\u0000'; // link by reference only, never by bare name

type Verdict = 'pass' | 'fail' | 'unknown';

export default defineRule<Params>({
  id: 'tf-azure-storage-versioning-immutability',
  title: 'Azure data-asset storage accounts keep blob versions and immutable copies',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AU-9', 'AU-11', 'CP-9', 'SI-7'], euAiAct: ['Art.10', 'Art.12', 'Art.19'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      min_soft_delete_days: { type: 'integer', minimum: 1, default: 7, description: 'Minimum blob_properties.delete_retention_policy.days.' },
      min_retention_days: {
        type: 'integer',
        minimum: 1,
        default: 183,
        description: 'Minimum immutability period in days for dataset, model and audit-log accounts (account or container policy).',
      },
      require_locked: {
        type: 'boolean',
        default: false,
        description: 'Require the immutability policy to be locked (account state = "Locked", container locked = true). Locking is irreversible.',
      },
    },
  },
  fix,
  check({ module, params, report, unknown }) {
    for (const account of module.resources('azurerm_storage_account')) {
      if (!isDataAsset(module, account)) continue;
      checkBlobProperties(module, account, params, report, unknown);
      const assetType = ownTags(module, account)?.['ai-asset-type'];
      if (typeof assetType === 'string' && IMMUTABLE_CLASSES.includes(assetType)) checkImmutability(module, account, assetType, params, report, unknown);
    }
  },
});

type Report = (f: ReportInput) => void;
type UnknownFn = (at: Located, origin: string) => void;

function evalAttr(module: TerraformModule, block: HclBlock, within: HclBlock, name: string): { at: Located; value: Value } | undefined {
  const a = attribute(block, name);
  return a ? { at: valueOf(a), value: module.evaluate(a.expr, within) } : undefined;
}

/** Versioning, change feed and soft delete on `blob_properties`. */
function checkBlobProperties(module: TerraformModule, account: HclBlock, params: Params, report: Report, unknown: UnknownFn): void {
  const hns = evalAttr(module, account, account, 'is_hns_enabled');
  if (hns && (isUnknown(hns.value) || hns.value === true)) {
    // Blob versioning / change feed support on hierarchical-namespace accounts is not settled (catalog ⚠): unknown.
    unknown(hns.at, isUnknown(hns.value) ? hns.value.origin : 'versioning support on hierarchical-namespace (Data Lake) accounts is not verified');
    return;
  }
  if (hasDynamic(account, 'blob_properties')) {
    unknown(header(account), 'blob_properties is a dynamic block whose content is unknown');
    return;
  }
  const bp = nestedBlocks(account, 'blob_properties')[0];
  if (!bp) {
    report({
      at: header(account),
      message: `Data-asset storage account ${address(account)} has no blob_properties: blob versioning (default off), change feed (default off) and soft delete are all disabled, so overwritten or deleted training data and models cannot be recovered or traced. Add blob_properties { versioning_enabled = true, change_feed_enabled = true, delete_retention_policy { days = ${params.min_soft_delete_days} } }.`,
      data: { fix: 'insert', block: 'blob_properties', attributes: { versioning_enabled: true, change_feed_enabled: true }, deleteRetentionDays: params.min_soft_delete_days },
    });
    return;
  }
  for (const [name, what] of [
    ['versioning_enabled', 'blob versioning: an overwritten blob keeps no earlier version'],
    ['change_feed_enabled', 'the change feed: there is no ordered log of blob changes for lineage and audit'],
  ] as const) {
    const v = evalAttr(module, bp, account, name);
    if (v && isUnknown(v.value)) {
      unknown(v.at, v.value.origin);
      continue;
    }
    if (v && (v.value === true || v.value === 'true')) continue;
    report({
      at: v ? v.at : header(bp),
      message: `Data-asset storage account ${address(account)} ${v ? `sets ${name} = ${JSON.stringify(v.value)}` : `does not set ${name} (default false)`}, which disables ${what}. Set ${name} = true.`,
      data: { fix: v ? 'set' : 'insert', block: 'blob_properties', attribute: name, value: true },
    });
  }
  if (hasDynamic(bp, 'delete_retention_policy')) {
    unknown(header(bp), 'delete_retention_policy is a dynamic block');
    return;
  }
  const drp = nestedBlocks(bp, 'delete_retention_policy')[0];
  if (!drp) {
    report({
      at: header(bp),
      message: `Data-asset storage account ${address(account)} has no blob soft delete (blob_properties.delete_retention_policy): a deleted blob is gone at once. Add delete_retention_policy { days = ${params.min_soft_delete_days} } or more.`,
      data: { fix: 'insert', block: 'blob_properties.delete_retention_policy', attribute: 'days', value: params.min_soft_delete_days },
    });
    return;
  }
  const days = evalAttr(module, drp, account, 'days');
  const d = days ? days.value : 7; // provider default
  if (isUnknown(d)) unknown(days!.at, d.origin);
  else if (typeof d === 'number' && d < params.min_soft_delete_days)
    report({
      at: days ? days.at : header(drp),
      message: `Blob soft delete on ${address(account)} keeps deleted blobs for ${d} days (${days ? 'set' : 'provider default'}), less than min_soft_delete_days = ${params.min_soft_delete_days}. Set days = ${params.min_soft_delete_days} or more.`,
      data: { fix: days ? 'set' : 'insert', block: 'blob_properties.delete_retention_policy', attribute: 'days', value: params.min_soft_delete_days },
    });
}

/** Account-level immutability_policy, or a container-level policy on a container of this account. */
function checkImmutability(module: TerraformModule, account: HclBlock, assetType: string, params: Params, report: Report, unknown: UnknownFn): void {
  const pending: ReportInput[] = [];
  const verdicts: Verdict[] = [];
  const lockHint = params.require_locked ? ' and locked' : '';

  if (hasDynamic(account, 'immutability_policy')) verdicts.push('unknown');
  for (const ip of nestedBlocks(account, 'immutability_policy')) {
    const state = evalAttr(module, ip, account, 'state');
    const period = evalAttr(module, ip, account, 'period_since_creation_in_days');
    let verdict: Verdict = 'pass';
    const accepted = params.require_locked ? ['Locked'] : ['Locked', 'Unlocked'];
    if (!state || isUnknown(state.value)) verdict = state ? 'unknown' : 'fail';
    else if (!accepted.includes(String(state.value))) {
      verdict = 'fail';
      pending.push({
        at: state.at,
        message: `immutability_policy state = ${JSON.stringify(state.value)} on ${address(account)} (ai-asset-type = "${assetType}"): blobs can still be overwritten or deleted. Set state = "${params.require_locked ? 'Locked' : 'Unlocked'}"${params.require_locked ? '' : ' (lock it once the retention period is agreed; locking is irreversible)'}.`,
        data: { fix: 'none', reason: 'locking an immutability policy is irreversible' },
      });
    }
    if (period && isUnknown(period.value)) {
      if (verdict === 'pass') verdict = 'unknown';
    } else if (!period || (typeof period.value === 'number' && period.value < params.min_retention_days)) {
      verdict = verdict === 'unknown' ? 'unknown' : 'fail';
      pending.push({
        at: period ? period.at : header(ip),
        message: `immutability_policy on ${address(account)} retains blobs for ${period ? `${JSON.stringify(period.value)} days` : 'an unset period'}, less than min_retention_days = ${params.min_retention_days}. Set period_since_creation_in_days = ${params.min_retention_days} or more.`,
        data: { fix: period ? 'set' : 'insert', block: 'immutability_policy', attribute: 'period_since_creation_in_days', value: params.min_retention_days },
      });
    }
    verdicts.push(verdict);
  }

  // Containers of this account (v4 storage_account_id, or the deprecated storage_account_name) and their policies.
  const byId = linkCompanions(module, account, 'azurerm_storage_container', 'storage_account_id', NO_NAME);
  const byName = linkCompanions(module, account, 'azurerm_storage_container', 'storage_account_name', 'name');
  let mayBeElsewhere = byId.unknownLink || byName.unknownLink || byId.escapes;
  for (const container of new Set([...byId.linked, ...byName.linked])) {
    const links = linkCompanions(module, container, 'azurerm_storage_container_immutability_policy', 'storage_container_resource_manager_id', NO_NAME);
    mayBeElsewhere ||= links.unknownLink || links.escapes;
    for (const policy of links.linked) {
      const period = evalAttr(module, policy, policy, 'immutability_period_in_days');
      const locked = evalAttr(module, policy, policy, 'locked');
      if ((period && isUnknown(period.value)) || (params.require_locked && locked && isUnknown(locked.value))) {
        verdicts.push('unknown');
        continue;
      }
      const shortPeriod = !period || typeof period.value !== 'number' || period.value < params.min_retention_days;
      const notLocked = params.require_locked && !(locked && (locked.value === true || locked.value === 'true'));
      if (!shortPeriod && !notLocked) {
        verdicts.push('pass');
        continue;
      }
      verdicts.push('fail');
      pending.push({
        at: shortPeriod ? (period ? period.at : header(policy)) : locked ? locked.at : header(policy),
        message: shortPeriod
          ? `Container immutability policy ${address(policy)} retains blobs for ${period ? `${JSON.stringify(period.value)} days` : 'an unset period'}, less than min_retention_days = ${params.min_retention_days}. Set immutability_period_in_days = ${params.min_retention_days} or more.`
          : `Container immutability policy ${address(policy)} is not locked, and require_locked is set: it can still be shortened or removed. Set locked = true (irreversible).`,
        related: [{ at: header(account), message: `Storage account: ${address(account)}` }],
        data: shortPeriod
          ? { fix: period ? 'set' : 'insert', attribute: 'immutability_period_in_days', value: params.min_retention_days }
          : { fix: 'none', reason: 'locking is irreversible' },
      });
    }
  }

  if (verdicts.includes('pass')) return;
  if (verdicts.includes('unknown')) {
    unknown(header(account), 'an immutability policy value cannot be evaluated');
    return;
  }
  if (pending.length > 0) {
    pending.forEach((p) => report(p));
    return;
  }
  if (mayBeElsewhere) {
    unknown(header(account), `a container or immutability policy outside this module may belong to ${address(account)}`);
    return;
  }
  report({
    at: header(account),
    message: `Storage account ${address(account)} holds ai-asset-type = "${assetType}" but has no immutability policy: stored ${assetType === 'audit-log' ? 'audit logs' : `${assetType}s`} can be overwritten or deleted. Add immutability_policy { state = "Unlocked", period_since_creation_in_days = ${params.min_retention_days}, allow_protected_append_writes = true } (lock it once agreed${lockHint ? '; require_locked asks for state = "Locked"' : ''}), or an azurerm_storage_container_immutability_policy on its containers.`,
    data: { fix: 'none', reason: 'Locked is irreversible', snippet: 'immutability_policy', placeholder: true },
  });
}
