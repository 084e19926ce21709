// The JSON Schemas under schemas/: editors (the Red Hat YAML extension, via
// package.json `yamlValidation`) validate and complete .plumbline.yaml and
// .plumbline/policies/*.yaml with them. Plumbline's own server validates with
// the schema built in memory from the same function, so the two cannot differ.
import { configSchema } from '../server/src/config/schema';
import type { AnyRule } from '../server/src/engine/rule';
import { SEVERITIES } from '../server/src/engine/severity';

export const CONFIG_SCHEMA_FILE = 'schemas/plumbline.schema.json';
export const POLICY_SCHEMA_FILE = 'schemas/policy.schema.json';

/** Every schema file, by path relative to the repository root, pretty-printed. */
export function schemaFiles(rules: readonly AnyRule[]): Map<string, string> {
  const print = (schema: unknown) => JSON.stringify(schema, null, 2) + '\n';
  return new Map([
    [CONFIG_SCHEMA_FILE, print(configFileSchema(rules))],
    [POLICY_SCHEMA_FILE, print(policyFileSchema(rules))],
  ]);
}

/**
 * configSchema() with the shape of a custom policy filled in under
 * `policies`: the server leaves policy validation to the policy engine (with
 * its own messages), but an editor completes and checks the shape as it is typed.
 */
export function configFileSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  const schema = configSchema(rules);
  const properties = schema.properties as Record<string, Record<string, unknown>>;
  return {
    ...schema,
    properties: { ...properties, policies: { ...properties.policies, items: { $ref: '#/definitions/policy' } } },
    definitions: { policy: policySchema(rules) },
  };
}

/** A file of .plumbline/policies/: a `policies:` list, the same as in .plumbline.yaml. */
export function policyFileSchema(rules: readonly AnyRule[]): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://plumbline.dev/schemas/policy.schema.json',
    title: 'Plumbline custom policies (.plumbline/policies/*.yaml)',
    type: 'object',
    additionalProperties: false,
    properties: { policies: { type: 'array', description: 'Custom policies.', items: { $ref: '#/definitions/policy' } } },
    definitions: { policy: policySchema(rules) },
  };
}

const names = (description: string) => ({
  description,
  oneOf: [
    { type: 'string', description: 'One name, or "*" for every one.' },
    { type: 'array', items: { type: 'string' }, minItems: 1 },
  ],
});

/** One custom policy: which resources it looks at (`match`), and what they must satisfy (`assert`). */
function policySchema(rules: readonly AnyRule[]): Record<string, unknown> {
  return {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'title', 'severity', 'message', 'match', 'assert'],
    properties: {
      id: {
        type: 'string',
        pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
        not: { enum: rules.map((r) => r.id) },
        description: 'Kebab-case id, unique, and not the id of a built-in rule. Suppressions and severity overrides name it.',
      },
      title: { type: 'string', description: 'What the policy requires, in one line (shown in hovers and reports).' },
      severity: { enum: [...SEVERITIES], description: 'Severity of every finding of this policy.' },
      message: { type: 'string', description: 'The diagnostic message: what is wrong and what good looks like.' },
      match: {
        type: 'object',
        description: 'The resources the policy applies to: exactly one of terraform, kubernetes, github-actions, gitlab-ci.',
        additionalProperties: false,
        minProperties: 1,
        maxProperties: 1,
        properties: {
          terraform: {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            properties: {
              resources: names('Resource types, such as aws_sagemaker_endpoint_configuration.'),
              data_sources: names('Data source types, such as aws_iam_policy_document.'),
            },
          },
          kubernetes: {
            type: 'object',
            additionalProperties: false,
            required: ['kinds'],
            properties: {
              kinds: names('Object kinds, such as Deployment.'),
              apiVersions: names('API versions, such as apps/v1 (any when left out).'),
              labels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels the object must carry to match (metadata.labels).' },
            },
          },
          'github-actions': {
            type: 'object',
            additionalProperties: false,
            minProperties: 1,
            maxProperties: 1,
            properties: {
              jobs: names('Job ids, or "*".'),
              steps: {
                description: 'Every step ("*"), or the steps whose uses and/or run match these wildcard patterns ("*" = any characters).',
                oneOf: [
                  { const: '*' },
                  {
                    type: 'object',
                    additionalProperties: false,
                    minProperties: 1,
                    properties: {
                      uses: { type: 'string', description: 'Pattern for uses:, such as actions/checkout@*.' },
                      run: { type: 'string', description: 'Pattern for run:, such as *terraform apply*.' },
                    },
                  },
                ],
              },
            },
          },
          'gitlab-ci': {
            type: 'object',
            additionalProperties: false,
            required: ['jobs'],
            properties: { jobs: names('Job names, or "*".') },
          },
        },
      },
      assert: {
        type: 'object',
        description:
          'A JSON Schema (draft-07) the matched resource must satisfy: a Terraform resource in the JSON form of @cdktf/hcl2json after evaluation, a Kubernetes object, or a pipeline job or step.',
      },
    },
  };
}
