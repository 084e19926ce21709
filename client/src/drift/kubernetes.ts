import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { KUBE_CONTEXTS_REQUEST, type KubeContextsResult } from '../../../server/src/protocol';
import type { DriftActions } from './commands';

export const CHOOSE_CONTEXT_COMMAND = 'plumbline.drift.chooseKubernetesContext';

/**
 * "Choose Kubernetes Context": lists the kubeconfig's contexts (as the server
 * reads them: KUBECONFIG merged, or ~/.kube/config), writes the choice to the
 * user setting plumbline.drift.kubernetesContext, and checks that cluster.
 */
export function registerChooseContext(client: () => LanguageClient | undefined, actions: DriftActions): vscode.Disposable {
  return vscode.commands.registerCommand(CHOOSE_CONTEXT_COMMAND, async (name?: unknown): Promise<string | undefined> => {
    let chosen = typeof name === 'string' ? name : undefined;
    if (chosen === undefined) {
      const c = client();
      if (!c) return undefined;
      const r = await c.sendRequest<KubeContextsResult>(KUBE_CONTEXTS_REQUEST);
      if (r.problem || r.contexts.length === 0) {
        void vscode.window.showWarningMessage(`Plumbline: ${r.problem ?? 'the kubeconfig has no contexts.'}`);
        return undefined;
      }
      const active = r.chosen || r.current;
      const picked = await vscode.window.showQuickPick(
        [
          { label: 'Current context', description: r.current ? `follows kubectl (now ${r.current})` : 'follows kubectl', value: '' },
          ...r.contexts.map((x) => ({
            label: x.name,
            description: [x.cluster, x.namespace && `namespace ${x.namespace}`, x.name === active && '(in use)'].filter(Boolean).join(' · '),
            value: x.name,
          })),
        ],
        { title: 'Kubernetes context for drift', placeHolder: 'The cluster Plumbline compares the manifests with' },
      );
      if (!picked) return undefined;
      chosen = picked.value;
    }
    await vscode.workspace.getConfiguration('plumbline').update('drift.kubernetesContext', chosen, vscode.ConfigurationTarget.Global);
    await actions.refresh('kubernetes');
    return chosen;
  });
}
