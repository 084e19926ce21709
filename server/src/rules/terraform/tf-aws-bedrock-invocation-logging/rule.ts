import type { ReportInput } from '../../../engine/finding';
import { fix } from './fix';
import { isPlaceholder } from '../../../fixes/aiml-terraform';
import type { Value } from '../../../terraform/value';
import { defineRule } from '../../../engine/rule';
import type { HclBlock } from '../../../model/hcl';
import type { Located } from '../../../model/location';
import { address, attribute, hasDynamic, header, nestedBlocks, valueOf, type TerraformModule } from '../../../terraform/module';
import { isSet as isWritten, readArg } from '../../../terraform/aws/sagemaker';
import { Unknown } from '../../../terraform/value';

type Modality = 'text' | 'image' | 'embedding' | 'video';

/** A REPLACE_ME left by a placeholder quick fix is not a value: the finding stays until it is replaced. */
const isSet = (v: Value): boolean => isWritten(v) && !isPlaceholder(v);

interface Params {
  must_be_in_workspace: boolean;
  required_modalities: Modality[];
}

const CONFIG = 'aws_bedrock_model_invocation_logging_configuration';
const USAGE_TYPES = [
  'aws_bedrockagent_agent',
  'aws_bedrockagent_knowledge_base',
  'aws_bedrock_custom_model',
  'aws_bedrock_provisioned_model_throughput',
  'aws_bedrock_guardrail',
];
const IAM_POLICY_TYPES = ['aws_iam_policy', 'aws_iam_role_policy', 'aws_iam_user_policy', 'aws_iam_group_policy'];
/** Actions that allow model invocation: `bedrock:InvokeModel`, `…WithResponseStream`, and wildcards covering them. */
const INVOKE_ACTION = /^(\*|bedrock:\*|bedrock:Invoke\*|bedrock:InvokeModel[A-Za-z]*\*?)$/i;

/** A region, or the identity of a provider configuration whose region is not in the configuration. */
type RegionKey = { readonly region: string } | { readonly provider: string } | 'unknown';

export default defineRule<Params>({
  id: 'tf-aws-bedrock-invocation-logging',
  title: 'Bedrock model invocations are logged in every region the workspace uses Bedrock',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AU-2', 'AU-3', 'AU-12'], euAiAct: ['Art.12', 'Art.19', 'Art.26(6)'], aiRmf: ['MANAGE 4.1'] },
  params: {
    type: 'object',
    additionalProperties: false,
    properties: {
      must_be_in_workspace: {
        type: 'boolean',
        default: false,
        description: 'Report a missing logging configuration as a high finding instead of an info note (the configuration is account/region-wide and may be managed in another stack).',
      },
      required_modalities: {
        type: 'array',
        items: { type: 'string', enum: ['text', 'image', 'embedding', 'video'] },
        default: ['text'],
        description: 'Modalities whose <modality>_data_delivery_enabled must not be false.',
      },
    },
  },
  fix,
  check({ module, params, report, unknown }) {
    const usages = bedrockUsages(module);
    if (usages.length === 0) return;
    const configs = module.resources(CONFIG).map((c) => ({ block: c, key: regionKey(module, c) }));

    // One verdict per region: at the first usage in that region.
    const groups: { key: RegionKey; first: HclBlock }[] = [];
    for (const u of usages) {
      const key = regionKey(module, u);
      if (!groups.some((g) => sameRegion(g.key, key) === 'yes')) groups.push({ key, first: u });
    }
    for (const { key, first } of groups) {
      const same = configs.filter((c) => sameRegion(c.key, key) === 'yes');
      const maybe = configs.filter((c) => sameRegion(c.key, key) === 'maybe');
      const where = 'region' in (key as object) ? ` in ${(key as { region: string }).region}` : '';
      if (same.length === 0) {
        if (maybe.length > 0) {
          unknown(header(first), `whether ${address(maybe[0]!.block)} logs the region of ${address(first)} depends on provider regions set outside the configuration`);
          continue;
        }
        report({
          at: header(first),
          severity: params.must_be_in_workspace ? 'high' : 'info',
          message: `${address(first)} uses Bedrock${where}, but no ${CONFIG} for that region was found in this workspace; it may be managed elsewhere. Without it, prompts and completions are not logged. Add a ${CONFIG} with an S3 or CloudWatch destination.`,
          data: { fix: 'add-resource', template: 'QF-7', placeholder: true },
        });
        continue;
      }
      const verdicts = same.map((c) => checkConfig(module, c.block, params.required_modalities));
      if (verdicts.some((v) => v.kind === 'pass')) continue;
      if (verdicts.some((v) => v.kind === 'unknown')) {
        for (const v of verdicts) if (v.kind === 'unknown') unknown(v.at, v.origin);
        continue;
      }
      for (const v of verdicts) if (v.kind === 'fail') v.findings.forEach((f) => report({ ...f, related: [{ at: header(first), message: `Bedrock used by ${address(first)}` }] }));
    }
  },
});

type Verdict = { kind: 'pass' } | { kind: 'unknown'; at: Located; origin: string } | { kind: 'fail'; findings: ReportInput[] };

function checkConfig(module: TerraformModule, config: HclBlock, modalities: readonly Modality[]): Verdict {
  if (hasDynamic(config, 'logging_config')) return { kind: 'unknown', at: header(config), origin: 'logging_config is generated by a dynamic block' };
  const lc = nestedBlocks(config, 'logging_config')[0];
  if (!lc)
    return {
      kind: 'fail',
      findings: [{ at: header(config), message: `${address(config)} has no logging_config, so no invocation is delivered anywhere. Add logging_config with s3_config { bucket_name } or cloudwatch_config { log_group_name, role_arn }.`, data: { fix: 'insert', block: 'logging_config', placeholder: true } }],
    };
  const findings: ReportInput[] = [];
  let unknownAt: { at: Located; origin: string } | undefined;

  // Destination: S3 bucket, or CloudWatch log group with its delivery role.
  const dests: ('yes' | 'no' | 'unknown')[] = [];
  for (const s3 of nestedBlocks(lc, 's3_config')) dests.push(setState(module, config, s3, ['bucket_name'], (u) => (unknownAt ??= u)));
  for (const cw of nestedBlocks(lc, 'cloudwatch_config')) dests.push(setState(module, config, cw, ['log_group_name', 'role_arn'], (u) => (unknownAt ??= u)));
  if (hasDynamic(lc, 's3_config') || hasDynamic(lc, 'cloudwatch_config')) dests.push('unknown');
  if (!dests.includes('yes')) {
    if (dests.includes('unknown')) return { kind: 'unknown', ...(unknownAt ?? { at: header(lc), origin: 'the logging destination is generated by a dynamic block' }) };
    findings.push({
      at: header(lc),
      message: `logging_config of ${address(config)} has no destination: set s3_config { bucket_name } or cloudwatch_config { log_group_name, role_arn } so invocations are delivered to an auditable store.`,
      data: { fix: 'insert', block: 'logging_config.s3_config', placeholder: true },
    });
  }
  for (const m of modalities) {
    const name = `${m}_data_delivery_enabled`;
    const arg = readArg(module, config, lc, name);
    if (arg.kind === 'unknown') return { kind: 'unknown', at: valueOf(arg.attr), origin: arg.value.origin };
    if (arg.kind === 'known' && arg.value !== true && arg.value !== 'true')
      findings.push({
        at: valueOf(arg.attr),
        message: `${name} is ${JSON.stringify(arg.value)}: ${m} prompts and completions are not logged. Set ${name} = true (the default).`,
        data: { fix: 'set', block: 'logging_config', attribute: name, value: true },
      });
  }
  return findings.length ? { kind: 'fail', findings } : { kind: 'pass' };
}

function setState(module: TerraformModule, config: HclBlock, block: HclBlock, names: readonly string[], onUnknown: (u: { at: Located; origin: string }) => void): 'yes' | 'no' | 'unknown' {
  let state: 'yes' | 'no' | 'unknown' = 'yes';
  for (const n of names) {
    const arg = readArg(module, config, block, n);
    if (arg.kind === 'absent' || (arg.kind === 'known' && !isSet(arg.value))) return 'no';
    if (arg.kind === 'unknown') {
      onUnknown({ at: valueOf(arg.attr), origin: arg.value.origin });
      state = 'unknown';
    }
  }
  return state;
}

/** Blocks that show the workspace uses Bedrock, in file order per kind. */
function bedrockUsages(module: TerraformModule): HclBlock[] {
  const out: HclBlock[] = USAGE_TYPES.flatMap((t) => [...module.resources(t)]);
  for (const t of IAM_POLICY_TYPES)
    for (const p of module.resources(t)) {
      const attr = attribute(p, 'policy');
      if (!attr) continue;
      const v = module.evaluate(attr.expr, p);
      if (typeof v === 'string' && jsonAllowsInvoke(v)) out.push(p);
    }
  for (const d of module.topLevel('data')) {
    if (d.labels[0]?.value !== 'aws_iam_policy_document') continue;
    const allows = nestedBlocks(d, 'statement').some((s) => {
      const effect = readArg(module, d, s, 'effect');
      if (effect.kind !== 'absent' && !(effect.kind === 'known' && effect.value === 'Allow')) return false;
      const actions = readArg(module, d, s, 'actions');
      return actions.kind === 'known' && Array.isArray(actions.value) && actions.value.some((a) => typeof a === 'string' && INVOKE_ACTION.test(a));
    });
    if (allows) out.push(d);
  }
  return out.sort((a, b) => (a.uri === b.uri ? a.range.start.line - b.range.start.line : a.uri < b.uri ? -1 : 1));
}

function jsonAllowsInvoke(text: string): boolean {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return false;
  }
  const st = (doc as { Statement?: unknown })?.Statement;
  const statements = Array.isArray(st) ? st : st ? [st] : [];
  return statements.some((s: { Effect?: unknown; Action?: unknown }) => {
    if (s?.Effect !== 'Allow') return false;
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    return actions.some((a) => typeof a === 'string' && INVOKE_ACTION.test(a));
  });
}

/** The region a block's API calls go to (catalog §3 rule 6): resource `region` (provider v6), else its provider's. */
function regionKey(module: TerraformModule, block: HclBlock): RegionKey {
  const own = readArg(module, block, block, 'region');
  if (own.kind === 'known' && typeof own.value === 'string') return { region: own.value };
  if (own.kind === 'unknown') return 'unknown';
  const provider = module.providerOf(block);
  if (provider instanceof Unknown) return 'unknown';
  const identity = { provider: `${provider.module.dir}|${provider.name}|${provider.alias ?? ''}` };
  if (!provider.block) return identity;
  const r = attribute(provider.block, 'region');
  if (!r) return identity;
  const v = provider.module.evaluate(r.expr, provider.block);
  return typeof v === 'string' ? { region: v } : identity;
}

function sameRegion(a: RegionKey, b: RegionKey): 'yes' | 'no' | 'maybe' {
  if (a === 'unknown' || b === 'unknown') return 'maybe';
  if ('region' in a && 'region' in b) return a.region === b.region ? 'yes' : 'no';
  if ('provider' in a && 'provider' in b && a.provider === b.provider) return 'yes';
  return 'maybe';
}
