import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HclParser } from '../parsers/hcl/parser';
import { FROM_CLI_CONFIG_ENV, FROM_CREDENTIALS_JSON, FROM_SIGN_IN, FROM_TERRAFORMRC, hcpToken, tokenVariableName } from './credentials';
import { hcpSecretKey } from './types';

let hcl: HclParser;
let dir: string;
before(async () => {
  hcl = await HclParser.create();
  dir = await mkdtemp(path.join(tmpdir(), 'plumbline-creds-'));
});
after(() => rm(dir, { recursive: true, force: true }));

/** A fresh HOME with the given files (relative paths). */
async function home(files: Record<string, string>): Promise<string> {
  const h = await mkdtemp(path.join(dir, 'home-'));
  for (const [name, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(h, name)), { recursive: true });
    await writeFile(path.join(h, name), text);
  }
  return h;
}

const noSecret = async () => undefined;
const jsonCreds = (host: string, token: string) => JSON.stringify({ credentials: { [host]: { token } } });

describe('hcpToken', () => {
  it('takes TF_TOKEN_<host> first, dots written as underscores', async () => {
    const HOME = await home({ '.terraformrc': 'credentials "app.terraform.io" { token = "from-rc" }\n' });
    const got = await hcpToken('app.terraform.io', { HOME, TF_TOKEN_app_terraform_io: 'from-env' }, async () => 'from-secret', { hcl, platform: 'linux' });
    assert.deepEqual(got, { token: 'from-env', from: 'TF_TOKEN_app_terraform_io' });
  });

  it('reads hyphens written as double underscores or as themselves, and ignores case', async () => {
    const a = await hcpToken('tfe-prod.Example.com', { TF_TOKEN_tfe__prod_example_com: 't1' }, noSecret, { hcl });
    assert.deepEqual(a, { token: 't1', from: 'TF_TOKEN_tfe__prod_example_com' });
    const b = await hcpToken('tfe-prod.example.com', { 'TF_TOKEN_tfe-prod_example_com': 't2' }, noSecret, { hcl });
    assert.equal(b?.token, 't2');
  });

  it('ignores the variables of other hosts and empty ones', async () => {
    const HOME = await home({});
    const got = await hcpToken('app.terraform.io', { HOME, TF_TOKEN_tfe_example_com: 'x', TF_TOKEN_app_terraform_io: '' }, noSecret, { hcl, platform: 'linux' });
    assert.equal(got, undefined);
  });

  it('names the variable for a host, and none for a host with a port', () => {
    assert.equal(tokenVariableName('app.terraform.io'), 'TF_TOKEN_app_terraform_io');
    assert.equal(tokenVariableName('tfe-prod.example.com'), 'TF_TOKEN_tfe__prod_example_com');
    assert.equal(tokenVariableName('tfe.local:8443'), undefined);
  });

  it('reads a credentials block of ~/.terraformrc', async () => {
    const HOME = await home({
      '.terraformrc': 'plugin_cache_dir = "/tmp/x"\ncredentials "tfe.example.com" {\n  token = "other"\n}\ncredentials "APP.terraform.io" {\n  token = "from-rc"\n}\n',
      '.terraform.d/credentials.tfrc.json': jsonCreds('app.terraform.io', 'from-json'),
    });
    assert.deepEqual(await hcpToken('app.terraform.io', { HOME }, noSecret, { hcl, platform: 'linux' }), { token: 'from-rc', from: FROM_TERRAFORMRC });
  });

  it('reads TF_CLI_CONFIG_FILE instead of ~/.terraformrc, in HCL or JSON', async () => {
    const HOME = await home({
      '.terraformrc': 'credentials "app.terraform.io" { token = "from-rc" }\n',
      'custom.tfrc': 'credentials "app.terraform.io" { token = "from-custom" }\n',
      'custom.tfrc.json': jsonCreds('app.terraform.io', 'from-custom-json'),
    });
    const hclFile = await hcpToken('app.terraform.io', { HOME, TF_CLI_CONFIG_FILE: path.join(HOME, 'custom.tfrc') }, noSecret, { hcl, platform: 'linux' });
    assert.deepEqual(hclFile, { token: 'from-custom', from: FROM_CLI_CONFIG_ENV });
    const jsonFile = await hcpToken('app.terraform.io', { HOME, TF_CLI_CONFIG_FILE: path.join(HOME, 'custom.tfrc.json') }, noSecret, { hcl, platform: 'linux' });
    assert.equal(jsonFile?.token, 'from-custom-json');
  });

  it('falls through a CLI config without a literal token for the host', async () => {
    const HOME = await home({
      '.terraformrc': 'credentials "app.terraform.io" { token = var.t }\ncredentials_helper "vault" {}\n',
      '.terraform.d/credentials.tfrc.json': jsonCreds('app.terraform.io', 'from-json'),
    });
    assert.deepEqual(await hcpToken('app.terraform.io', { HOME }, noSecret, { hcl, platform: 'linux' }), { token: 'from-json', from: FROM_CREDENTIALS_JSON });
  });

  it('reads credentials.tfrc.json, also for a host with a port', async () => {
    const HOME = await home({ '.terraform.d/credentials.tfrc.json': JSON.stringify({ credentials: { 'app.terraform.io': { token: 'a' }, '127.0.0.1:8443': { token: 'b' } } }) });
    assert.deepEqual(await hcpToken('127.0.0.1:8443', { HOME }, noSecret, { hcl, platform: 'linux' }), { token: 'b', from: FROM_CREDENTIALS_JSON });
  });

  it('looks under %APPDATA% on Windows', async () => {
    const asked: string[] = [];
    const readFile = async (f: string) => {
      asked.push(f);
      return f.endsWith('credentials.tfrc.json') ? jsonCreds('app.terraform.io', 'win') : undefined;
    };
    const got = await hcpToken('app.terraform.io', { APPDATA: 'C:/Users/me/AppData/Roaming', USERPROFILE: 'C:/Users/me' }, noSecret, { hcl, platform: 'win32', readFile });
    assert.equal(got?.token, 'win');
    assert.deepEqual(asked, [path.join('C:/Users/me/AppData/Roaming', 'terraform.rc'), path.join('C:/Users/me/AppData/Roaming', 'terraform.d', 'credentials.tfrc.json')]);
  });

  it('skips an unreadable credentials.tfrc.json with a log line, then asks the editor', async () => {
    const HOME = await home({ '.terraform.d/credentials.tfrc.json': '{ not json' });
    const logs: string[] = [];
    const keys: string[] = [];
    const got = await hcpToken('App.Terraform.io', { HOME }, async (k) => (keys.push(k), 'stored'), { hcl, platform: 'linux', log: (m) => logs.push(m) });
    assert.deepEqual(got, { token: 'stored', from: FROM_SIGN_IN });
    assert.deepEqual(keys, [hcpSecretKey('app.terraform.io')]);
    assert.match(logs.join('\n'), /Skipped credentials\.tfrc\.json/);
  });

  it('finds nothing when nothing is set', async () => {
    const HOME = await home({});
    assert.equal(await hcpToken('app.terraform.io', { HOME }, noSecret, { hcl, platform: 'linux' }), undefined);
  });
});
