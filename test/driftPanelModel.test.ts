import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  autoRefreshPeriodMs,
  escapeMarkdown,
  firstPathSegment,
  normalizeHostname,
  panelMessage,
  panelState,
  readDriftReport,
  relativeTime,
  renderChange,
  renderValue,
  reportToNodes,
  snapshotNodes,
  statusBarModel,
  type DriftNode,
} from '../client/src/drift/model';
import type { DriftReport, DriftSourceReport, DriftStack, ResourceDrift } from '../server/src/protocol';

const NOW = new Date('2025-06-01T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const MIN = 60_000;

const range = (line: number, start: number, end: number) => ({ start: { line, character: start }, end: { line, character: end } });
const MAIN_TF = 'file:///ws/infra/prod/main.tf';

const resource = (r: Partial<ResourceDrift> & Pick<ResourceDrift, 'address' | 'status'>): ResourceDrift => {
  const [type = '', name = ''] = r.address.replace(/^module\.[^.]+\./, '').split('.');
  return { mode: 'managed', type, name: name.replace(/\[.*$/, ''), module: '', changes: [], ...r };
};

const prod: DriftStack = {
  id: 'state:/ws/infra/prod',
  source: 'state',
  name: 'infra/prod',
  root: '/ws/infra/prod',
  status: 'drifted',
  checkedAt: ago(5 * MIN + 10_000),
  origin: 'last recorded state (terraform.tfstate)',
  resources: [
    resource({
      address: 'aws_s3_bucket.logs',
      status: 'drifted',
      changes: [
        { path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' },
        { path: 'tags.owner', declared: 'platform', live: 'someone-else' },
        { path: 'force_destroy', declared: false },
      ],
      declaration: { uri: MAIN_TF, range: range(10, 0, 33), attributes: { versioning_configuration: range(14, 2, 40), tags: range(12, 2, 30) } },
    }),
    resource({
      address: 'aws_iam_role.deployer',
      status: 'drifted',
      changes: [
        { path: 'assume_role_policy', declared: '(sensitive)', live: '(sensitive)', sensitive: true },
        {
          path: 'inline_policy',
          declared: [{ name: 'deploy', policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] } }],
          live: [],
        },
      ],
      declaration: { uri: MAIN_TF, range: range(30, 0, 35) },
    }),
    resource({
      address: 'module.net.aws_subnet.private["a"]',
      status: 'missing',
      module: 'module.net',
      key: 'a',
      declaration: { uri: 'file:///ws/infra/modules/net/main.tf', range: range(3, 0, 32) },
    }),
    resource({ address: 'aws_security_group.legacy', status: 'unmanaged' }),
    resource({
      address: 'aws_lambda_function.worker',
      status: 'unknown',
      message: 'The declaration uses var.image_tag, which has no value Plumbline can see.',
      declaration: { uri: MAIN_TF, range: range(50, 0, 40) },
    }),
    resource({ address: 'aws_instance.web', status: 'in-sync', declaration: { uri: MAIN_TF, range: range(60, 0, 30) } }),
    resource({ address: 'aws_s3_bucket.assets', status: 'in-sync', declaration: { uri: MAIN_TF, range: range(70, 0, 33) } }),
  ],
};

const staging: DriftStack = {
  id: 'state:/ws/infra/staging',
  source: 'state',
  name: 'infra/staging',
  root: '/ws/infra/staging',
  status: 'error',
  checkedAt: ago(3 * 60 * MIN),
  origin: 'last recorded state (terraform.tfstate)',
  resources: [],
  problem: { code: 'malformed', message: 'terraform.tfstate is not valid JSON.', hint: 'Run terraform state pull to check the file.' },
};

const stateSource: DriftSourceReport = { kind: 'state', label: 'Terraform state', stacks: [prod, staging], fetchedAt: ago(5 * MIN) };

const hcpSignedOut: DriftSourceReport = {
  kind: 'hcp',
  label: 'HCP Terraform',
  stacks: [],
  signedOut: true,
  problem: { code: 'auth', message: 'No API token for app.terraform.io.', hint: 'Sign in to HCP Terraform or set TF_TOKEN_app_terraform_io.' },
};

const cliOff: DriftSourceReport = {
  kind: 'terraform',
  label: 'Terraform CLI',
  stacks: [],
  problem: { code: 'not-configured', message: 'Turned off in the settings.' },
};

const report: DriftReport = { sources: [stateSource, hcpSignedOut, cliOff], driftCount: 4, refreshing: false };

function find(nodes: readonly DriftNode[], label: string): DriftNode {
  for (const n of nodes) {
    if (n.label === label) return n;
    const deeper = findOrUndefined(n.children, label);
    if (deeper) return deeper;
  }
  throw new Error(`no node labelled ${label}`);
}
function findOrUndefined(nodes: readonly DriftNode[], label: string): DriftNode | undefined {
  try {
    return find(nodes, label);
  } catch {
    return undefined;
  }
}
function allNodes(nodes: readonly DriftNode[]): DriftNode[] {
  return nodes.flatMap((n) => [n, ...allNodes(n.children)]);
}

describe('drift panel: relative time', () => {
  const cases: [number, string][] = [
    [0, 'just now'],
    [59_999, 'just now'],
    [-5 * MIN, 'just now'],
    [MIN, '1 min ago'],
    [5 * MIN + 30_000, '5 min ago'],
    [59 * MIN, '59 min ago'],
    [60 * MIN, '1 h ago'],
    [2 * 60 * MIN + 59 * MIN, '2 h ago'],
    [24 * 60 * MIN, '1 day ago'],
    [3 * 24 * 60 * MIN + 5 * MIN, '3 days ago'],
  ];
  for (const [elapsed, expected] of cases) {
    it(`${elapsed} ms → ${expected}`, () => assert.equal(relativeTime(ago(elapsed), NOW), expected));
  }

  it('accepts a Date and gives undefined for an unreadable time', () => {
    assert.equal(relativeTime(new Date(NOW.getTime() - 2 * MIN), NOW), '2 min ago');
    assert.equal(relativeTime('yesterday-ish', NOW), undefined);
  });
});

describe('drift panel: values', () => {
  it('renders JSON values on one line, strings quoted', () => {
    assert.equal(renderValue('Enabled'), '"Enabled"');
    assert.equal(renderValue(42), '42');
    assert.equal(renderValue(false), 'false');
    assert.equal(renderValue(null), 'null');
    assert.equal(renderValue([1, 'a']), '[1, "a"]');
    assert.equal(renderValue({}), '{}');
    assert.equal(renderValue({ env: 'prod', 'cost-center': 7, 'a b': true }, 80), '{ env: "prod", cost-center: 7, "a b": true }');
    assert.equal(renderValue('line1\nline2'), '"line1\\nline2"');
  });

  it('says which side is not set', () => {
    assert.equal(renderValue(undefined), '(not set)');
    assert.equal(renderValue(undefined, 32, '(absent)'), '(absent)');
  });

  it('cuts long values at the limit with an ellipsis', () => {
    const long = renderValue('x'.repeat(100), 20);
    assert.equal(long, `"${'x'.repeat(18)}…`);
    assert.equal(long.length, 20);
    assert.equal(renderValue({ a: 1, b: 2 }, 9), '{ a: 1, …');
    // Exactly at the limit: kept whole.
    assert.equal(renderValue('abcdef', 8), '"abcdef"');
  });

  it('stops walking a huge value once the budget is spent', () => {
    const items = Array.from({ length: 1000 }, (_, i) => ({ id: i, name: `item-${i}` }));
    // Reading past the budget would throw.
    Object.defineProperty(items, 3, {
      get() {
        throw new Error('read past the budget');
      },
    });
    assert.equal(renderValue({ items }, 30), '{ items: [{ id: 0, name: "ite…');
  });

  it('renders a change as declared → live, masking sensitive values whatever the server sent', () => {
    assert.equal(renderChange({ path: 'versioning_configuration[0].status', declared: 'Enabled', live: 'Suspended' }), '"Enabled" → "Suspended"');
    assert.equal(renderChange({ path: 'force_destroy', declared: false }), 'false → (absent)');
    assert.equal(renderChange({ path: 'tags.team', live: 'ops' }), '(not set) → "ops"');
    assert.equal(renderChange({ path: 'password', declared: 'hunter2', live: 'hunter3', sensitive: true }), '(sensitive) → (sensitive)');
    assert.equal(renderChange({ path: 'password', live: 'hunter3', sensitive: true }), '(not set) → (sensitive)');
  });

  it('takes the first segment of an attribute path', () => {
    assert.equal(firstPathSegment('versioning_configuration[0].status'), 'versioning_configuration');
    assert.equal(firstPathSegment('tags.owner'), 'tags');
    assert.equal(firstPathSegment('force_destroy'), 'force_destroy');
    assert.equal(firstPathSegment('["odd.key"].x'), 'odd.key');
  });

  it('escapes Markdown in names and messages', () => {
    assert.equal(escapeMarkdown('module.a.b["k"]_*x*'), 'module\\.a\\.b\\["k"\\]\\_\\*x\\*');
  });
});

describe('drift panel: sign-in and settings input', () => {
  it('normalizes host names and rejects what is not one', () => {
    assert.equal(normalizeHostname('app.terraform.io'), 'app.terraform.io');
    assert.equal(normalizeHostname('  https://TFE.Example.com/ '), 'tfe.example.com');
    assert.equal(normalizeHostname('tfe.internal:8443'), 'tfe.internal:8443');
    assert.equal(normalizeHostname(''), undefined);
    assert.equal(normalizeHostname('app.terraform.io/app/org'), undefined);
    assert.equal(normalizeHostname('host name'), undefined);
    assert.equal(normalizeHostname('-bad.example.com'), undefined);
  });

  it('turns autoRefreshMinutes into a timer period, off for 0 and for nonsense', () => {
    assert.equal(autoRefreshPeriodMs(0), undefined);
    assert.equal(autoRefreshPeriodMs(-3), undefined);
    assert.equal(autoRefreshPeriodMs('5'), undefined);
    assert.equal(autoRefreshPeriodMs(Number.NaN), undefined);
    assert.equal(autoRefreshPeriodMs(undefined), undefined);
    assert.equal(autoRefreshPeriodMs(15), 15 * MIN);
    assert.equal(autoRefreshPeriodMs(0.1), MIN);
  });
});

describe('drift panel: state for the welcome views', () => {
  const only = (...sources: DriftSourceReport[]): DriftReport => ({ sources, driftCount: 0, refreshing: false });

  it('is loading before the first report and while a first check runs', () => {
    assert.equal(panelState(undefined), 'loading');
    assert.equal(panelState({ ...only(cliOff), refreshing: true }), 'loading');
  });

  it('is ready as soon as any source has a stack, even with HCP signed out', () => {
    assert.equal(panelState(report), 'ready');
    assert.equal(panelState({ ...report, refreshing: true }), 'ready');
  });

  it('is signedOut, error or empty when no source has a stack', () => {
    assert.equal(panelState(only(hcpSignedOut, cliOff)), 'signedOut');
    const failed: DriftSourceReport = { kind: 'state', label: 'Terraform state', stacks: [], problem: { code: 'untrusted', message: 'Restricted Mode.', hint: 'Trust the workspace.' } };
    assert.equal(panelState(only(failed, cliOff)), 'error');
    assert.equal(panelState(only(cliOff)), 'empty');
    assert.equal(panelState(only({ kind: 'state', label: 'Terraform state', stacks: [] })), 'empty');
    assert.equal(panelState(only()), 'empty');
  });

  it('explains the error state with each failing source and its hint', () => {
    const failed: DriftSourceReport = { kind: 'state', label: 'Terraform state', stacks: [], problem: { code: 'untrusted', message: 'Restricted Mode.', hint: 'Trust the workspace.' } };
    assert.equal(panelMessage(only(failed, cliOff)), 'Terraform state: Restricted Mode. Trust the workspace.');
    assert.equal(panelMessage(report), undefined);
    assert.equal(panelMessage(undefined), undefined);
  });
});

describe('drift panel: tree', () => {
  const nodes = reportToNodes(report, NOW);

  it('shows sources → stacks → resources → attributes, in-sync resources grouped, drift first', () => {
    assert.deepEqual(snapshotNodes(nodes), [
      {
        label: 'Terraform state',
        description: '2 drifted · 1 missing · 1 unmanaged · 1 failed',
        icon: 'file-binary list.warningForeground',
        children: [
          {
            label: 'infra/prod',
            description: '4 drifted of 7 · checked 5 min ago',
            icon: 'warning list.warningForeground',
            children: [
              {
                label: 'aws_s3_bucket.logs',
                description: 'drifted · 3 attributes',
                icon: 'warning list.warningForeground',
                children: [
                  { label: 'versioning_configuration[0].status', description: '"Enabled" → "Suspended"', icon: 'symbol-field' },
                  { label: 'tags.owner', description: '"platform" → "someone-else"', icon: 'symbol-field' },
                  { label: 'force_destroy', description: 'false → (absent)', icon: 'symbol-field' },
                ],
              },
              {
                label: 'aws_iam_role.deployer',
                description: 'drifted · 2 attributes',
                icon: 'warning list.warningForeground',
                children: [
                  { label: 'assume_role_policy', description: '(sensitive) → (sensitive)', icon: 'symbol-field' },
                  { label: 'inline_policy', description: '[{ name: "deploy", policy: { Ve… → []', icon: 'symbol-field' },
                ],
              },
              { label: 'module.net.aws_subnet.private["a"]', description: 'missing live', icon: 'diff-removed list.errorForeground' },
              { label: 'aws_security_group.legacy', description: 'not in code', icon: 'circle-slash list.errorForeground' },
              {
                label: 'aws_lambda_function.worker',
                description: 'not compared',
                icon: 'question',
                children: [{ label: 'The declaration uses var.image_tag, which has no value Plumbline can see.', icon: 'info' }],
              },
              {
                label: '2 in sync',
                icon: 'pass testing.iconPassed',
                children: [
                  { label: 'aws_instance.web', description: 'in sync', icon: 'pass testing.iconPassed' },
                  { label: 'aws_s3_bucket.assets', description: 'in sync', icon: 'pass testing.iconPassed' },
                ],
              },
            ],
          },
          {
            label: 'infra/staging',
            description: 'terraform.tfstate is not valid JSON. · checked 3 h ago',
            icon: 'error list.errorForeground',
            children: [{ label: 'Run terraform state pull to check the file.', icon: 'error list.errorForeground' }],
          },
        ],
      },
      {
        label: 'HCP Terraform',
        description: 'signed out',
        icon: 'cloud',
        children: [{ label: 'Sign in to HCP Terraform…', icon: 'sign-in' }],
      },
      { label: 'Terraform CLI', description: 'Turned off in the settings.', icon: 'terminal list.errorForeground' },
    ]);
  });

  it('gives every node a unique id that survives a refresh', () => {
    const ids = allNodes(nodes).map((n) => n.id);
    assert.equal(new Set(ids).size, ids.length);
    const later = reportToNodes(report, new Date(NOW.getTime() + 30 * MIN));
    assert.deepEqual(allNodes(later).map((n) => n.id), ids);
    assert.equal(find(later, 'infra/prod').description, '4 drifted of 7 · checked 35 min ago');
  });

  it('opens what needs attention and folds the rest', () => {
    assert.equal(find(nodes, 'Terraform state').collapsed, false);
    assert.equal(find(nodes, 'infra/prod').collapsed, false);
    assert.equal(find(nodes, 'infra/staging').collapsed, false);
    assert.equal(find(nodes, '2 in sync').collapsed, true);
    const quiet = reportToNodes(
      { sources: [{ ...stateSource, stacks: [{ ...prod, status: 'in-sync', resources: prod.resources.filter((r) => r.status === 'in-sync') }] }], driftCount: 0, refreshing: false },
      NOW,
    );
    const stack = find(quiet, 'infra/prod');
    assert.equal(stack.collapsed, true);
    assert.equal(stack.description, 'all 2 in sync · checked 5 min ago');
    assert.deepEqual(stack.children.map((c) => c.label), ['2 in sync']);
  });

  it('opens the declaration: the block for a resource, the attribute when the code sets it', () => {
    assert.deepEqual(find(nodes, 'aws_s3_bucket.logs').open, { uri: MAIN_TF, range: range(10, 0, 33) });
    assert.deepEqual(find(nodes, 'versioning_configuration[0].status').open, { uri: MAIN_TF, range: range(14, 2, 40) });
    assert.deepEqual(find(nodes, 'tags.owner').open, { uri: MAIN_TF, range: range(12, 2, 30) });
    // Not set in the code: the block header.
    assert.deepEqual(find(nodes, 'force_destroy').open, { uri: MAIN_TF, range: range(10, 0, 33) });
    assert.equal(find(nodes, 'module.net.aws_subnet.private["a"]').open?.uri, 'file:///ws/infra/modules/net/main.tf');
    // No longer in the code: nothing to open, and the menus know it.
    const legacy = find(nodes, 'aws_security_group.legacy');
    assert.equal(legacy.open, undefined);
    assert.equal(legacy.contextValue, 'driftResource.unmanaged');
    assert.equal(find(nodes, 'aws_s3_bucket.logs').contextValue, 'driftResource.drifted.declared');
  });

  it('offers sign-in on a signed-out source and refresh on every source row', () => {
    assert.equal(find(nodes, 'Sign in to HCP Terraform…').command, 'plumbline.drift.signInHcp');
    const sources = nodes.filter((n) => n.kind === 'source');
    assert.deepEqual(sources.map((n) => [n.contextValue, n.source]), [
      ['driftSource', 'state'],
      ['driftSource', 'hcp'],
      ['driftSource', 'terraform'],
    ]);
  });

  it('puts origin, time, problem and link in the stack tooltip, and never a sensitive value', () => {
    const hcpStack: DriftStack = {
      id: 'hcp:ws-DBJebej1fNCZomkr',
      source: 'hcp',
      name: 'acme/api-service',
      root: '/ws/infra/prod',
      status: 'drifted',
      checkedAt: '2025-06-01T10:00:00+00:00',
      origin: 'HCP Terraform health assessment',
      link: 'https://app.terraform.io/app/acme/workspaces/api-service/health/drift',
      resources: [],
      summary: { drifted: 3, undrifted: 12 },
    };
    const tree = reportToNodes({ sources: [{ kind: 'hcp', label: 'HCP Terraform', stacks: [hcpStack] }], driftCount: 3, refreshing: false }, NOW);
    const stack = find(tree, 'acme/api-service');
    assert.equal(stack.description, '3 drifted of 15 · checked 2 h ago');
    assert.equal(find(tree, 'HCP Terraform').description, '3 drifted');
    assert.match(stack.tooltip ?? '', /HCP Terraform health assessment/);
    assert.match(stack.tooltip ?? '', /\(2 h ago\)/);
    assert.match(stack.tooltip ?? '', /\[Open the drift details\]\(https:\/\/app\.terraform\.io\/app\/acme\/workspaces\/api-service\/health\/drift\)/);
    assert.equal(stack.contextValue, 'driftStack.linked');

    // A signed-out Argo CD source offers its own sign-in.
    const refused: DriftStack = { id: 'argocd:/w', source: 'argocd', name: 'w', root: '/w', status: 'error', origin: 'Argo CD', resources: [], problem: { code: 'auth', message: 'Not signed in to Argo CD at argocd.example.com.' } };
    const argo = reportToNodes({ sources: [{ kind: 'argocd', label: 'Argo CD', stacks: [refused], signedOut: true }], driftCount: 0, refreshing: false }, NOW);
    const signIn = find(argo, 'Sign in to Argo CD…');
    assert.equal(signIn.command, 'plumbline.drift.signInArgoCd');

    const staged = find(nodes, 'infra/staging').tooltip ?? '';
    assert.match(staged, /terraform\\\.tfstate is not valid JSON\\\./);
    assert.match(staged, /Run terraform state pull/);

    const secret = { ...prod, resources: [resource({ address: 'aws_db_instance.main', status: 'drifted', changes: [{ path: 'password', declared: 'hunter2', live: 'hunter3', sensitive: true }] })] };
    const masked = allNodes(reportToNodes({ sources: [{ ...stateSource, stacks: [secret] }], driftCount: 1, refreshing: false }, NOW));
    for (const n of masked) assert.doesNotMatch(`${n.label} ${n.description ?? ''} ${n.tooltip ?? ''}`, /hunter/);
  });

  it('refuses a link that is not a web address', () => {
    const tree = reportToNodes(
      { sources: [{ kind: 'hcp', label: 'HCP Terraform', stacks: [{ ...prod, id: 'hcp:x', link: 'command:workbench.action.terminal.new' }] }], driftCount: 4, refreshing: false },
      NOW,
    );
    const stack = find(tree, 'infra/prod');
    assert.doesNotMatch(stack.tooltip ?? '', /command:/);
    assert.equal(stack.contextValue, 'driftStack');
  });

  it('shows nothing while a welcome view explains the state', () => {
    assert.deepEqual(reportToNodes(undefined, NOW), []);
    assert.deepEqual(reportToNodes({ sources: [hcpSignedOut, cliOff], driftCount: 0, refreshing: false }, NOW), []);
  });
});

describe('drift panel: status bar', () => {
  it('counts drift, spins while checking, and hides when there is no stack', () => {
    assert.equal(statusBarModel(report, false)?.text, '$(warning) 4 drifted');
    assert.equal(statusBarModel(report, true)?.text, '$(sync~spin) Drift');
    assert.equal(statusBarModel({ ...report, refreshing: true }, false)?.text, '$(sync~spin) Drift');
    const clean: DriftReport = { sources: [{ ...stateSource, stacks: [{ ...prod, status: 'in-sync', resources: [] }] }], driftCount: 0, refreshing: false };
    assert.equal(statusBarModel(clean, false)?.text, '$(check) No drift');
    assert.equal(statusBarModel({ sources: [{ ...stateSource, stacks: [staging] }], driftCount: 0, refreshing: false }, false)?.text, '$(error) Drift: 1 failed');
    assert.equal(statusBarModel({ sources: [hcpSignedOut, cliOff], driftCount: 0, refreshing: false }, true), undefined);
    assert.equal(statusBarModel(undefined, false), undefined);
  });

  it('lists each source in the tooltip', () => {
    assert.equal(
      statusBarModel(report, false)?.tooltip,
      'Plumbline drift\nTerraform state: 2 drifted · 1 missing · 1 unmanaged · 1 failed\nHCP Terraform: signed out\nTerraform CLI: Turned off in the settings.',
    );
  });
});

describe('drift panel: reports from the wire', () => {
  it('accepts a well-formed report and defaults refreshing', () => {
    assert.deepEqual(readDriftReport(JSON.parse(JSON.stringify(report))), report);
    const { refreshing: _ignored, ...withoutFlag } = report;
    assert.equal(readDriftReport(withoutFlag)?.refreshing, false);
  });

  it('rejects a malformed one instead of throwing later in the tree', () => {
    for (const bad of [
      null,
      [],
      'report',
      { sources: {}, driftCount: 0 },
      { sources: [], driftCount: '0' },
      { sources: [{ kind: 'state', label: 'x' }], driftCount: 0 },
      { sources: [{ kind: 'state', label: 'x', stacks: [{ id: 's', name: 'n' }] }], driftCount: 0 },
      { sources: [{ kind: 'state', label: 'x', stacks: [{ id: 's', name: 'n', resources: [{ address: 'a.b', status: 'drifted' }] }] }], driftCount: 0 },
    ]) {
      assert.equal(readDriftReport(bad), undefined, JSON.stringify(bad));
    }
  });
});
