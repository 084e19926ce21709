import type { ReportInput } from '../../../engine/finding';
import { defineRule } from '../../../engine/rule';
import { standardTerraformFix } from '../../../fixes/standard';
import type { HclBlock } from '../../../model/hcl';
import { address, attribute, hasDynamic, header, nestedBlocks, resourceType, valueOf, type TerraformModule } from '../../../terraform/module';
import { isUnknown, type Value } from '../../../terraform/value';

/** Resources whose `metadata_options` block sets the instance metadata service options. */
const EC2_TYPES = ['aws_instance', 'aws_launch_template', 'aws_launch_configuration'];

/** Hop limit above which a token can travel beyond a container on the host. */
const MAX_HOP_LIMIT = 2;

/** What the module's `aws_ec2_instance_metadata_defaults` makes of an EC2 instance that sets nothing. */
type AccountDefault = 'imdsv2' | 'unknown' | 'none';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-imdsv2',
  title: 'EC2 hosts and SageMaker notebooks require IMDSv2',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { cis: ['AWS Foundations v2.0.0 5.6'], nist: ['AC-3', 'SC-7'], euAiAct: ['Art.15'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  fix: standardTerraformFix,
  check({ module, report }) {
    const accountDefault = metadataDefaults(module);
    for (const type of EC2_TYPES) for (const r of module.resources(type)) checkEc2(module, r, accountDefault, report);
    for (const nb of module.resources('aws_sagemaker_notebook_instance')) checkNotebook(module, nb, report);
  },
});

function checkEc2(module: TerraformModule, r: HclBlock, accountDefault: AccountDefault, report: (f: ReportInput) => void): void {
  if (hasDynamic(r, 'metadata_options')) return;
  // An instance launched from a template takes the template's options, and the template is checked itself.
  const fromTemplate = resourceType(r) === 'aws_instance' && nestedBlocks(r, 'launch_template').length > 0;
  const blocks = nestedBlocks(r, 'metadata_options');
  if (blocks.length === 0) {
    if (fromTemplate || accountDefault !== 'none') return;
    report({
      at: header(r),
      message: `${address(r)} does not require IMDSv2: without metadata_options the instance may accept IMDSv1 (it depends on the AMI and account defaults), and any SSRF in a workload on the host can read its role credentials. Add metadata_options { http_tokens = "required" }.`,
      data: { fix: 'insert', block: 'metadata_options', attribute: 'http_tokens', value: 'required' },
    });
    return;
  }
  for (const block of blocks) {
    const endpoint = evaluate(module, r, block, 'http_endpoint');
    if (endpoint === 'disabled' || isUnknown(endpoint)) continue;

    const tokensAttr = attribute(block, 'http_tokens');
    if (!tokensAttr) {
      if (!fromTemplate && accountDefault === 'none')
        report({
          at: header(block),
          message: `metadata_options of ${address(r)} does not set http_tokens, so IMDSv1 may stay enabled (it depends on the AMI and account defaults). Set http_tokens = "required".`,
          data: { fix: 'insert', block: 'metadata_options', attribute: 'http_tokens', value: 'required' },
        });
    } else {
      const tokens = module.evaluate(tokensAttr.expr, r);
      if (!isUnknown(tokens) && tokens !== 'required')
        report({
          at: valueOf(tokensAttr),
          message: `http_tokens is ${JSON.stringify(tokens)}: the instance still answers IMDSv1 requests without a session token, so an SSRF in a workload can read its role credentials. Set http_tokens = "required".`,
          data: { fix: 'set', block: 'metadata_options', attribute: 'http_tokens', value: 'required' },
        });
    }

    const hopAttr = attribute(block, 'http_put_response_hop_limit');
    const hops = hopAttr ? toNumber(module.evaluate(hopAttr.expr, r)) : undefined;
    if (hopAttr && hops !== undefined && hops > MAX_HOP_LIMIT)
      report({
        at: valueOf(hopAttr),
        severity: 'info',
        message: `http_put_response_hop_limit is ${hops}: metadata tokens can travel ${hops} network hops, beyond the containers on this host. Use ${MAX_HOP_LIMIT} (containers) or 1 (no containers).`,
        data: { fix: 'set', block: 'metadata_options', attribute: 'http_put_response_hop_limit', value: MAX_HOP_LIMIT },
      });
  }
}

/** SageMaker notebooks are not covered by the EC2 account defaults: the notebook's own setting decides. */
function checkNotebook(module: TerraformModule, nb: HclBlock, report: (f: ReportInput) => void): void {
  const BLOCK = 'instance_metadata_service_configuration';
  const ATTR = 'minimum_instance_metadata_service_version';
  const fix = { block: BLOCK, attribute: ATTR, value: '2' };
  if (hasDynamic(nb, BLOCK)) return;
  const blocks = nestedBlocks(nb, BLOCK);
  if (blocks.length === 0) {
    report({
      at: header(nb),
      message: `${address(nb)} allows IMDSv1 (minimum_instance_metadata_service_version defaults to "1"), so code run in the notebook can read its execution role's credentials without a session token. Add ${BLOCK} { ${ATTR} = "2" }.`,
      data: { fix: 'insert', ...fix },
    });
    return;
  }
  for (const block of blocks) {
    const attr = attribute(block, ATTR);
    if (!attr) {
      report({
        at: header(block),
        message: `${BLOCK} of ${address(nb)} does not set ${ATTR}, so IMDSv1 stays allowed. Set ${ATTR} = "2".`,
        data: { fix: 'insert', ...fix },
      });
      continue;
    }
    const v = module.evaluate(attr.expr, nb);
    if (isUnknown(v) || v === '2' || v === 2) continue;
    report({
      at: valueOf(attr),
      message: `${ATTR} is ${JSON.stringify(v)}: the notebook still answers IMDSv1 requests. Set it to "2".`,
      data: { fix: 'set', ...fix },
    });
  }
}

/**
 * The region's defaults for new EC2 instances, when this module sets them:
 * tokens required, or the endpoint disabled, protect an instance that sets nothing.
 */
function metadataDefaults(module: TerraformModule): AccountDefault {
  let result: AccountDefault = 'none';
  for (const d of module.resources('aws_ec2_instance_metadata_defaults')) {
    for (const [name, protective] of [
      ['http_tokens', 'required'],
      ['http_endpoint', 'disabled'],
    ] as const) {
      const attr = attribute(d, name);
      if (!attr) continue;
      const v = module.evaluate(attr.expr, d);
      if (v === protective) return 'imdsv2';
      if (isUnknown(v)) result = 'unknown';
    }
  }
  return result;
}

function evaluate(module: TerraformModule, r: HclBlock, block: HclBlock, name: string): Value | undefined {
  const attr = attribute(block, name);
  return attr ? module.evaluate(attr.expr, r) : undefined;
}

function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}
