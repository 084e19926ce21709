import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import { address, hasDynamic, header, nestedBlocks, valueOf } from '../../../terraform/module';
import { readArg } from '../../../terraform/aws/sagemaker';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-sagemaker-model-network-isolation',
  title: 'SageMaker model containers run with network isolation',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-7', 'AC-4'], euAiAct: ['Art.15'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  fix: (ctx) => dataChangeFix(ctx),
  check({ module, report, unknown }) {
    for (const model of module.resources('aws_sagemaker_model')) {
      const arg = readArg(module, model, model, 'enable_network_isolation');
      if (arg.kind === 'unknown') unknown(valueOf(arg.attr), arg.value.origin);
      else if (arg.kind === 'absent')
        report({
          at: header(model),
          message: `${address(model)} lets its inference containers make outbound network calls (enable_network_isolation defaults to false): a compromised or malicious model can exfiltrate requests and predictions. Set enable_network_isolation = true (containers that need outbound calls will break).`,
          data: { fix: 'insert', attribute: 'enable_network_isolation', value: true },
        });
      else if (arg.value !== true)
        report({
          at: valueOf(arg.attr),
          message: `enable_network_isolation is ${JSON.stringify(arg.value)}: the model's containers can reach the network and exfiltrate inference data. Set it to true.`,
          data: { fix: 'set', attribute: 'enable_network_isolation', value: true },
        });

      if (!hasDynamic(model, 'vpc_config') && nestedBlocks(model, 'vpc_config').length === 0)
        report({
          at: header(model),
          severity: 'info',
          message: `${address(model)} has no vpc_config: its containers run outside your VPC. Recommended: add vpc_config { subnets, security_group_ids } so model traffic stays on governed network paths.`,
          data: { fix: 'none', reason: 'subnets and security groups are a network design decision' },
        });
    }
  },
});
