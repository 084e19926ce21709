import { readFile as fsReadFile } from 'node:fs/promises';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { findAttribute, findBlocks } from '../model/hcl';
import { HclParser } from '../parsers/hcl/parser';
import { hcpSecretKey } from './types';

/**
 * Finds the HCP Terraform / Terraform Enterprise token for a hostname the
 * way the Terraform CLI does, then falls back to the one Plumbline stored:
 *
 * 1. `TF_TOKEN_<host>`: dots written `_`, hyphens as `-` or `__`
 *    (`TF_TOKEN_app_terraform_io`). A host with a port (`tfe.local:8443`)
 *    cannot be written as a variable name, so it has no variable.
 * 2. The CLI config file (`TF_CLI_CONFIG_FILE`, else `~/.terraformrc`, or
 *    `%APPDATA%\terraform.rc` on Windows): `credentials "host" { token = "…" }`.
 * 3. `credentials.tfrc.json` in `~/.terraform.d` (`%APPDATA%\terraform.d` on
 *    Windows), which `terraform login` writes.
 * 4. The token the "Sign in to HCP Terraform" command stored in the editor.
 *
 * Credential helpers (`credentials_helper`) are not run: they are programs.
 */

export interface HcpToken {
  readonly token: string;
  /** Where the token came from, safe to show: `TF_TOKEN_app_terraform_io`, `~/.terraformrc`, `credentials.tfrc.json`, `Plumbline sign-in`. */
  readonly from: string;
}

export const FROM_SIGN_IN = 'Plumbline sign-in';
export const FROM_CREDENTIALS_JSON = 'credentials.tfrc.json';
export const FROM_TERRAFORMRC = '~/.terraformrc';
export const FROM_CLI_CONFIG_ENV = 'TF_CLI_CONFIG_FILE';

export interface TokenLookupOptions {
  /** Reads a file as text; undefined when it does not exist. Defaults to the disk. */
  readonly readFile?: (file: string) => Promise<string | undefined>;
  /** Parses the CLI config file (HCL); one is created when absent. */
  readonly hcl?: HclParser;
  /** `win32` looks under %APPDATA%; defaults to the running platform. */
  readonly platform?: NodeJS.Platform;
  /** Why a credentials file was skipped (never its content). */
  readonly log?: (message: string) => void;
}

type Env = Readonly<Record<string, string | undefined>>;

export async function hcpToken(
  host: string,
  env: Env,
  secret: (key: string) => Promise<string | undefined>,
  options: TokenLookupOptions = {},
): Promise<HcpToken | undefined> {
  const wanted = host.toLowerCase();
  const fromEnv = tokenFromEnv(wanted, env);
  if (fromEnv) return fromEnv;

  const read = options.readFile ?? readIfExists;
  const windows = (options.platform ?? process.platform) === 'win32';
  const home = env.HOME ?? env.USERPROFILE;
  const appData = env.APPDATA;

  const cliConfig = env.TF_CLI_CONFIG_FILE
    ? { file: env.TF_CLI_CONFIG_FILE, from: FROM_CLI_CONFIG_ENV }
    : windows
      ? appData && { file: path.join(appData, 'terraform.rc'), from: '%APPDATA%\\terraform.rc' }
      : home && { file: path.join(home, '.terraformrc'), from: FROM_TERRAFORMRC };
  if (cliConfig) {
    const text = await read(cliConfig.file);
    if (text !== undefined) {
      const token = cliConfig.file.endsWith('.json') ? tokenFromJson(text, wanted) : await tokenFromHcl(text, cliConfig.file, wanted, options.hcl);
      if (token === null) options.log?.(`Skipped ${cliConfig.from}: it could not be read as a Terraform CLI configuration.`);
      else if (token) return { token, from: cliConfig.from };
    }
  }

  const dir = windows ? appData && path.join(appData, 'terraform.d') : home && path.join(home, '.terraform.d');
  if (dir) {
    const text = await read(path.join(dir, 'credentials.tfrc.json'));
    if (text !== undefined) {
      const token = tokenFromJson(text, wanted);
      if (token === null) options.log?.(`Skipped ${FROM_CREDENTIALS_JSON}: it is not valid JSON.`);
      else if (token) return { token, from: FROM_CREDENTIALS_JSON };
    }
  }

  const stored = await secret(hcpSecretKey(wanted));
  return stored ? { token: stored, from: FROM_SIGN_IN } : undefined;
}

/** The variable name the CLI reads for `host`, or undefined when the host cannot be one (it has a port). */
export function tokenVariableName(host: string): string | undefined {
  if (!/^[a-z0-9.-]+$/i.test(host)) return undefined;
  return `TF_TOKEN_${host.replace(/\./g, '_').replace(/-/g, '__')}`;
}

function tokenFromEnv(host: string, env: Env): HcpToken | undefined {
  for (const [name, value] of Object.entries(env)) {
    if (!value || !/^TF_TOKEN_/i.test(name)) continue;
    // `__` is a hyphen, a single `_` a dot; a literal hyphen is accepted too.
    const decoded = name.slice('TF_TOKEN_'.length).replace(/__/g, '-').replace(/_/g, '.').toLowerCase();
    if (decoded === host) return { token: value.trim(), from: name };
  }
  return undefined;
}

/** The token for `host`; '' when the file has none; null when the file is not JSON. */
function tokenFromJson(text: string, host: string): string | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const creds = (parsed as { credentials?: unknown } | null)?.credentials;
  if (typeof creds !== 'object' || creds === null) return '';
  for (const [name, entry] of Object.entries(creds as Record<string, unknown>)) {
    if (name.toLowerCase() !== host) continue;
    const token = (entry as { token?: unknown } | null)?.token;
    if (typeof token === 'string' && token.trim()) return token.trim();
  }
  return '';
}

async function tokenFromHcl(text: string, file: string, host: string, parser?: HclParser): Promise<string | null> {
  const hcl = parser ?? (await HclParser.create());
  const parsed = hcl.parse(pathToFileURL(file).href, text, false);
  if (parsed.errors.length > 0 && parsed.body.blocks.length === 0) return null;
  for (const block of findBlocks(parsed.body, 'credentials')) {
    if (block.labels[0]?.value.toLowerCase() !== host) continue;
    const expr = findAttribute(block.body, 'token')?.expr;
    if (expr?.type === 'literal' && typeof expr.value === 'string' && expr.value.trim()) return expr.value.trim();
  }
  return '';
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fsReadFile(file, 'utf8');
  } catch {
    return undefined;
  }
}
