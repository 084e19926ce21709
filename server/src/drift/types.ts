import type { Range } from '../model/location';

/**
 * The drift core's vocabulary (no `vscode` import: the server, the CLI and
 * the tests share it, and the client imports the wire types from protocol.ts).
 *
 * A source yields stacks (a Terraform root module, an HCP workspace); a stack
 * lists resources, each with a status and the attribute paths that changed.
 */

/** Drift sources: three for Terraform, two for Kubernetes manifests. */
export const DRIFT_SOURCE_KINDS = ['state', 'terraform', 'hcp', 'kubernetes', 'argocd'] as const;
export type DriftSourceKind = (typeof DRIFT_SOURCE_KINDS)[number];

/**
 * - `in-sync`: live matches what the code declares;
 * - `drifted`: at least one attribute differs;
 * - `missing`: declared in code, absent live (or deleted outside Terraform);
 * - `unmanaged`: live (in state) but no longer declared in code;
 * - `unknown`: could not be compared (the declaration depends on values Plumbline cannot see);
 * - `error`: the source failed for this resource.
 */
export type ResourceDriftStatus = 'in-sync' | 'drifted' | 'missing' | 'unmanaged' | 'unknown' | 'error';
export type StackDriftStatus = 'in-sync' | 'drifted' | 'unknown' | 'error';

/** JSON values as sources report them. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** The text shown in place of a value Terraform marks sensitive. */
export const SENSITIVE_MASK = '(sensitive)';

export interface AttributeChange {
  /** Attribute path in Terraform's notation: `versioning_configuration[0].status`, `tags.owner`. */
  readonly path: string;
  /**
   * The expected side: what the code declares (state source), or the state
   * Terraform last recorded, which is what it applied from code (CLI and HCP
   * sources: the `before` of `resource_drift`). Absent: the attribute is not set.
   */
  readonly declared?: JsonValue;
  /** The live side (the refreshed value). Absent: the attribute no longer exists live. */
  readonly live?: JsonValue;
  /** True when either side was sensitive; both values are then SENSITIVE_MASK. */
  readonly sensitive?: boolean;
  /**
   * Who last changed the live value, when the source knows (Kubernetes
   * `managedFields`: `kubectl-edit (Update, 2026-11-20T09:12:00Z)`).
   */
  readonly changedBy?: string;
}

/** A Kubernetes object as a manifest declares it (the key of the Kubernetes and Argo CD sources). */
export interface KubeObjectRef {
  readonly apiVersion: string;
  readonly kind: string;
  /** Absent for cluster-scoped objects (and for namespaced ones whose manifest leaves it to the context). */
  readonly namespace?: string;
  readonly name: string;
}

/** `apps/v1 Deployment ml/fraud-scoring`: the address of a Kubernetes object in a stack. */
export function kubeAddress(o: KubeObjectRef): string {
  return `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;
}

/** Where the code declares a resource (filled by drift/mapping.ts). */
export interface Declaration {
  readonly uri: string;
  /** The block header (`resource "TYPE" "NAME"`). */
  readonly range: Range;
  /** Per changed attribute path (as in AttributeChange.path), the attribute or nested block that writes it, when the code does. */
  readonly attributes?: Readonly<Record<string, Range>>;
}

export interface ResourceDrift {
  /** Terraform: `module.a.aws_s3_bucket.x["k"]`; Kubernetes: `Deployment/ml/fraud-scoring` (kubeAddress). */
  readonly address: string;
  /** `managed` (resource) or `data`; Kubernetes objects are `managed`. */
  readonly mode: 'managed' | 'data';
  /** Terraform resource type, or Kubernetes kind. */
  readonly type: string;
  readonly name: string;
  /** Set for Kubernetes objects: what maps the resource to its YAML document. */
  readonly object?: KubeObjectRef;
  /** `module.a.module.b`, or '' for the root module. */
  readonly module: string;
  /** The `count` index or `for_each` key, when the resource has instances. */
  readonly key?: string | number;
  readonly status: ResourceDriftStatus;
  /** Changed attributes; empty when the source gives none (e.g. the streamed CLI output). */
  readonly changes: readonly AttributeChange[];
  /** For `unknown` and `error`, and for sources that report drift without attributes: what happened. */
  readonly message?: string;
  /** The declaring block, when it is found in the workspace. */
  readonly declaration?: Declaration;
}

/** Why a source or a stack could not report; the hint says what to change. */
export type DriftErrorCode =
  | 'auth'
  | 'not-found'
  | 'conflict'
  | 'rate-limited'
  | 'timeout'
  | 'malformed'
  | 'server'
  | 'network'
  | 'untrusted'
  | 'not-configured'
  | 'failed'
  | 'cancelled';

export interface DriftProblem {
  readonly code: DriftErrorCode;
  /** One sentence: what went wrong. Never contains a token. */
  readonly message: string;
  /** What to do about it: which setting, command or file to check. */
  readonly hint?: string;
}

/** Thrown by sources and turned into an error stack by the service. */
export class DriftError extends Error implements DriftProblem {
  constructor(
    readonly code: DriftErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DriftError';
  }
}

export interface DriftStack {
  /** Stable id across refreshes: `<source>:<root path or workspace id>`. */
  readonly id: string;
  readonly source: DriftSourceKind;
  /** What the panel shows: the root module's folder relative to the workspace, or `org/workspace`. */
  readonly name: string;
  /** Root module directory (file system path) the stack belongs to. */
  readonly root: string;
  readonly status: StackDriftStatus;
  /**
   * When the live side was observed (ISO 8601): the state file's write time,
   * the assessment's `created-at`, the end of the plan. Absent when unknown.
   */
  readonly checkedAt?: string;
  /** Where the result came from, in words the panel shows: "last recorded state (terraform.tfstate)". */
  readonly origin: string;
  /** A page with more detail (the HCP workspace's drift view). */
  readonly link?: string;
  /** Resources, drifted first; in-sync ones are included so the panel can count them. */
  readonly resources: readonly ResourceDrift[];
  /** Counts the source reported itself (HCP `resources-drifted` / `resources-undrifted`). */
  readonly summary?: { readonly drifted: number; readonly undrifted?: number };
  /** Set when status is `error` (the whole stack failed) or as a warning beside results. */
  readonly problem?: DriftProblem;
}

/** What a source needs from its host (server or CLI); everything it may touch is passed in. */
export interface DriftContext {
  /** Root module directory (file system path). */
  readonly root: string;
  /** Cancels the check (refresh pressed again, server shutting down, time limit). */
  readonly signal: AbortSignal;
  /** Environment variables (TF_TOKEN_*, TF_CLOUD_*, TF_WORKSPACE, HOME …). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Workspace trust: false means no program runs and no request goes to a host the workspace names. */
  readonly trusted: boolean;
  /** A secret stored by the editor (VS Code SecretStorage), by key; undefined outside an editor. */
  readonly secret: (key: string) => Promise<string | undefined>;
  /** Time limit for one check, in milliseconds. */
  readonly timeoutMs: number;
  readonly now: () => Date;
  /** Diagnostic log line (never a token or a secret value). */
  readonly log?: (message: string) => void;
}

export interface DriftSource {
  readonly kind: DriftSourceKind;
  /**
   * The directories of a workspace folder this source checks, one stack each
   * (or more: one per HCP workspace, per cluster). Terraform sources leave it
   * out: the service offers every folder with `.tf` files. The Kubernetes
   * sources check the workspace folder as a whole.
   */
  readonly scope?: 'module-dirs' | 'workspace';
  /** Whether this source has anything to say about a root module (e.g. it has a state file or a `cloud {}` block). */
  applies(root: string): boolean | Promise<boolean>;
  /**
   * The stacks of one root module (one for state and CLI; one per matched
   * workspace for HCP). Resources carry no `declaration`: the service maps
   * addresses to code afterwards. Throws DriftError for a failure of the whole check.
   */
  check(ctx: DriftContext): Promise<DriftStack[]>;
}

/** Key under which the client stores an HCP Terraform token for a hostname (SecretStorage). */
export function hcpSecretKey(hostname: string): string {
  return `hcp-terraform:${hostname.toLowerCase()}`;
}

/** Drifted first, then missing, unmanaged, error, unknown, in sync; by address within each. */
const RANK: Record<ResourceDriftStatus, number> = { drifted: 0, missing: 1, unmanaged: 2, error: 3, unknown: 4, 'in-sync': 5 };

export function sortResources<T extends { readonly status: ResourceDriftStatus; readonly address: string }>(resources: T[]): T[] {
  return resources.sort((a, b) => RANK[a.status] - RANK[b.status] || a.address.localeCompare(b.address));
}

/** Key under which the client stores the Argo CD server (host[:port]) chosen at sign-in. */
export const ARGOCD_SERVER_SECRET = 'argocd:server';

/** Key under which the client stores the Argo CD token of a server. */
export function argocdSecretKey(host: string): string {
  return `argocd-token:${host.toLowerCase()}`;
}
