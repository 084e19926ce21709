import * as vscode from 'vscode';
import { ARGOCD_SERVER_SECRET, argocdSecretKey } from '../../../server/src/protocol';
import type { DriftActions } from './commands';
import { normalizeHostname } from './model';

export const ARGOCD_COMMANDS = {
  signIn: 'plumbline.drift.signInArgoCd',
  signOut: 'plumbline.drift.signOutArgoCd',
} as const;

/**
 * "Sign in to Argo CD": the server (host[:port], HTTPS) and a token from
 * `argocd account generate-token`, kept in SecretStorage; the Argo CD source
 * reads them when ARGOCD_SERVER / ARGOCD_AUTH_TOKEN are not set. "Sign out"
 * forgets both.
 */
export function registerArgoCdCommands(context: vscode.ExtensionContext, actions: DriftActions): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ARGOCD_COMMANDS.signIn, async (): Promise<boolean> => {
      const input = await vscode.window.showInputBox({
        title: 'Sign in to Argo CD (1/2)',
        prompt: 'The Argo CD server, as the argocd CLI takes it: host or host:port (HTTPS)',
        value: (await context.secrets.get(ARGOCD_SERVER_SECRET)) ?? '',
        ignoreFocusOut: true,
        validateInput: (v) => (normalizeHostname(v) ? undefined : 'Enter a host name such as argocd.example.com or argocd.example.com:8443'),
      });
      const host = input === undefined ? undefined : normalizeHostname(input);
      if (!host) return false;
      const token = await vscode.window.showInputBox({
        title: 'Sign in to Argo CD (2/2)',
        prompt: `API token for ${host} (argocd account generate-token). Read access to the applications is enough.`,
        placeHolder: 'Paste the token',
        password: true,
        ignoreFocusOut: true,
        validateInput: (v) => (v.trim() === '' ? 'Paste a token' : /\s/.test(v.trim()) ? 'A token has no spaces' : undefined),
      });
      if (!token?.trim()) return false;
      await context.secrets.store(ARGOCD_SERVER_SECRET, host);
      await context.secrets.store(argocdSecretKey(host), token.trim());
      await actions.refresh('argocd');
      return true;
    }),
    vscode.commands.registerCommand(ARGOCD_COMMANDS.signOut, async (): Promise<boolean> => {
      const host = await context.secrets.get(ARGOCD_SERVER_SECRET);
      if (!host) {
        void vscode.window.showInformationMessage('Plumbline holds no Argo CD token. ARGOCD_SERVER and ARGOCD_AUTH_TOKEN are managed outside VS Code.');
        return false;
      }
      await context.secrets.delete(argocdSecretKey(host));
      await context.secrets.delete(ARGOCD_SERVER_SECRET);
      await actions.refresh('argocd');
      return true;
    }),
  ];
}
