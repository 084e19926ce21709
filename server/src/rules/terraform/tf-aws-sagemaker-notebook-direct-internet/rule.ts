import { defineRule } from '../../../engine/rule';
import { address, header, valueOf } from '../../../terraform/module';
import { isSet, readArg } from '../../../terraform/aws/sagemaker';
import { fix as quickFix } from './fix';
import { isPlaceholder } from '../../../fixes/aiml-terraform';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-sagemaker-notebook-direct-internet',
  title: 'SageMaker notebook instances have no direct internet access',
  severity: 'high',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['SC-7', 'AC-4'], euAiAct: ['Art.15'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  fix: quickFix,
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
      const pending = ([['subnet_id', subnet], ['security_groups', groups]] as const).filter(([, a]) => a.kind === 'known' && isPlaceholder(a.value));
      if (pending.length > 0 && pending[0]![1].kind === 'known') {
        report({
          at: valueOf(pending[0]![1].attr),
          severity: 'low',
          message: `${pending.map(([n]) => n).join(' and ')} of ${address(nb)} still ${pending.length > 1 ? 'hold' : 'holds'} the REPLACE_ME placeholder: SageMaker rejects the notebook until it names a real subnet and security groups.`,
          data: { fix: 'none', reason: 'replace the placeholder' },
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
