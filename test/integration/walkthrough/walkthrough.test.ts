// The walkthrough's steps complete on the real events: the context keys its
// completionEvents wait for turn true when a finding appears, when a quick fix
// and a suppression are applied the way the editor applies them (the edit,
// then the action's command), when a config declaring a policy is saved, and
// when a drift source has checked a stack.
// The keys are read through `plumbline.walkthrough.state`. Then the palette
// commands: Analyse Workspace, Show Rule Documentation, Create .plumbline.yaml.
import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { codeOf, EVENT_TIMEOUT_MS, fileUri, open, plumblineDiagnostics, quickFixesAt, rangeOf, revertAndCloseAll, waitForBriefs, waitForDiagnostics } from '../helpers';

const ECR = ['tf-aws-ecr-tag-immutability'];
const FINDING = 'tf-aws-ecr-tag-immutability@3:26-3:35';

type State = Record<'workspaceOpened' | 'findingSeen' | 'fixApplied' | 'suppressionAdded' | 'policyWritten' | 'driftConnected', boolean>;
const state = () => vscode.commands.executeCommand<State>('plumbline.walkthrough.state', true);

/** Resolves once `step` is done; the keys have no change event, so this re-reads them until the guard expires. */
async function waitForStep(step: keyof State): Promise<void> {
  const deadline = Date.now() + EVENT_TIMEOUT_MS;
  while (!(await state())[step]) {
    if (Date.now() > deadline) throw new Error(`walkthrough step ${step} not completed after ${EVENT_TIMEOUT_MS} ms: ${JSON.stringify(await state())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Applies a code action as the editor does: its edit, then its command. */
async function applyLikeTheEditor(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `"${action.title}" carries an edit`);
  assert.ok(action.command, `"${action.title}" carries a command`);
  assert.equal(action.command.command, 'plumbline.codeActionApplied');
  assert.ok(await vscode.workspace.applyEdit(action.edit), `"${action.title}" applies`);
  await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** The quick fixes at the finding, once the editor offers any (see quickFixesAt). */
async function actionsAtTheFinding(doc: vscode.TextDocument): Promise<vscode.CodeAction[]> {
  await waitForBriefs(doc.uri, [FINDING], ECR);
  const [diagnostic] = plumblineDiagnostics(doc.uri, ECR);
  return quickFixesAt(doc, diagnostic!.range);
}

const config = () => fileUri('.plumbline.yaml');
async function removeConfig(): Promise<void> {
  await vscode.workspace.fs.delete(config()).then(undefined, () => undefined);
}

describe('the walkthrough completes on real events', () => {
  before(async () => {
    await vscode.workspace.getConfiguration('files').update('autoSave', 'off', vscode.ConfigurationTarget.Global);
    await removeConfig(); // left by an interrupted run
    // The extension activates on the workspace's .tf files; make sure it did before reading its state.
    await vscode.extensions.getExtension('plumbline.plumbline')?.activate();
  });
  afterEach(revertAndCloseAll);
  after(removeConfig);

  it('starts with only the workspace step done', async () => {
    await waitForStep('workspaceOpened');
    const s = await state();
    assert.deepEqual({ fixApplied: s.fixApplied, suppressionAdded: s.suppressionAdded, policyWritten: s.policyWritten }, {
      fixApplied: false,
      suppressionAdded: false,
      policyWritten: false,
    });
  });

  it('"see a finding" completes when Plumbline diagnostics appear in an open file', async () => {
    const doc = await open('infra/registry.tf');
    await waitForBriefs(doc.uri, [FINDING], ECR);
    await waitForStep('findingSeen');
  });

  it('"apply a quick fix" completes when a fix is applied', async () => {
    const doc = await open('infra/registry.tf');
    const fix = (await actionsAtTheFinding(doc)).find((a) => a.title === 'Set image_tag_mutability = "IMMUTABLE"');
    assert.ok(fix, 'the quick fix is offered');
    await applyLikeTheEditor(fix);
    await waitForBriefs(doc.uri, [], ECR);
    await waitForStep('fixApplied');
    assert.equal((await state()).suppressionAdded, false, 'a fix is not a suppression');
  });

  it('"suppress with a reason" completes when a suppression is added', async () => {
    const doc = await open('infra/registry.tf');
    const suppress = (await actionsAtTheFinding(doc)).find((a) => a.title.startsWith('Suppress tf-aws-ecr-tag-immutability'));
    assert.ok(suppress, 'the suppression action is offered');
    await applyLikeTheEditor(suppress);
    await waitForBriefs(doc.uri, [], ECR);
    await waitForStep('suppressionAdded');
  });

  it('"Create .plumbline.yaml from a Preset" writes the preset, opens it, and never overwrites', async () => {
    const written = await vscode.commands.executeCommand<vscode.Uri | undefined>('plumbline.createConfig', 'strict');
    assert.equal(written?.toString(), config().toString());
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(config()));
    assert.match(text, /^extends: strict$/m);
    assert.match(text, /^# policies:$/m, 'a commented policy example');
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), config().toString(), 'the new file is opened');

    assert.equal(await vscode.commands.executeCommand('plumbline.createConfig', 'recommended'), undefined, 'an existing file is refused');
    assert.match(new TextDecoder().decode(await vscode.workspace.fs.readFile(config())), /^extends: strict$/m, 'and left as it was');
    assert.equal((await state()).policyWritten, false, 'a config without a policy is not the policy step');
  });

  it('"write a custom policy" completes when a config declaring a policy is saved', async () => {
    const doc = await vscode.workspace.openTextDocument(config());
    await vscode.window.showTextDocument(doc);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      doc.uri,
      doc.positionAt(doc.getText().length),
      [
        'policies:',
        '  - id: acme-ecr-immutable',
        '    title: Model registries keep their tags immutable',
        '    severity: high',
        '    message: ECR repositories must set image_tag_mutability to IMMUTABLE',
        '    match:',
        '      terraform: { resources: [aws_ecr_repository] }',
        '    assert:',
        '      type: object',
        '      required: [image_tag_mutability]',
        '',
      ].join('\n'),
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.equal((await state()).policyWritten, false, 'not before it is saved');
    assert.ok(await doc.save(), 'the config saves');
    await waitForStep('policyWritten');
  });

  it('"connect a drift source" completes when a source has checked a stack (seed/terraform.tfstate, in sync)', async () => {
    await waitForStep('driftConnected');
    const snapshot = await vscode.commands.executeCommand<{ tree: { label: string; description?: string }[] }>('plumbline.drift.snapshot');
    assert.ok(JSON.stringify(snapshot.tree).includes('"label":"seed"'), JSON.stringify(snapshot));
  });

  it('"Analyse Workspace" publishes findings for files that are not open and returns the counts', async () => {
    const models = fileUri('infra/models.tf');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === models.toString()), 'models.tf is not open');
    const result = await vscode.commands.executeCommand<{ files: number; findings: number; filesWithFindings: number; bySeverity: Record<string, number> }>(
      'plumbline.analyzeWorkspace',
    );
    assert.ok(result, 'the command returns the counts');
    assert.ok(result.files >= 2, `files: ${result.files}`);
    assert.ok(result.findings >= 2 && result.filesWithFindings >= 2, JSON.stringify(result));
    await waitForDiagnostics(models, (ds) => ds.some((d) => d.code !== undefined), 'findings of the unopened file', undefined);
    assert.ok(plumblineDiagnostics(models, ECR).length === 1, 'the ECR finding of models.tf is in the Problems panel');
  });

  it('"Show Rule Documentation" opens the rule under the cursor, or the one named', async () => {
    const named = await vscode.commands.executeCommand<vscode.Uri | undefined>('plumbline.showRuleDocs', 'k8s-probes');
    assert.ok(named?.path.endsWith('/docs/rules/k8s-probes.md'), String(named));

    const doc = await open('infra/registry.tf');
    await waitForBriefs(doc.uri, [FINDING], ECR);
    const editor = await vscode.window.showTextDocument(doc);
    const at = rangeOf(doc, '"MUTABLE"').start.translate(0, 2);
    editor.selection = new vscode.Selection(at, at);
    const here = plumblineDiagnostics(doc.uri).filter((d) => d.range.contains(at));
    assert.deepEqual(here.map(codeOf), ECR, 'only the ECR finding under the cursor');
    const opened = await vscode.commands.executeCommand<vscode.Uri | undefined>('plumbline.showRuleDocs');
    assert.ok(opened?.path.endsWith('/docs/rules/tf-aws-ecr-tag-immutability.md'), String(opened));
  });
});
