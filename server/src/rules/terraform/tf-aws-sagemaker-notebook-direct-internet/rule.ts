import { defineRule } from '../../../engine/rule';
import { address, header, valueOf } from '../../../terraform/module';
import { isSet, readArg } from '../../../terraform/aws/sagemaker';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-sagemaker-notebook-direct-internet',
  title: 'SageMaker notebook instances have no direct internet access',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-7', 'AC-4'], euAiAct: ['Art.15'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  check({ module, report, unknown }) {
    for (const nb of module.resources('aws_sagemaker_notebook_instance')) {
      const subnet = readArg(module, nb, nb, 'subnet_id');
      const groups = readArg(module, nb, nb, 'security_groups');
      // Written (even if unknown) counts: a value the engine cannot see is still a VPC the user chose.
      const inVpc = subnet.kind !== 'absent' && groups.kind !== 'absent' && (subnet.kind !== 'known' || isSet(subnet.value));
      const fix = inVpc
        ? { attribute: 'direct_internet_access', value: 'Disabled' }
        : { attribute: 'direct_internet_access', value: 'Disabled', placeholder: true, alsoInsert: ['subnet_id', 'security_groups'] };
      const arg = readArg(module, nb, nb, 'direct_internet_access');
      if (arg.kind === 'absent') {
        report({
          at: header(nb),
          message: `${address(nb)} has direct internet access (direct_internet_access defaults to "Enabled"): notebook code can send training data or credentials anywhere, bypassing VPC controls. Set direct_internet_access = "Disabled" and attach the notebook to a subnet_id and security_groups.`,
          data: { fix: 'insert', ...fix },
        });
        continue;
      }
      if (arg.kind === 'unknown') {
        unknown(valueOf(arg.attr), arg.value.origin);
        continue;
      }
      if (arg.value !== 'Disabled') {
        report({
          at: valueOf(arg.attr),
          message: `direct_internet_access is ${JSON.stringify(arg.value)}: the notebook reaches the internet outside the VPC, so data and credentials can leave unmonitored. Set it to "Disabled" and route traffic through the VPC (subnet_id, security_groups).`,
          data: { fix: 'set', ...fix },
        });
        continue;
      }
      if (subnet.kind === 'absent' || groups.kind === 'absent')
        report({
          at: valueOf(arg.attr),
          severity: 'low',
          message: `direct_internet_access = "Disabled" needs the notebook in a VPC, but ${subnet.kind === 'absent' ? 'subnet_id' : 'security_groups'} is not set: SageMaker rejects the notebook. Set subnet_id and security_groups.`,
          data: { fix: 'insert', placeholder: true, attributes: ['subnet_id', 'security_groups'] },
        });
    }
  },
});
