import * as vscode from 'vscode';
import { PRESET_SUMMARIES } from '../../../server/src/protocol';

/** The .plumbline.yaml written for `preset`: the `extends:` line and commented examples to start from. */
export function configTemplate(preset: string): string {
  return `# Plumbline configuration for this folder.
# Reference: the rule pages ("Plumbline: Show Rule Documentation") and the
# schema-driven completion and hover in this file.
extends: ${preset}

# Per-rule settings: turn a rule off, change its severity, or set its params.
# rules:
#   tf-required-tags:
#     severity: high
#     params:
#       required_tags: [owner, cost-center, data-classification]
#   k8s-default-namespace:
#     enabled: false

# Paths no rule looks at (globs, relative to this file).
# exclude:
#   - "examples/**"

# Waivers: how long a suppression may last and how long its reason must be.
# suppression:
#   max_days: 90
#   min_reason_chars: 20

# Your own policies: a JSON Schema asserted on each matched block or object.
# policies:
#   - id: acme-model-version-label
#     title: Model-serving deployments carry a semantic model version
#     severity: high
#     message: Deployments must carry a model-version label such as 1.4.2
#     match:
#       kubernetes: { kinds: [Deployment], labels: { workload: model-serving } }
#     assert:
#       type: object
#       required: [metadata]
#       properties:
#         metadata:
#           type: object
#           required: [labels]
#           properties:
#             labels:
#               type: object
#               required: [model-version]
`;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/**
 * "Plumbline: Create .plumbline.yaml from a Preset": pick a preset (or pass
 * its name as the first argument, and optionally a workspace folder URI as the
 * second), write <folder>/.plumbline.yaml extending it, and open it. An
 * existing file is never overwritten: the command offers to open it instead.
 * Returns the URI of the file written, or undefined.
 */
export function registerCreateConfig(): vscode.Disposable {
  return vscode.commands.registerCommand('plumbline.createConfig', async (presetArg?: unknown, folderArg?: unknown): Promise<vscode.Uri | undefined> => {
    const folders = vscode.workspace.workspaceFolders ?? [];
    if (folders.length === 0) {
      void vscode.window.showWarningMessage('Plumbline: open a folder first; .plumbline.yaml goes at its root.');
      return undefined;
    }
    const folder =
      folderArg instanceof vscode.Uri
        ? folderArg
        : folders.length === 1
          ? folders[0]!.uri
          : (await vscode.window.showWorkspaceFolderPick({ placeHolder: 'Folder to create .plumbline.yaml in' }))?.uri;
    if (!folder) return undefined;
    const target = vscode.Uri.joinPath(folder, '.plumbline.yaml');
    if (await exists(target)) {
      // Not awaited: the command returns while the message waits for an answer.
      void vscode.window
        .showWarningMessage(`Plumbline: ${vscode.workspace.asRelativePath(target)} already exists; it was left as it is.`, 'Open It')
        .then((choice) => (choice ? vscode.window.showTextDocument(target) : undefined));
      return undefined;
    }
    let preset = typeof presetArg === 'string' ? presetArg : undefined;
    if (preset !== undefined && !PRESET_SUMMARIES.some((p) => p.name === preset)) {
      void vscode.window.showErrorMessage(`Plumbline: unknown preset "${preset}" (known: ${PRESET_SUMMARIES.map((p) => p.name).join(', ')}).`);
      return undefined;
    }
    preset ??= (
      await vscode.window.showQuickPick(
        PRESET_SUMMARIES.map((p) => ({ label: p.name, detail: p.description })),
        { title: 'Plumbline: create .plumbline.yaml', placeHolder: 'Preset to extend' },
      )
    )?.label;
    if (!preset) return undefined;
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(configTemplate(preset)));
    await vscode.window.showTextDocument(target);
    return target;
  });
}
