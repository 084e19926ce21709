import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { LspClient } from './client';
import { DRIFT_LIST_REQUEST, DRIFT_REFRESH_REQUEST, EVIDENCE_REPORT_REQUEST, type DriftReport, type EvidenceReportResult } from '../../server/src/protocol';

const EXAMPLES = path.resolve(__dirname, '..', '..', 'examples');
const uriOf = (rel: string) => pathToFileURL(path.join(EXAMPLES, rel)).toString();
const textOf = (rel: string) => readFileSync(path.join(EXAMPLES, rel), 'utf8');

/** `code@line:col-line:col`, 1-based, end exclusive, like the rule tests. */
const brief = (d: Diagnostic) =>
  `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;

/** The ids of the custom policies declared in examples/.plumbline.yaml. */
const CUSTOM_POLICIES = ['acme-model-version-label', 'acme-sagemaker-instance-family'];

const EXPECTED: Record<string, string[]> = {
  '.github/workflows/deploy.yml': [
    'gha-permissions-least-privilege@3:1-3:3',
    'gha-checkout-persist-credentials@11:9-11:34',
    'gha-action-pinned-sha@11:32-11:34',
    'gha-prod-deploy-environment@15:3-15:20',
    'gha-deploy-needs-policy-check@16:12-16:17',
    'gha-checkout-persist-credentials@19:9-19:72',
  ],
  '.gitlab-ci.yml': [
    'gitlab-include-pinned@2:14-2:31',
    'gitlab-image-digest@22:10-22:45',
    'gitlab-prod-deploy-gated@23:3-23:14',
  ],
  'kubernetes/batch-scoring.yaml': [
    'k8s-resource-limits@49:27-49:32',
  ],
  'kubernetes/model-serving.yaml': [
    'acme-model-version-label@7:3-7:9',
    'k8s-required-labels@7:3-7:9',
    'k8s-model-version-label@15:5-15:13',
    'k8s-model-version-label@16:7-16:13',
    'k8s-required-labels@16:7-16:13',
    'k8s-automount-sa-token@18:5-18:9',
    'k8s-default-service-account@18:5-18:9',
    'k8s-seccomp-profile@18:5-18:9',
    'k8s-allow-privilege-escalation@23:11-23:29',
    'k8s-capabilities-restricted@23:11-23:29',
    'k8s-gpu-limits@23:11-23:29',
    'k8s-probes@23:11-23:29',
    'k8s-read-only-root-fs@23:11-23:29',
    'k8s-image-digest@24:18-24:57',
  ],
  'terraform/compute.tf': [
    'tf-aws-imdsv2@7:1-7:34',
  ],
  'terraform/locals.tf': [],
  'terraform/main.tf': [],
  'terraform/registry.tf': [
    'tf-aws-ecr-scan-on-push@10:1-10:41',
    'tf-aws-ecr-tag-immutability@12:26-12:35',
  ],
  'terraform/serving.tf': [
    'acme-sagemaker-instance-family@16:30-16:45',
  ],
  'terraform/storage.tf': [
    'tf-aws-cloudtrail-s3-data-events@2:1-2:36',
    'tf-aws-s3-access-logging@2:1-2:36',
    'tf-aws-s3-kms-encryption@2:1-2:36',
    'tf-aws-s3-object-lock@2:1-2:36',
    'tf-aws-s3-object-lock@2:1-2:36',
    'tf-aws-s3-public-access-block@2:1-2:36',
    'tf-aws-cloudtrail-s3-data-events@12:1-12:34',
    'tf-aws-s3-access-logging@12:1-12:34',
    'tf-aws-s3-kms-encryption@12:1-12:34',
    'tf-aws-s3-object-lock@12:1-12:34',
    'tf-aws-s3-object-lock@12:1-12:34',
    'tf-aws-s3-public-access-block@12:1-12:34',
    'tf-required-tags@15:10-17:4',
    'tf-aws-s3-versioning@24:14-24:25',
    'tf-aws-s3-access-logging@29:1-29:35',
    'tf-aws-s3-public-access-block@29:1-29:35',
    'tf-aws-s3-versioning@29:1-29:35',
  ],
  'terraform/versioning.tf': [],
};

describe('the examples workspace through the standalone server', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(EXAMPLES);
  });
  after(async () => {
    await client.stop();
  });

  for (const [file, expected] of Object.entries(EXPECTED)) {
    it(`${file}: ${expected.length} finding(s) at exact ranges`, async () => {
      // Rule findings only: drift diagnostics (from examples/terraform/terraform.tfstate) have their own test.
      const diagnostics = (await client.open(uriOf(file), textOf(file))).filter((d) => d.code !== 'drift');
      assert.deepEqual(diagnostics.map(brief), expected);
      for (const d of diagnostics) {
        assert.equal(d.source, 'plumbline');
        // The custom policies of examples/.plumbline.yaml have no rule page to link to.
        if (CUSTOM_POLICIES.includes(String(d.code))) assert.equal(d.codeDescription, undefined);
        else assert.match(d.codeDescription?.href ?? '', new RegExp(`/docs/rules/${String(d.code)}\\.md$`));
        assert.ok(String(d.message).length > 40, 'the message says what is wrong and what good looks like');
        assert.equal((d.data as { version?: number }).version, 1, 'fix data carries the document version');
      }
    });
  }
});

describe('drift over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(EXAMPLES);
  });
  after(async () => {
    await client.stop();
  });

  it('checks the local state at start, answers plumbline/drift/list and /refresh, and marks the drifted attribute', async () => {
    const uri = uriOf('terraform/versioning.tf');
    await client.open(uri, textOf('terraform/versioning.tf'));
    const published = await client.diagnosticsMatching(uri, (ds) => ds.some((d) => d.code === 'drift'));
    const drift = published.diagnostics.filter((d) => d.code === 'drift');
    assert.deepEqual(drift.map(brief), ['drift@7:5-7:23']);
    assert.equal(drift[0]!.severity, 3, 'information by default');
    assert.match(String(drift[0]!.message), /recorded value of `versioning_configuration\[0\]\.status` is Suspended; code declares Enabled \(Terraform state, /);
    const listed = (await client.connection.sendRequest(DRIFT_LIST_REQUEST)) as DriftReport;
    assert.deepEqual(listed.sources.map((s) => s.kind), ['state', 'hcp']);
    assert.equal(listed.driftCount, 6);
    const refreshed = (await client.connection.sendRequest(DRIFT_REFRESH_REQUEST, { source: 'state' })) as DriftReport;
    assert.ok(refreshed.sources[0]!.fetchedAt, 'the state source has just been checked');
    assert.equal(refreshed.sources[0]!.stacks[0]!.name, 'terraform');
    const hcp = (await client.connection.sendRequest(DRIFT_REFRESH_REQUEST, { source: 'hcp' })) as DriftReport;
    assert.equal(hcp.sources[1]!.problem?.code, 'not-configured', 'no cloud block in examples/');
  });
});

describe('evidence report over stdio', () => {
  it('answers plumbline/evidenceReport with one self-contained HTML file whose embedded JSON carries the findings and the drift', async () => {
    const client = await LspClient.start(EXAMPLES);
    try {
      await client.connection.sendRequest(DRIFT_REFRESH_REQUEST, { source: 'state' });
      const r = (await client.connection.sendRequest(EVIDENCE_REPORT_REQUEST, {})) as EvidenceReportResult;
      assert.match(r.fileName, /^plumbline-evidence-\d{4}-\d{2}-\d{2}\.html$/);
      assert.ok(r.findings > 0 && r.highOrAbove);
      assert.ok(!/<script(?![^>]*application\/json)/i.test(r.html), 'no executable script');
      assert.ok(!/(src|href)="https?:/i.test(r.html), 'nothing loaded from elsewhere');
      const json = /<script type="application\/json" id="plumbline-evidence">([\s\S]*?)<\/script>/.exec(r.html)?.[1];
      const evidence = JSON.parse(json!) as { schema: string; findings: { total: number }; drift: { driftCount: number } | null };
      assert.equal(evidence.schema, 'plumbline-evidence/1');
      assert.equal(evidence.findings.total, r.findings);
      assert.equal(evidence.drift?.driftCount, 6);
    } finally {
      await client.stop();
    }
  });
});

describe('language server over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start(EXAMPLES);
  });
  after(async () => {
    await client.stop();
  });

  it('analyses the unsaved buffer, not the file on disk', async () => {
    const uri = uriOf('terraform/registry.tf');
    const onDisk = await client.open(uri, textOf('terraform/registry.tf'));
    assert.ok(onDisk.some((d) => d.code === 'tf-aws-ecr-tag-immutability'));
    const fixed = textOf('terraform/registry.tf').replace('"MUTABLE"', '"IMMUTABLE"');
    const version = await client.change(uri, [{ text: fixed }]);
    const published = await client.diagnostics(uri, version);
    assert.deepEqual(published.diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability').map(brief), []);
  });

  it('keeps the findings it can still compute in a half-typed file, with one syntax error at the error', async () => {
    const uri = uriOf('terraform/registry.tf');
    // Break the first resource mid-attribute; the second one (MUTABLE) still parses.
    const broken = textOf('terraform/registry.tf').replace('image_tag_mutability = "IMMUTABLE"', 'image_tag_mutability = ');
    const version = await client.change(uri, [{ text: broken }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    const syntax = diagnostics.filter((d) => d.code === 'plumbline-parse-error');
    assert.equal(syntax.length, 1, 'one syntax error');
    assert.equal(syntax[0]!.range.start.line, 2, 'on the half-typed attribute');
    assert.ok(diagnostics.map(brief).includes('tf-aws-ecr-tag-immutability@12:26-12:35'), diagnostics.map(brief).join(', '));
    assert.ok(client.isRunning());
  });

  it('survives an unclosed block at the end of the file', async () => {
    const uri = uriOf('terraform/registry.tf');
    const version = await client.change(uri, [{ text: `${textOf('terraform/registry.tf')}\nresource "aws_ecr_repository" "new" {\n  name = "x"\n` }]);
    const { diagnostics } = await client.diagnostics(uri, version);
    assert.equal(diagnostics.filter((d) => d.code === 'plumbline-parse-error').length, 1);
    assert.ok(diagnostics.map(brief).includes('tf-aws-ecr-tag-immutability@12:26-12:35'), diagnostics.map(brief).join(', '));
  });

  it('publishes only the newest version when edits arrive back to back', async () => {
    const uri = uriOf('terraform/registry.tf');
    const base = textOf('terraform/registry.tf');
    const seen: number[] = [];
    const listener = client.onPublish((p) => {
      if (p.uri === uri && p.version !== undefined) seen.push(p.version);
    });
    // Five edits that reach the server together; only the last fixes the value.
    const versions = client.changeAllAtOnce(
      uri,
      [0, 1, 2, 3, 4].map((i) => base.replace('"MUTABLE"', i === 4 ? '"IMMUTABLE"' : `"MUTABLE${i}"`)),
    );
    const last = versions[versions.length - 1]!;
    const final = await client.diagnostics(uri, last);
    listener.dispose();
    assert.deepEqual(final.diagnostics.filter((d) => d.code === 'tf-aws-ecr-tag-immutability').map(brief), [], 'the last version fixed the value');
    assert.deepEqual(seen, [last], 'only the newest version was analysed and published');
  });

  it('re-analyses open files of a module when a companion in another file changes', async () => {
    const storage = uriOf('terraform/storage.tf');
    const versioning = uriOf('terraform/versioning.tf');
    const before = await client.open(storage, textOf('terraform/storage.tf'));
    // The datasets bucket's versioning lives in versioning.tf (read from disk): no finding on it.
    assert.ok(!before.map(brief).includes('tf-aws-s3-versioning@2:1-2:36'), before.map(brief).join(', '));
    await client.open(versioning, textOf('terraform/versioning.tf'));
    await client.change(versioning, [{ text: '# versioning moved elsewhere\n' }]);
    // storage.tf is not edited: it is re-analysed because its module changed.
    const { diagnostics } = await client.diagnosticsMatching(storage, (d) => d.map(brief).includes('tf-aws-s3-versioning@2:1-2:36'));
    assert.ok(diagnostics.length > 0);
  });
});
