import {
  CodeLensRefreshRequest,
  createConnection,
  DiagnosticSeverity,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import * as path from 'node:path';
import { CONFIG_FILE } from './config/load';
import { driftHost, driftSources } from './drift/host';
import { loadKubeconfig } from './drift/kubernetes/kubeconfig';
import { DriftService, driftDiagnostics, driftLenses } from './drift/service';
import { ANALYSIS_FAILURE_ID, type Finding } from './engine/finding';
import { evidenceFileName, workspaceEvidence } from './evidence/build';
import { evidenceHtml } from './evidence/html';
import { analyzeWorkspace } from './features/analyzeWorkspace';
import { codeActions, FIX_ALL_KIND } from './features/codeActions';
import { codeLenses, terraformTargets, yamlTargets } from './features/codeLens';
import { configCompletion } from './features/configCompletion';
import { configHover } from './features/configHover';
import { SOURCE, toDiagnostic } from './features/diagnostics';
import { fixAllWorkspace } from './features/fixAllWorkspace';
import { directiveHover, findingHover } from './features/hover';
import { defaultDocsBase } from './features/ruleDocs';
import {
  ANALYZE_WORKSPACE_REQUEST,
  DEFAULT_SETTINGS,
  DRIFT_CHANGED_NOTIFICATION,
  DRIFT_LIST_REQUEST,
  DRIFT_REFRESH_REQUEST,
  KUBE_CONTEXTS_REQUEST,
  SECRET_REQUEST,
  TRUST_CHANGED_NOTIFICATION,
  type DriftRefreshParams,
  type DriftReport,
  type KubeContextsResult,
  type SecretResult,
  type TrustParams,
  FIX_ALL_WORKSPACE_REQUEST,
  RULE_FAILURE_NOTIFICATION,
  RULE_LIST_REQUEST,
  SETTINGS_SECTION,
  type AnalyzeWorkspaceResult,
  type InitializationOptions,
  type PlumblineSettings,
  type RuleSummary,
  EVIDENCE_REPORT_REQUEST,
  type EvidenceReportResult,
} from './protocol';
import { builtinRules } from './rules';
import { confinedFileSystem, describePath, nodeFileSystem } from './service/fileSystem';
import { LanguageService, toPath, toUri } from './service/languageService';
import { readSettings, settingsLayer } from './settings';

// Transport (--stdio, --node-ipc, --socket) is chosen from the command line.
const connection = createConnection(ProposedFeatures.all);
// A bug in one handler must not end the session (the editor would lose every diagnostic
// until it restarts the server): it is logged, and the other documents carry on.
const logFailure = (what: string) => (e: unknown) => connection.console.error(`${what}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
process.on('unhandledRejection', logFailure('a request failed'));
process.on('uncaughtException', logFailure('an event handler failed'));
// TextDocument.update (vscode-languageserver-textdocument 1.0.15) miscounts lines when an edit joins or
// splits a \r\n pair, and every later incremental edit then lands at a wrong offset. A document holding
// a \r is therefore rebuilt from its text after each change, which recomputes its lines correctly.
const documents = new TextDocuments<TextDocument>({
  create: TextDocument.create,
  update: (doc, changes, version) => {
    const updated = TextDocument.update(doc, changes, version);
    const text = updated.getText();
    return text.includes('\r') ? TextDocument.create(updated.uri, updated.languageId, version, text) : updated;
  },
});
// In an untrusted workspace nothing outside the workspace folders is read from disk (see confinedFileSystem).
let rootsInForce: () => readonly string[] = () => [];
const workspaceFs = confinedFileSystem(nodeFileSystem, {
  roots: () => rootsInForce(),
  trusted: () => trusted,
  onRefused: (p, real) =>
    connection.console.warn(
      `Restricted Mode: ${describePath(p, real)} is outside the workspace folders, so it is not read; what it would provide (a module, variables, a configuration) is unknown and raises no finding. Trust the workspace to analyse it.`,
    ),
});
const servicePromise = LanguageService.create({ fs: workspaceFs });
void servicePromise.then((s) => (rootsInForce = () => s.roots()));
let docsBase = defaultDocsBase();
let notifyApplied = false;
let hasConfiguration = false;
let hasWorkspaceFolders = false;
let canRefreshLenses = false;
let trusted = true;
const settings = new Map<string, Promise<PlumblineSettings>>();

connection.onInitialize((params): InitializeResult => {
  const options = (params.initializationOptions ?? {}) as InitializationOptions;
  if (options.docsBase) docsBase = options.docsBase;
  notifyApplied = options.codeActionCommand === true;
  trusted = options.trusted !== false;
  hasConfiguration = !!params.capabilities.workspace?.configuration;
  hasWorkspaceFolders = !!params.capabilities.workspace?.workspaceFolders;
  canRefreshLenses = !!params.capabilities.workspace?.codeLens?.refreshSupport;
  const roots = (params.workspaceFolders ?? []).map((f) => toPath(f.uri));
  if (roots.length === 0 && params.rootUri) roots.push(toPath(params.rootUri));
  void servicePromise.then((s) => s.setRoots(roots));
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: false },
      codeActionProvider: { codeActionKinds: ['quickfix', FIX_ALL_KIND] },
      hoverProvider: true,
      codeLensProvider: { resolveProvider: false },
      // Inside .plumbline.yaml: keys, rule ids, params, severities, presets (see configCompletion).
      completionProvider: { triggerCharacters: [' ', ':', '-', '['] },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
    serverInfo: { name: 'plumbline' },
  };
});

connection.onInitialized(() => {
  if (hasConfiguration) void connection.client.register(DidChangeConfigurationNotification.type, undefined);
  void driftStarted();
  // Only a client that supports workspace folders can send their changes (others get an error for asking).
  if (hasWorkspaceFolders)
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
      (await servicePromise).setRoots(folders.map((f) => toPath(f.uri)));
      documents.all().forEach((d) => schedule(d.uri));
    });
});

function settingsFor(uri: string): Promise<PlumblineSettings> {
  if (!hasConfiguration) return Promise.resolve(DEFAULT_SETTINGS);
  let s = settings.get(uri);
  if (!s) {
    s = connection.workspace.getConfiguration({ scopeUri: uri, section: SETTINGS_SECTION }).then(readSettings, () => DEFAULT_SETTINGS);
    settings.set(uri, s);
  }
  return s;
}

/**
 * Puts the settings of `uri`'s folder in force as the service's base config
 * layer. The service holds one such layer, so each analysis sets its own
 * document's (analysis is synchronous: nothing runs in between); setting
 * the same layer again is a no-op, so a single folder never invalidates the
 * service's caches.
 */
let settingsInForce: string | undefined; // the layer last given to the service, as JSON (undefined: none)
async function useSettingsOf(service: LanguageService, uri: string): Promise<PlumblineSettings> {
  const s = await settingsFor(uri);
  applySettings(service, s);
  return s;
}

function applySettings(service: LanguageService, s: PlumblineSettings): void {
  const layer = settingsLayer(s);
  const key = layer && JSON.stringify(layer);
  if (key === settingsInForce) return;
  settingsInForce = key;
  service.setUserSettings(layer);
}

const isConfigFile = (uri: string) => path.basename(toPath(uri)) === CONFIG_FILE;

// Analysis runs on the next turn of the event loop, with no added delay. When
// several edits arrive back to back, only the newest version gets analysed.
const pending = new Map<string, NodeJS.Immediate>();
function schedule(uri: string): void {
  const previous = pending.get(uri);
  if (previous) clearImmediate(previous);
  pending.set(
    uri,
    setImmediate(() => {
      pending.delete(uri);
      void publish(uri);
    }),
  );
}

/** Publishes the findings of the document's current version; a failure of the analysis never takes the server down. */
async function publish(uri: string): Promise<void> {
  try {
    await analyseAndPublish(uri);
  } catch (e) {
    analysisFailed(uri, e);
  }
}

/**
 * The analysis of a document threw (a bug, or a shape of input no limit
 * foresaw): say so on the document, keep the findings of the last version
 * that was analysed, and log the details for a bug report.
 */
function analysisFailed(uri: string, e: unknown): void {
  logFailure(`analysing ${uri} failed`)(e);
  const doc = documents.get(uri);
  if (!doc) return;
  const kept = (lastSent.get(uri)?.diagnostics ?? []).filter((d) => d.code !== ANALYSIS_FAILURE_ID);
  const reason = e instanceof Error ? e.message.split('\n')[0] : String(e);
  const failure: Diagnostic = {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: SOURCE,
    code: ANALYSIS_FAILURE_ID,
    message: `Plumbline could not analyse this version of the file (${reason}). The other findings shown are those of the last version it analysed. The log (Output › Plumbline) has the details for a bug report.`,
  };
  const diagnostics = [...kept, failure];
  lastSent.set(uri, { version: doc.version, diagnostics });
  void connection.sendDiagnostics({ uri, version: doc.version, diagnostics });
}

async function analyseAndPublish(uri: string): Promise<void> {
  const service = await servicePromise;
  const doc = documents.get(uri);
  if (!doc) return;
  const version = doc.version;
  const own = await settingsFor(uri);
  if (!own.enable) {
    lastSent.set(uri, { version, diagnostics: [] });
    void connection.sendDiagnostics({ uri, version, diagnostics: [] });
    return;
  }
  if (documents.get(uri)?.version !== version) return; // a newer edit is queued
  applySettings(service, own);
  const result = service.analyze(uri);
  for (const failure of result.failures) {
    connection.console.error(`rule ${failure.ruleId} failed on ${uri}: ${failure.error}`);
    void connection.sendNotification(RULE_FAILURE_NOTIFICATION, { uri, ruleId: failure.ruleId, message: failure.error.split('\n')[0] });
  }
  lastFindings.set(uri, { version, findings: result.findings });
  const diagnostics = [...result.findings.map((f) => toDiagnostic(f, docsBase, version)), ...(await driftDiagnosticsOf(uri))];
  // The same diagnostics again (a drift check ended, a file of another module changed) are not
  // re-sent: replacing the editor's markers with equal ones only makes its light bulb flicker.
  // (Compared only for the same version, which is rare: a new version is always sent.)
  const sent = lastSent.get(uri);
  if (sent?.version === version && JSON.stringify(sent.diagnostics) === JSON.stringify(diagnostics)) return;
  lastSent.set(uri, { version, diagnostics });
  void connection.sendDiagnostics({ uri, version, diagnostics });
  refreshCodeLenses();
}

/** What publish last sent per open document (cleared when it closes). */
const lastSent = new Map<string, { version: number; diagnostics: readonly Diagnostic[] }>();

/** The findings last published per document, for lenses of the same version (no second analysis). */
const lastFindings = new Map<string, { version: number; findings: Finding[] }>();

/**
 * Lenses count findings that a change in another file of a module can
 * alter: after publishing, ask the editor to re-request them (coalesced).
 */
let lensRefresh: NodeJS.Immediate | undefined;
function refreshCodeLenses(): void {
  if (!canRefreshLenses || lensRefresh) return;
  lensRefresh = setImmediate(() => {
    lensRefresh = undefined;
    void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  });
}

documents.onDidOpen(async (e) => {
  (await servicePromise).openDocument(e.document.uri, e.document.getText(), e.document.version);
  schedule(e.document.uri);
});

documents.onDidChangeContent(async (e) => {
  const service = await servicePromise;
  service.updateDocument(e.document.uri, e.document.getText(), e.document.version);
  schedule(e.document.uri);
  service.dependents(e.document.uri).forEach(schedule);
});

documents.onDidClose(async (e) => {
  lastFindings.delete(e.document.uri);
  lastSent.delete(e.document.uri);
  const service = await servicePromise;
  const dependents = service.dependents(e.document.uri);
  service.closeDocument(e.document.uri);
  settings.delete(e.document.uri);
  // A file "Analyse Workspace" reported keeps its findings, now those of the file on disk.
  const onDisk = workspaceAnalysed.has(e.document.uri) ? await findingsOnDisk(service, e.document.uri) : [];
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: onDisk.map((f) => toDiagnostic(f, docsBase, undefined)) });
  dependents.forEach(schedule);
});

/** Files whose diagnostics "Analyse Workspace" published while they were not open. */
const workspaceAnalysed = new Set<string>();

async function findingsOnDisk(service: LanguageService, uri: string): Promise<Finding[]> {
  const s = await useSettingsOf(service, uri);
  if (!s.enable || service.isOpen(uri)) return [];
  try {
    return service.analyze(uri).findings;
  } catch {
    return []; // deleted since
  }
}

connection.onDidChangeWatchedFiles(async (e) => {
  const service = await servicePromise;
  const affected = new Set<string>();
  for (const change of e.changes) {
    service.fileChangedOnDisk(change.uri);
    service.dependents(change.uri).forEach((u) => affected.add(u));
    if (/\.gitlab-ci\.ya?ml$/.test(change.uri)) documents.all().forEach((d) => affected.add(d.uri));
  }
  affected.forEach(schedule);
});

connection.onDidChangeConfiguration(() => {
  settings.clear();
  driftSettings = undefined;
  void configureDrift();
  documents.all().forEach((d) => schedule(d.uri));
});

connection.onCodeAction(async (params) => {
  const service = await servicePromise;
  const doc = documents.get(params.textDocument.uri);
  if (!doc || service.version(doc.uri) !== doc.version) return [];
  await useSettingsOf(service, doc.uri);
  if (documents.get(doc.uri)?.version !== doc.version) return [];
  return codeActions(service, doc.uri, doc.version, params.context.diagnostics, params.context.only, { notifyApplied });
});

connection.onCodeLens(async (params) => {
  const service = await servicePromise;
  const doc = documents.get(params.textDocument.uri);
  if (!doc || isConfigFile(doc.uri)) return [];
  const s = await useSettingsOf(service, doc.uri);
  if (!s.enable || !s.codeLens.enable) return [];
  const kind = service.kindOf(doc.uri);
  const file = kind === 'terraform' ? service.hclFile(doc.uri) : kind === 'terraform-vars' || kind === 'other' ? undefined : service.yamlFile(doc.uri);
  if (!file) return [];
  const targets = 'body' in file ? terraformTargets(file) : yamlTargets(file);
  const last = lastFindings.get(doc.uri);
  const findings = last?.version === doc.version ? last.findings : service.analyze(doc.uri).findings;
  return codeLenses(doc.uri, targets, findings, service.rulesRunOn(doc.uri), drift?.hasDrift() ? driftLenses(drift.report(), doc.uri) : []);
});

connection.onHover(async (params) => {
  const service = await servicePromise;
  const doc = documents.get(params.textDocument.uri);
  if (!doc) return null;
  await useSettingsOf(service, doc.uri);
  const result = service.analyze(doc.uri);
  const ruleOf = (id: string) => service.ruleById(id);
  const file = isConfigFile(doc.uri) ? service.yamlFile(doc.uri) : undefined;
  return (
    (file && configHover(file, params.position, builtinRules, docsBase)) ??
    directiveHover(result.directives, params.position, service.suppressionSettings().now, ruleOf) ??
    findingHover(result.findings, params.position, ruleOf, docsBase) ??
    null
  );
});

connection.onCompletion(async (params) => {
  const doc = documents.get(params.textDocument.uri);
  if (!doc || !isConfigFile(doc.uri)) return null;
  return configCompletion(doc.getText(), params.position, builtinRules);
});

connection.onRequest(FIX_ALL_WORKSPACE_REQUEST, async () => {
  const service = await servicePromise;
  return fixAllWorkspace(service, service.roots());
});

connection.onRequest(ANALYZE_WORKSPACE_REQUEST, async (): Promise<AnalyzeWorkspaceResult> => {
  const service = await servicePromise;
  const progress = await connection.window.createWorkDoneProgress();
  const total: { files: number; filesWithFindings: number; findings: number; bySeverity: Record<string, number>; disabledFolders: number } = {
    files: 0,
    filesWithFindings: 0,
    findings: 0,
    bySeverity: {},
    disabledFolders: 0,
  };
  const roots = service.roots();
  progress.begin('Plumbline: analysing the workspace', 0, undefined, true);
  let cancelled = false;
  progress.token.onCancellationRequested(() => (cancelled = true));
  try {
    for (const root of roots) {
      // Settings are per folder: each root is analysed under its own.
      const own = await settingsFor(toUri(root));
      if (!own.enable) {
        total.disabledFolders++;
        continue;
      }
      applySettings(service, own);
      const result = await analyzeWorkspace(service, [root], {
        publish: (uri, findings) => {
          if (service.isOpen(uri)) return; // open documents publish their own, per version
          workspaceAnalysed.add(uri);
          void connection.sendDiagnostics({ uri, diagnostics: findings.map((f) => toDiagnostic(f, docsBase, undefined)) });
        },
        progress: (done, count) =>
          progress.report(count === 0 ? 100 : Math.round((done / count) * 100), `${path.basename(root)}: ${done}/${count} files`),
        cancelled: () => cancelled,
        // Other requests run in between; this folder's settings are put back in force after them.
        yieldBetweenBatches: () => new Promise<void>((resolve) => setImmediate(resolve)).then(() => applySettings(service, own)),
      });
      total.files += result.files;
      total.filesWithFindings += result.filesWithFindings;
      total.findings += result.findings;
      for (const [k, n] of Object.entries(result.bySeverity)) total.bySeverity[k] = (total.bySeverity[k] ?? 0) + n;
      if (cancelled) break;
    }
  } finally {
    progress.done();
  }
  return total;
});

connection.onRequest(
  RULE_LIST_REQUEST,
  (): RuleSummary[] => builtinRules.map((r) => ({ id: r.id, title: r.title, domain: r.domain, severity: r.severity })),
);

// ---- drift -------------------------------------------------------------------------

let drift: DriftService | undefined;
let driftSettings: Promise<PlumblineSettings['drift']> | undefined;

function driftSettingsNow(): Promise<PlumblineSettings['drift']> {
  // Drift settings are window-wide: read once without a folder scope.
  driftSettings ??= hasConfiguration
    ? connection.workspace.getConfiguration(SETTINGS_SECTION).then((raw) => readSettings(raw).drift, () => DEFAULT_SETTINGS.drift)
    : Promise.resolve(DEFAULT_SETTINGS.drift);
  return driftSettings;
}

/** A secret the editor stores; undefined when the client does not answer (another editor) within 10 s. */
async function secretFromClient(key: string): Promise<string | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(resolve, 10_000));
  const answer = connection
    .sendRequest<SecretResult>(SECRET_REQUEST, { key })
    .then((r) => (typeof r?.value === 'string' && r.value ? r.value : undefined))
    .catch(() => undefined);
  return Promise.race([answer, timeout]);
}

let driftStart: Promise<void> | undefined;
const driftStarted = () => (driftStart ??= startDrift());

async function startDrift(): Promise<void> {
  const service = await servicePromise;
  let timeoutMs = DEFAULT_SETTINGS.drift.timeoutSeconds * 1000;
  drift = new DriftService(
    driftHost(service, {
      env: process.env,
      trusted: () => trusted,
      secret: secretFromClient,
      timeoutMs: () => timeoutMs,
      log: (m) => connection.console.info(m),
    }),
    [],
  );
  let wasRefreshing = false;
  drift.onChange((report) => {
    void connection.sendNotification(DRIFT_CHANGED_NOTIFICATION, report);
    // When a check ends, the declarations it found get (or lose) their diagnostics.
    if (wasRefreshing && !report.refreshing) documents.all().forEach((d) => schedule(d.uri));
    wasRefreshing = report.refreshing;
  });
  configureDrift = async () => {
    const s = await driftSettingsNow();
    timeoutMs = s.timeoutSeconds * 1000;
    drift!.setSources(driftSources(service, s, secretFromClient));
  };
  await configureDrift();
  // The offline and read-only sources check at start; running terraform waits for the user.
  const s = await driftSettingsNow();
  void Promise.all(s.sources.filter((k) => k !== 'terraform').map((k) => drift!.refresh(k)));
}

let configureDrift: () => Promise<void> = async () => undefined;

async function driftDiagnosticsOf(uri: string): Promise<ReturnType<typeof toDiagnostic>[]> {
  // Most edits happen with no drift known: skip the mapping altogether then.
  if (!drift?.hasDrift()) return [];
  const s = await driftSettingsNow();
  if (s.diagnostics === 'off') return [];
  const severity = s.diagnostics === 'warning' ? 2 : 3;
  return driftDiagnostics(drift.report(), uri).map((d) => ({
    range: d.range,
    message: d.message,
    severity,
    source: 'plumbline',
    code: 'drift',
    data: { drift: { address: d.address, source: d.source } },
  }));
}

connection.onRequest(DRIFT_LIST_REQUEST, (): DriftReport => drift?.report() ?? { sources: [], driftCount: 0, refreshing: false });

connection.onRequest(DRIFT_REFRESH_REQUEST, async (params?: DriftRefreshParams): Promise<DriftReport> => {
  await driftStarted();
  return drift!.refresh(params?.source);
});

connection.onRequest(KUBE_CONTEXTS_REQUEST, async (): Promise<KubeContextsResult> => {
  const chosen = (await driftSettingsNow()).kubernetesContext || undefined;
  try {
    const config = await loadKubeconfig({ env: process.env });
    if (config.files.length === 0) return { contexts: [], problem: 'no kubeconfig found (KUBECONFIG is unset and ~/.kube/config does not exist).' };
    const contexts = [...config.contexts.values()].map((c) => {
      const f = c.fields as { cluster?: unknown; namespace?: unknown };
      return { name: c.name, cluster: typeof f.cluster === 'string' ? f.cluster : '', ...(typeof f.namespace === 'string' ? { namespace: f.namespace } : {}) };
    });
    return { contexts, ...(config.currentContext ? { current: config.currentContext } : {}), ...(chosen ? { chosen } : {}) };
  } catch (e) {
    return { contexts: [], problem: (e as Error).message };
  }
});

connection.onNotification(TRUST_CHANGED_NOTIFICATION, async (params: TrustParams) => {
  if (params?.trusted !== true || trusted) return;
  trusted = true;
  // What was refused while untrusted is read now: drop what was cached for it and
  // analyse the open documents again.
  const service = await servicePromise;
  for (const r of workspaceFs.takeRefused()) {
    if (r.kind === 'dir') service.forgetDirectory(r.path);
    else service.fileChangedOnDisk(toUri(r.path));
  }
  documents.all().forEach((d) => schedule(d.uri));
  // Drift found while untrusted missed what was refused (modules outside, the terraform CLI): check again.
  if (drift) {
    const s = await driftSettingsNow();
    void Promise.all(s.sources.filter((k) => k !== 'terraform').map((k) => drift!.refresh(k)));
  }
});

connection.onShutdown(() => drift?.dispose());

// The evidence report: each folder under its own settings (as Analyse Workspace), drift as last checked (no new check).
connection.onRequest(EVIDENCE_REPORT_REQUEST, async (): Promise<EvidenceReportResult> => {
  const service = await servicePromise;
  const evidence = await workspaceEvidence(
    service,
    async (root) => {
      const own = await settingsFor(toUri(root));
      return own.enable ? () => applySettings(service, own) : undefined;
    },
    drift?.report(),
  );
  return { html: evidenceHtml(evidence), fileName: evidenceFileName(evidence), findings: evidence.verdict.findings, highOrAbove: evidence.verdict.highOrAbove };
});

documents.listen(connection);
connection.listen();
