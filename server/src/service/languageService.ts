import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { PARSE_ERROR_ID, type Finding } from '../engine/finding';
import { PLACEHOLDER_ID, placeholderFindings } from '../engine/placeholders';
import type { AnyRule } from '../engine/rule';
import { mergeParams, paramsOf, runTerraformRules, runYamlRules, type RuleFailure, type RuleSelection } from '../engine/run';
import { resolveConfig, type EffectiveConfig } from '../config/effective';
import { CONFIG_FILE, ConfigLoader } from '../config/load';
import type { ConfigData } from '../config/types';
import type { HclBlock, HclFile } from '../model/hcl';
import { comparePos, LineIndex, rangeContains, shiftLines, type Range } from '../model/location';
import { items, str, get, type YamlFile } from '../model/yaml';
import { HclParser } from '../parsers/hcl/parser';
import { documentKind, fileKindOf, type FileKind } from '../parsers/yaml/kind';
import { parseYamlReusing } from '../parsers/yaml/parser';
import { PolicyCatalog, governedFolder, isPolicyFile, runTerraformPolicies, runYamlPolicies, type Policy } from '../policy';
import { builtinRules } from '../rules';
import { SUPPRESSION_FINDING_IDS, suppressInFile, suppressionOptions, type Directive, type SuppressibleFile, type SuppressionOptions } from '../suppressions';
import { TerraformModule, type InstalledState, type VarFile } from '../terraform/module';
import { nodeFileSystem, type FileSystem } from './fileSystem';

export interface AnalysisResult {
  readonly findings: Finding[];
  readonly failures: RuleFailure[];
  /** The document's `plumbline:ignore` directives, with their outcome. */
  readonly directives: Directive[];
}

export interface LanguageServiceOptions {
  readonly fs?: FileSystem;
  readonly rules?: readonly AnyRule[];
  /** Workspace folder paths; a `.gitlab-ci.yml` at a root decides which files it includes. */
  readonly roots?: readonly string[];
  /** Rule params by rule id, over each rule's defaults. */
  readonly params?: Readonly<Record<string, Record<string, unknown>>>;
  /** Suppression settings over the catalog defaults (`now` comes from the clock below). */
  readonly suppression?: Partial<SuppressionOptions>;
  /** The clock that decides whether a suppression has expired. */
  readonly now?: () => Date;
  /** A config file applied before the .plumbline.yaml files of the tree (`plumbline check --config`). */
  readonly configFile?: string;
}

interface Doc {
  text: string;
  version: number;
  open: boolean;
}

/**
 * The analysis core, free of any editor API: documents in (open buffers win
 * over the disk), findings out. The LSP server, the CLI and the tests all use it.
 */
export class LanguageService {
  private readonly docs = new Map<string, Doc>();
  /** The documents open in the editor (a subset of `docs`, which also holds what was read from disk). */
  private readonly open = new Set<string>();
  private readonly hclCache = new Map<string, { text: string; file: HclFile }>();
  private readonly yamlCache = new Map<string, { text: string; kind: FileKind; file: YamlFile }>();
  private readonly dirCache = new Map<string, string[]>();
  /** Findings and block ranges of the last version of each open HCL document that parsed. */
  private readonly lastGood = new Map<string, { text: string; findings: Finding[]; blocks: Map<string, Range> }>();
  /** Terraform modules by directory path, with the signature of the inputs they were built from. */
  private readonly moduleCache = new Map<string, { signature: string; module: TerraformModule; deps: Map<string, string>; environment: { signature: string; token: object } }>();
  private readonly fs: FileSystem;
  private rules: readonly AnyRule[];
  private readonly params: LanguageServiceOptions['params'];
  private readonly suppression: Partial<SuppressionOptions>;
  private readonly now: () => Date;
  private rootPaths: readonly string[];
  private gitlabIncludes: Set<string> | undefined;
  private readonly configLoader: ConfigLoader;
  private readonly policies: PolicyCatalog;
  private readonly configFile: string | undefined;
  private userSettings: ConfigData | undefined;
  private userSettingsVersion = 0;
  private readonly configCache = new Map<string, { key: string; config: EffectiveConfig }>();
  private readonly selections = new WeakMap<EffectiveConfig, RuleSelection>();
  /** While set, `uri` reads as `text` and nothing computed from it is cached (see analyzeVariant). */
  private variant: { uri: string; text: string; hcl?: HclFile; yaml?: YamlFile } | undefined;

  private constructor(
    private readonly hcl: HclParser,
    options: LanguageServiceOptions,
  ) {
    this.fs = options.fs ?? nodeFileSystem;
    this.rules = options.rules ?? builtinRules;
    this.rootPaths = options.roots ?? [];
    this.params = options.params;
    this.suppression = options.suppression ?? {};
    this.configFile = options.configFile ? path.resolve(options.configFile) : undefined;
    // Config files are read like any document: an open, unsaved .plumbline.yaml wins over the disk.
    const readConfig = (file: string) =>
      file === this.configFile || this.isOpen(toUri(file)) || this.listDir(path.dirname(file)).includes(path.basename(file)) ? this.text(toUri(file)) : undefined;
    this.configLoader = new ConfigLoader(this.rules, readConfig);
    // A policy id may not take the id of any rule or engine finding, so a directive or a report never confuses the two.
    const reserved = new Set([...builtinRules, ...this.rules].map((r) => r.id).concat(PARSE_ERROR_ID, CONFIG_ERROR_ID, PLACEHOLDER_ID, ...SUPPRESSION_FINDING_IDS));
    // A policy file opened in the editor counts before it is saved.
    const policyDir = (dir: string) => [...new Set([...this.listDir(dir), ...this.openDocuments().map(toPath).filter((f) => path.dirname(f) === dir).map((f) => path.basename(f))])];
    this.policies = new PolicyCatalog(reserved, readConfig, policyDir);
    this.now = options.now ?? (() => new Date());
  }

  static async create(options: LanguageServiceOptions = {}): Promise<LanguageService> {
    return new LanguageService(await HclParser.create(), options);
  }

  roots(): readonly string[] {
    return this.rootPaths;
  }

  setRoots(roots: readonly string[]): void {
    this.rootPaths = roots;
    this.gitlabIncludes = undefined;
  }

  // ---- documents -----------------------------------------------------------

  openDocument(uri: string, text: string, version: number): void {
    this.docs.set(uri, { text, version, open: true });
    this.open.add(uri);
    this.textChanged(uri);
  }

  updateDocument(uri: string, text: string, version: number): void {
    const doc = this.docs.get(uri);
    if (doc) Object.assign(doc, { text, version });
    else this.docs.set(uri, { text, version, open: true });
    if (this.docs.get(uri)!.open) this.open.add(uri);
    this.textChanged(uri);
  }

  closeDocument(uri: string): void {
    this.docs.delete(uri);
    this.open.delete(uri);
    this.hcl.forget(uri);
    this.hclCache.delete(uri);
    this.yamlCache.delete(uri);
    this.lastGood.delete(uri);
    this.textChanged(uri);
  }

  /** A file changed, appeared or disappeared on disk (file watcher). */
  fileChangedOnDisk(uri: string): void {
    const doc = this.docs.get(uri);
    if (doc && !doc.open) this.docs.delete(uri);
    if (!doc?.open) {
      this.hclCache.delete(uri);
      this.yamlCache.delete(uri);
    }
    this.dirCache.delete(path.dirname(toPath(uri)));
    this.textChanged(uri);
  }

  /** Forgets the cached listing of a directory (its files may be readable now, e.g. after the workspace was trusted). */
  forgetDirectory(dir: string): void {
    this.dirCache.delete(dir);
    this.gitlabIncludes = undefined;
  }

  isOpen(uri: string): boolean {
    return this.open.has(uri);
  }

  version(uri: string): number | undefined {
    return this.docs.get(uri)?.version;
  }

  openDocuments(): string[] {
    return [...this.open];
  }

  /**
   * Drops what was read from disk for documents that are not open: their
   * texts, syntax trees, models and the modules built from them. A workspace
   * scan calls it between batches, so memory stays bounded by a batch, not the
   * repository; what is dropped is read again when needed.
   */
  forgetClosed(): void {
    for (const [uri, doc] of this.docs) {
      if (doc.open) continue;
      this.docs.delete(uri);
      this.hclCache.delete(uri);
      this.yamlCache.delete(uri);
      this.hcl.forget(uri);
    }
    const openDirs = new Set(this.openDocuments().map((u) => path.dirname(toPath(u))));
    for (const dir of [...this.moduleCache.keys()]) if (!openDirs.has(dir)) this.moduleCache.delete(dir);
    for (const dir of [...this.configCache.keys()]) if (!openDirs.has(dir)) this.configCache.delete(dir);
    this.dirCache.clear();
  }

  private textChanged(uri: string): void {
    if (/(^|\/)\.gitlab-ci\.ya?ml$/.test(uri)) this.gitlabIncludes = undefined;
  }

  /** The text of a document: the open buffer if there is one, else the disk. */
  text(uri: string): string | undefined {
    if (this.variant?.uri === uri) return this.variant.text;
    const doc = this.docs.get(uri);
    if (doc) return doc.text;
    const text = this.fs.readFile(toPath(uri));
    if (text !== undefined) this.docs.set(uri, { text, version: 0, open: false });
    return text;
  }

  // ---- analysis --------------------------------------------------------------

  /** The rules this service runs, and their params (defaults merged with overrides). */
  ruleById(id: string): AnyRule | undefined {
    return this.rules.find((r) => r.id === id);
  }

  paramsFor(rule: AnyRule): Record<string, unknown> {
    return paramsOf(rule, this.params?.[rule.id]);
  }

  kindOf(uri: string): FileKind {
    return fileKindOf(toPath(uri), this.includes());
  }

  /** Findings for one document. For Terraform, the whole module is analysed and filtered. */
  analyze(uri: string): AnalysisResult {
    const result = this.analyzeUnsorted(uri);
    return { ...result, findings: result.findings.sort(byPosition) };
  }

  /**
   * The findings `uri` would have if its text were `text`, for checking a
   * quick fix before offering it. The documents, caches and syntax trees of
   * the real text are left as they were.
   */
  analyzeVariant(uri: string, text: string): AnalysisResult {
    const saved = { variant: this.variant, includes: this.gitlabIncludes };
    this.variant = { uri, text };
    this.gitlabIncludes = undefined;
    try {
      return this.analyze(uri);
    } finally {
      this.variant = saved.variant;
      this.gitlabIncludes = saved.includes;
    }
  }

  private analyzeUnsorted(uri: string): AnalysisResult {
    const kind = this.kindOf(uri);
    if (path.basename(toPath(uri)) === CONFIG_FILE || isPolicyFile(toPath(uri))) return { findings: this.configFindings(uri), failures: [], directives: [] };
    const config = this.configFor(uri);
    if (config.isExcluded(toPath(uri))) return { findings: [], failures: [], directives: [] };
    const policies = this.policiesFor(uri, config);
    if (kind === 'terraform') {
      const module = this.moduleOf(uri);
      const file = module.files.find((f) => f.uri === uri);
      const result = runTerraformRules(this.selectionFor(config), module);
      const findings = [...configured(config, result.findings), ...runTerraformPolicies(policies, module)];
      return { ...this.suppressed(file, this.terraformFindings(uri, file, findings), config, policies), failures: result.failures };
    }
    if (kind === 'terraform-vars') {
      // Variable values feed the module's evaluation; a syntax error in HCL ones is still worth saying.
      if (uri.endsWith('.json')) return { findings: [], failures: [], directives: [] };
      const file = this.hclFile(uri);
      return { findings: file ? parseErrors(uri, file.errors) : [], failures: [], directives: [] };
    }
    if (kind === 'github-actions' || kind === 'gitlab-ci' || kind === 'yaml') {
      const file = this.yamlFile(uri, kind);
      if (!file) return { findings: [], failures: [], directives: [] };
      const result = runYamlRules(this.selectionFor(config), file);
      const relevant = file.documents.some((d) => d.kind !== 'other');
      // Syntax errors (and directives) in YAML that is none of ours are not our business.
      if (!relevant && kind === 'yaml') return { findings: result.findings, failures: result.failures, directives: [] };
      const findings = [...parseErrors(uri, file.errors), ...configured(config, result.findings), ...runYamlPolicies(policies, file)];
      return { ...this.suppressed(file, findings, config, policies), failures: result.failures };
    }
    return { findings: [], failures: [], directives: [] };
  }

  /**
   * Findings for many documents at once (CLI, workspace scans): each Terraform
   * module is analysed once, not once per file.
   */
  analyzeMany(uris: readonly string[]): Map<string, AnalysisResult> {
    const out = new Map<string, AnalysisResult>();
    const modules = new Map<string, string[]>();
    for (const uri of uris) {
      if (this.kindOf(uri) === 'terraform' && !this.configFor(uri).isExcluded(toPath(uri))) {
        const dir = path.dirname(toPath(uri));
        modules.set(dir, [...(modules.get(dir) ?? []), uri]);
      } else out.set(uri, this.analyze(uri));
    }
    for (const members of modules.values()) {
      const module = this.moduleOf(members[0]!);
      const config = this.configFor(members[0]!);
      const result = runTerraformRules(this.selectionFor(config), module);
      const policies = this.policiesFor(members[0]!, config);
      const findings = [...configured(config, result.findings), ...runTerraformPolicies(policies, module)];
      for (const uri of members) {
        const file = module.files.find((f) => f.uri === uri);
        const own = this.suppressed(file, this.terraformFindings(uri, file, findings), config, policies);
        out.set(uri, { findings: own.findings.sort(byPosition), directives: own.directives, failures: result.failures });
      }
    }
    return out;
  }

  /**
   * The module's findings that fall in `uri`, plus its parse error. While a
   * top-level block holds a syntax error, its findings are those of the last
   * version that parsed (moved with the block), so half-typed text neither
   * hides nor invents findings; blocks that parse are analysed as they are.
   */
  private terraformFindings(uri: string, file: HclFile | undefined, moduleFindings: readonly Finding[]): Finding[] {
    const own = moduleFindings.filter((f) => f.uri === uri);
    if (!file) return own;
    const key = (b: HclBlock) => [b.type, ...b.labels.map((l) => l.value)].join(' ');
    if (file.errors.length === 0) {
      if (this.isOpen(uri) && !this.variant) this.lastGood.set(uri, { text: file.text, findings: own, blocks: new Map(file.body.blocks.map((b) => [key(b), b.range])) });
      return own;
    }
    const broken = file.body.blocks.filter((b) => b.hasError);
    const kept = own.filter((f) => !broken.some((b) => rangeContains(b.range, f.range)));
    const good = this.lastGood.get(uri);
    // A kept finding must still point at the same text: lines added or removed inside the broken
    // block move what follows them, and a finding that no longer matches is dropped, not misplaced.
    const lines = good && broken.length ? { before: new LineIndex(good.text), now: new LineIndex(file.text) } : undefined;
    const textAt = (index: LineIndex, r: Range) => index.text.slice(index.offset(r.start), index.offset(r.end));
    for (const b of broken) {
      const before = good?.blocks.get(key(b));
      if (!good || !before || !lines) continue;
      const delta = b.range.start.line - before.start.line;
      for (const f of good.findings) {
        if (!rangeContains(before, f.range)) continue;
        const range = shiftLines(f.range, delta);
        if (range.end.line < lines.now.lineCount() && textAt(lines.before, f.range) === textAt(lines.now, range)) kept.push({ ...f, range });
      }
    }
    return [...parseErrors(uri, file.errors), ...kept];
  }

  /** Applies the directives of `file` (the document the findings belong to) to its findings. */
  /** The suppression settings in force now (for the "Suppress … until" action). */
  suppressionSettings(uri?: string): SuppressionOptions {
    return suppressionOptions({ ...this.suppression, ...(uri ? this.configFor(uri).suppression : {}) }, this.now());
  }

  // ---- configuration ---------------------------------------------------------

  /** The configuration in force for a document: the .plumbline.yaml files from its root down to its folder. */
  configFor(uri: string): EffectiveConfig {
    const dir = path.dirname(toPath(uri));
    const config = resolveConfig(this.configLoader, dir, this.rootPaths, this.configFile, this.userSettings);
    // Same config files with the same texts (and settings): the same object (its selection and params are cached on it).
    const key = [`settings#${this.userSettingsVersion}`, ...config.files.map((f) => `${f}#${objectId(this.configLoader.load(f)!)}`)].join('|');
    const cached = this.configCache.get(dir);
    if (cached?.key === key) return cached.config;
    this.configCache.set(dir, { key, config });
    return config;
  }

  /**
   * Settings from the editor (rule severities, report_unknown), in the shape
   * of a config file: the base every .plumbline.yaml applies over.
   */
  setUserSettings(settings: ConfigData | undefined): void {
    this.userSettings = settings;
    this.userSettingsVersion++;
  }

  /** How many rules run on a document (its kinds' rules the configuration enables), for "compliant (N rules)". */
  rulesRunOn(uri: string): number {
    const kind = this.kindOf(uri);
    const domains =
      kind === 'terraform'
        ? new Set<string>(['terraform'])
        : new Set<string>((this.yamlFile(uri, kind)?.documents ?? []).map((d) => d.kind));
    return this.selectionFor(this.configFor(uri)).rules.filter((r) => domains.has(r.domain)).length;
  }

  /** Problems of the `configFile` option's file (the CLI prints them). */
  baseConfigProblems(): Finding[] {
    return this.configFile ? this.configFindings(toUri(this.configFile)) : [];
  }

  /** Problems of a config or policy file, as findings at the offending key. */
  private configFindings(uri: string): Finding[] {
    const file = toPath(uri);
    const own = isPolicyFile(file) ? [] : (this.configLoader.load(file)?.problems ?? []);
    const policies = this.policies.problemsIn(file, this.configFor(uri), this.rootPaths);
    return [...own, ...policies].map((p) => ({ ruleId: CONFIG_ERROR_ID, severity: p.severity, message: p.message, uri, range: p.range }));
  }

  /** The custom policies that apply to a document (see PolicyCatalog). */
  private policiesFor(uri: string, config: EffectiveConfig): Policy[] {
    return this.policies.inForce(config, path.dirname(toPath(uri)), this.rootPaths);
  }

  /** The rules a config enables and their params (the service's own params first, the config's over them). */
  private selectionFor(config: EffectiveConfig): RuleSelection {
    let selection = this.selections.get(config);
    if (!selection) {
      const rules = this.rules.filter((r) => config.enabled(r.id));
      const params = Object.fromEntries(
        rules.flatMap((r) => {
          const base = this.params?.[r.id];
          const own = config.overridesFor(r);
          return base || own ? [[r.id, own ? mergeParams(base ?? {}, own) : base!]] : [];
        }),
      );
      selection = { rules, params };
      this.selections.set(config, selection);
    }
    return selection;
  }

  private suppressed(file: SuppressibleFile | undefined, findings: Finding[], config?: EffectiveConfig, policies: readonly Policy[] = []): { findings: Finding[]; directives: Directive[] } {
    if (!file) return { findings, directives: [] };
    // Every rule the registry knows may be named, even one this service was not given, and every policy in force here.
    const known = [...builtinRules, ...this.rules, ...policies];
    const options = suppressionOptions({ ...this.suppression, ...(config?.suppression ?? {}) }, this.now());
    return suppressInFile(file, [...findings, ...placeholderFindings(file)], options, known);
  }

  /** Open documents whose findings can change when `uri` changes (same Terraform module). */
  dependents(uri: string): string[] {
    if (path.basename(toPath(uri)) === CONFIG_FILE || isPolicyFile(toPath(uri))) {
      // Every open document under the folder the file governs (a policy file's .plumbline/ sits in it).
      const dir = isPolicyFile(toPath(uri)) ? governedFolder(toPath(uri)) : path.dirname(toPath(uri));
      return this.openDocuments().filter((u) => u !== uri && toPath(u).startsWith(dir + path.sep));
    }
    const kind = this.kindOf(uri);
    if (kind !== 'terraform' && kind !== 'terraform-vars') return [];
    const dir = path.dirname(toPath(uri));
    const callers = new Set([...this.moduleCache].filter(([, e]) => e.deps.has(dir)).map(([d]) => d));
    return this.openDocuments().filter((u) => {
      if (u === uri || this.kindOf(u) !== 'terraform') return false;
      const d = path.dirname(toPath(u));
      return d === dir || callers.has(d);
    });
  }

  /**
   * The module (directory) a Terraform file belongs to, open buffers first,
   * with its tfvars and the local child modules it calls. The module is
   * cached and rebuilt only when one of its files (or a child module's) changed.
   */
  moduleOf(uri: string): TerraformModule {
    return this.moduleAt(path.dirname(toPath(uri)), uri);
  }

  /** The module of a directory (file system path); `extra` is a file of it that may not be listed yet. */
  moduleAt(dir: string, extra?: string): TerraformModule {
    const inputs = this.moduleInputs(dir, extra);
    const cached = this.moduleCache.get(dir);
    if (cached && cached.signature === inputs.signature && [...cached.deps].every(([d, sig]) => this.moduleInputs(d).signature === sig))
      return cached.module;
    const deps = new Map<string, string>();
    // Child modules load lazily (the rules ask); each records the signature it was built from.
    const load = (childDir: string) => {
      const child = this.moduleInputs(toPath(childDir));
      deps.set(toPath(childDir), child.signature);
      return child.files.length ? child.files : undefined;
    };
    // Same declarations outside resources as the last version (and the same child modules): the same
    // environment object, so per-resource results computed for unchanged blocks carry over.
    const envSignature = [inputs.environment, ...[...(cached?.deps.keys() ?? [])].map((d) => `${d}#${this.moduleInputs(d).signature}`)].join('|');
    const environment = { signature: envSignature, token: cached?.environment.signature === envSignature ? cached.environment.token : {} };
    const module = new TerraformModule(toUri(dir), inputs.files, { varFiles: inputs.varFiles, load, installed: inputs.installed, environment: this.variant ? {} : environment.token });
    if (!this.variant) this.moduleCache.set(dir, { signature: inputs.signature, module, deps, environment });
    return module;
  }

  /** The `.tf` files and (for a root module) tfvars of a directory, and a signature that changes with any of them. */
  private moduleInputs(dir: string, extra?: string): { files: HclFile[]; varFiles: VarFile[]; installed: InstalledState; signature: string; environment: string } {
    const tf = new Set<string>();
    const vars = new Map<string, string>(); // file name → uri
    const add = (u: string) => {
      const name = path.basename(toPath(u));
      if (name.endsWith('.tf')) tf.add(u);
      else if (isVarFileName(name) && !vars.has(name)) vars.set(name, u);
    };
    for (const u of this.openDocuments()) if (path.dirname(toPath(u)) === dir) add(u);
    for (const name of this.listDir(dir)) if (!this.isOpen(toUri(path.join(dir, name)))) add(toUri(path.join(dir, name)));
    if (extra) tf.add(extra);
    const files = [...tf].sort().flatMap((u) => {
      const f = this.hclFile(u);
      return f ? [f] : [];
    });
    const varFiles: VarFile[] = [...vars.keys()].sort(varFileOrder).flatMap((name): VarFile[] => {
      const u = vars.get(name)!;
      if (name.endsWith('.json')) {
        const json = this.text(u);
        return json === undefined ? [] : [{ uri: u, json }];
      }
      const hcl = this.hclFile(u);
      return hcl ? [{ uri: u, hcl }] : [];
    });
    // What `terraform init` recorded beside the module: the provider lock file and the installed modules.
    const lockUri = toUri(path.join(dir, LOCK_FILE));
    const lockFile = this.listDir(dir).includes(LOCK_FILE) || this.isOpen(lockUri) ? this.hclFile(lockUri) : undefined;
    const modulesJsonPath = path.join(dir, '.terraform', 'modules', 'modules.json');
    const modulesJson = this.listDir(path.dirname(modulesJsonPath)).includes('modules.json') ? this.text(toUri(modulesJsonPath)) : undefined;
    const installed: InstalledState = { ...(lockFile ? { lockFile } : {}), ...(modulesJson !== undefined ? { modulesJson } : {}) };
    const outside = [
      ...varFiles.map((v) => `${v.uri}#${v.hcl ? objectId(v.hcl) : v.json}`),
      `lock#${lockFile ? objectId(lockFile) : ''}`,
      `modules#${modulesJson ?? ''}`,
    ];
    const signature = [...files.map((f) => `${f.uri}#${objectId(f)}`), ...outside].join('|');
    // Resources by address only (which exist matters, not what they say); every other block by identity.
    const blocks = (f: HclFile) => f.body.blocks.map((b) => (b.type === 'resource' ? `${b.labels[0]?.value}.${b.labels[1]?.value}` : `#${objectId(b)}`)).join(',');
    const environment = [...files.map((f) => `${f.uri}:${f.body.attributes.length}:${blocks(f)}`), ...outside].join('|');
    return { files, varFiles, installed, signature, environment };
  }

  hclFile(uri: string): HclFile | undefined {
    if (this.variant?.uri === uri) return (this.variant.hcl ??= this.hcl.parse(uri, this.variant.text, false));
    const text = this.text(uri);
    if (text === undefined) return undefined;
    const cached = this.hclCache.get(uri);
    if (cached && cached.text === text) return cached.file;
    const file = this.hcl.parse(uri, text, this.isOpen(uri));
    this.hclCache.set(uri, { text, file });
    return file;
  }

  yamlFile(uri: string, kind: FileKind = this.kindOf(uri)): YamlFile | undefined {
    if (this.variant?.uri === uri)
      return (this.variant.yaml ??= parseYamlReusing(uri, this.variant.text, { kindOf: (root) => documentKind(kind, root) }));
    const text = this.text(uri);
    if (text === undefined) return undefined;
    const cached = this.yamlCache.get(uri);
    if (cached && cached.text === text && cached.kind === kind) return cached.file;
    const previous = cached?.kind === kind ? cached.file : undefined;
    const file = parseYamlReusing(uri, text, { kindOf: (root) => documentKind(kind, root) }, previous);
    this.yamlCache.set(uri, { text, kind, file });
    return file;
  }

  private listDir(dir: string): string[] {
    let names = this.dirCache.get(dir);
    if (!names) {
      names = this.fs.readDir(dir) ?? [];
      this.dirCache.set(dir, names);
    }
    return names;
  }

  /** Paths pulled in by `include: local` from the `.gitlab-ci.yml` of each root. */
  private includes(): Set<string> {
    if (this.gitlabIncludes) return this.gitlabIncludes;
    const out = new Set<string>();
    this.gitlabIncludes = out; // set first: parsing below asks for the kind again
    for (const root of this.rootPaths) {
      for (const name of ['.gitlab-ci.yml', '.gitlab-ci.yaml']) {
        const uri = toUri(path.join(root, name));
        if (this.text(uri) === undefined) continue;
        const file = this.yamlFile(uri, 'gitlab-ci');
        for (const doc of file?.documents ?? []) {
          const include = get(doc.root, 'include');
          const entries = include?.kind === 'seq' ? items(include) : include ? [include] : [];
          for (const e of entries) {
            const local = e.kind === 'scalar' ? str(e) : str(get(e, 'local'));
            if (local && !/^[a-z]+:\/\//i.test(local) && !local.includes('*')) out.add(path.join(root, local.replace(/^\//, '')).replace(/\\/g, '/'));
          }
        }
      }
    }
    return out;
  }
}

/** Document order; parse errors first on a tie, then by rule id. */
function byPosition(a: Finding, b: Finding): number {
  return (
    comparePos(a.range.start, b.range.start) ||
    comparePos(a.range.end, b.range.end) ||
    Number(b.ruleId === PARSE_ERROR_ID) - Number(a.ruleId === PARSE_ERROR_ID) ||
    // Code unit order, not localeCompare: the same everywhere, and no ICU set-up inside the first analysis.
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0)
  );
}


function parseErrors(uri: string, errors: readonly { message: string; range: Finding['range'] }[]): Finding[] {
  return errors.map((e) => ({ ruleId: PARSE_ERROR_ID, severity: 'high', message: e.message, uri, range: e.range }));
}

/** `terraform.tfvars`, `terraform.tfvars.json`, `*.auto.tfvars`, `*.auto.tfvars.json`: what Terraform loads by itself. */
function isVarFileName(name: string): boolean {
  return /^terraform\.tfvars(\.json)?$/.test(name) || /\.auto\.tfvars(\.json)?$/.test(name);
}

/** Terraform's precedence: terraform.tfvars, terraform.tfvars.json, then *.auto.tfvars(.json) in lexical order; later wins. */
function varFileOrder(a: string, b: string): number {
  const rank = (n: string) => (n === 'terraform.tfvars' ? 0 : n === 'terraform.tfvars.json' ? 1 : 2);
  return rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

const objectIds = new WeakMap<object, number>();
let nextObjectId = 0;

/** A stable identity for a parsed file (the parse cache returns the same object while the text is unchanged). */
function objectId(o: object): number {
  let id = objectIds.get(o);
  if (id === undefined) objectIds.set(o, (id = nextObjectId++));
  return id;
}

/** URI → path and back, remembered: every analysis converts the same few URIs many times, and neither conversion is cheap. */
const paths = new Map<string, string>();
const uris = new Map<string, string>();

export function toPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  let p = paths.get(uri);
  if (p === undefined) {
    if (paths.size >= 50_000) paths.clear();
    paths.set(uri, (p = fileURLToPath(uri)));
  }
  return p;
}

export function toUri(p: string): string {
  let uri = uris.get(p);
  if (uri === undefined) {
    if (uris.size >= 50_000) uris.clear();
    uris.set(p, (uri = pathToFileURL(p).toString()));
  }
  return uri;
}

export const CONFIG_ERROR_ID = 'plumbline-config';

/** Findings as the config wants them: its severity overrides, and none where a rule's exclude_paths say so. */
function configured(config: EffectiveConfig, findings: readonly Finding[]): Finding[] {
  return findings.flatMap((f) => {
    if (!config.reportsIn(f.ruleId, toPath(f.uri))) return [];
    const severity = config.severityOf(f.ruleId);
    return [severity && f.severity !== 'info' ? { ...f, severity } : f];
  });
}

const LOCK_FILE = '.terraform.lock.hcl';
