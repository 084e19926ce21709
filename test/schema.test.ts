import Ajv from 'ajv';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { builtinRules } from '../server/src/rules';
import { CONFIG_SCHEMA_FILE, POLICY_SCHEMA_FILE, schemaFiles } from '../scripts/schemaFiles';

const root = path.resolve(__dirname, '..');
const committed = (file: string) => readFileSync(path.join(root, file), 'utf8');
const compile = (file: string) => new Ajv({ strict: false, allErrors: true }).addFormat('regex', true).compile(JSON.parse(committed(file)));

const POLICY = `
policies:
  - id: acme-model-version-label
    title: Model-serving deployments carry a semantic model version
    severity: high
    message: Deployments must carry a model-version label such as 1.4.2
    match:
      kubernetes: { kinds: [Deployment, StatefulSet], labels: { workload: model-serving } }
    assert:
      type: object
      required: [metadata]
`;

describe('schemas/', () => {
  for (const [file, text] of schemaFiles(builtinRules)) {
    it(`${file} is current (run npm run docs after changing rules or the schema)`, () => {
      assert.equal(committed(file), text);
    });
  }

  it('the config schema accepts a config with presets, rule settings, global params and a policy', () => {
    const validate = compile(CONFIG_SCHEMA_FILE);
    const config = parse(`extends: [strict]\nrequired_tags: [owner]\nrules:\n  tf-required-tags:\n    severity: low\n    exclude_paths: ["legacy/**"]\n${POLICY}`);
    assert.ok(validate(config), JSON.stringify(validate.errors));
  });

  it('the config schema rejects an unknown rule id and a bad severity', () => {
    const validate = compile(CONFIG_SCHEMA_FILE);
    assert.equal(validate(parse('rules:\n  tf-no-such-rule: {}\n')), false);
    assert.equal(validate(parse('rules:\n  tf-required-tags: { severity: urgent }\n')), false);
  });

  it('the policy file schema accepts the portable policy shape and rejects two matches or a built-in id', () => {
    const validate = compile(POLICY_SCHEMA_FILE);
    assert.ok(validate(parse(POLICY)), JSON.stringify(validate.errors));
    const two = parse(POLICY.replace('    assert:', '      terraform: { resources: [aws_s3_bucket] }\n    assert:'));
    assert.equal(validate(two), false);
    assert.equal(validate(parse(POLICY.replace('acme-model-version-label', 'tf-required-tags'))), false);
  });

  it('package.json registers both schemas with the YAML extension', () => {
    const pkg = JSON.parse(committed('package.json')) as { contributes: { yamlValidation: { fileMatch: string; url: string }[] } };
    assert.deepEqual(pkg.contributes.yamlValidation, [
      { fileMatch: '.plumbline.yaml', url: `./${CONFIG_SCHEMA_FILE}` },
      { fileMatch: '.plumbline/policies/*.yaml', url: `./${POLICY_SCHEMA_FILE}` },
    ]);
  });
});
