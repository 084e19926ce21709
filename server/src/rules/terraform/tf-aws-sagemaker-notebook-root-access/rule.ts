import { dataChangeFix } from '../../../fixes/aiml-terraform';
import { defineRule } from '../../../engine/rule';
import { address, header, valueOf } from '../../../terraform/module';
import { readArg } from '../../../terraform/aws/sagemaker';

export default defineRule<Record<string, never>>({
  id: 'tf-aws-sagemaker-notebook-root-access',
  title: 'SageMaker notebook users do not get root',
  severity: 'medium',
  domain: 'terraform',
  ai: true,
  mappings: { nist: ['AC-6', 'AC-6(2)'], euAiAct: ['Art.15'] },
  params: { type: 'object', additionalProperties: false, properties: {} },
  fix: (ctx) => dataChangeFix(ctx),
  check({ module, report, unknown }) {
    for (const nb of module.resources('aws_sagemaker_notebook_instance')) {
      const arg = readArg(module, nb, nb, 'root_access');
      const fix = { attribute: 'root_access', value: 'Disabled' };
      if (arg.kind === 'absent') {
        report({
          at: header(nb),
          message: `${address(nb)} gives notebook users root (root_access defaults to "Enabled"): they can change the instance, its packages and its logging. Set root_access = "Disabled" (lifecycle configurations still run as root).`,
          data: { fix: 'insert', ...fix },
        });
      } else if (arg.kind === 'unknown') {
        unknown(valueOf(arg.attr), arg.value.origin);
      } else if (arg.value !== 'Disabled') {
        report({
          at: valueOf(arg.attr),
          message: `root_access is ${JSON.stringify(arg.value)}: notebook users can become root and alter the environment that trains and evaluates models. Set it to "Disabled"; put required setup in a lifecycle configuration.`,
          data: { fix: 'set', ...fix },
        });
      }
    }
  },
});
