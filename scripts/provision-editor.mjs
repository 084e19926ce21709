// npm run editor:provision — installs a real VS Code for the integration tests:
// code-server (VS Code's server distribution, from the npm registry) into the
// git-ignored .vscode-test/code-server/, plus the Debian packages it needs to
// build (build-essential python3 libkrb5-dev ripgrep) and Chromium to drive it.
// See ../shared/docs/real-editor-tests.md for why each workaround is here.
//
// --no-chromium (npm start, where the user brings the browser) skips Chromium.
//
// Idempotent: .vscode-test/editor.json records what was installed; when it
// matches, the run only checks that the files are still there (well under a
// second). Delete .vscode-test/ (or pass --force) to provision from scratch.
//
// Other scripts read .vscode-test/editor.json for the paths (codeServerEntry,
// chromium); it is written last, only after a successful install.
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BASE = path.join(ROOT, '.vscode-test');
const INSTALL_DIR = path.join(BASE, 'code-server');
const MARKER = path.join(BASE, 'editor.json');
const LOCK = path.join(BASE, 'provision.lock');
const APT_LOG = path.join(BASE, 'apt.log');

/** code-server 4.99.4 (VS Code 1.99.3) requires Node 20 exactly; newer releases need Node 22/24. */
const CODE_SERVER_VERSION = '4.99.4';
/** @vscode/ripgrep as locked by code-server 4.99.4, and the ripgrep release it downloads. */
const VSCODE_RIPGREP_VERSION = '1.15.11';
const RIPGREP_RELEASE = 'v13.0.0-10';
const MARKER_FORMAT = 1;

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CODE_SERVER_ENTRY = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const NODE_MAJOR = process.versions.node.split('.')[0];

const force = process.argv.includes('--force');
const needChromium = !process.argv.includes('--no-chromium');
const started = Date.now();
const log = (msg) => console.log(`[editor:provision] ${msg}`);
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);

class ProvisionError extends Error {}
const fail = (msg) => {
  throw new ProvisionError(msg);
};

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.error) fail(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

function readMarker() {
  try {
    return JSON.parse(readFileSync(MARKER, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Whether the recorded code-server install matches this machine and is still on disk. */
function codeServerUpToDate(marker) {
  return (
    marker?.format === MARKER_FORMAT &&
    marker.codeServer === CODE_SERVER_VERSION &&
    marker.nodeMajor === NODE_MAJOR &&
    marker.arch === process.arch &&
    existsSync(CODE_SERVER_ENTRY)
  );
}

// ---------------------------------------------------------------------------
// Debian packages

const BUILD_PACKAGES = ['build-essential', 'python3', 'libkrb5-dev', 'ripgrep'];

/** Debian packages to install: Chromium unless present or not wanted, the build tools only when code-server is to be built. */
function missingDebianPackages(needBuild) {
  const wanted = [...(needBuild ? BUILD_PACKAGES : []), ...(needChromium && !existsSync(CHROMIUM) ? ['chromium'] : [])];
  const hasDpkg = spawnSync('dpkg-query', ['--version'], { stdio: 'ignore' }).status === 0;
  if (!hasDpkg) {
    // Not Debian: look for the tools themselves and let the user install them.
    const probes = { 'build-essential': 'cc', python3: 'python3', 'libkrb5-dev': 'krb5-config', ripgrep: 'rg', chromium: CHROMIUM };
    return {
      dpkg: false,
      missing: wanted.filter((p) => spawnSync('sh', ['-c', `command -v "${probes[p]}"`], { stdio: 'ignore' }).status !== 0),
    };
  }
  const missing = wanted.filter((p) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', p], { encoding: 'utf8' });
    return r.status !== 0 || !/\binstall ok installed\b/.test(r.stdout);
  });
  return { dpkg: true, missing };
}

function ensureDebianPackages(needBuild) {
  const { dpkg, missing } = missingDebianPackages(needBuild);
  if (missing.length === 0) return;
  const isRoot = process.getuid?.() === 0;
  if (!dpkg || !isRoot) {
    const how = dpkg
      ? `sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`
      : `install the equivalents of the Debian packages ${missing.join(' ')} with your package manager` +
        (missing.includes('chromium') ? ' (or set CHROMIUM_PATH to a Chromium/Chrome binary)' : '');
    fail(
      `missing system packages: ${missing.join(', ')}.\n` +
        `  They are needed to build code-server's native modules and to drive it headless.\n` +
        `  ${dpkg ? 'Not running as root, so not installing them. Run:' : 'This is not a Debian system:'}\n    ${how}\n` +
        `  then run npm run editor:provision again.`,
    );
  }
  const t0 = Date.now();
  log(`installing Debian packages: ${missing.join(' ')} (apt-get update, then install; output in ${path.relative(ROOT, APT_LOG)})`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  mkdirSync(BASE, { recursive: true });
  writeFileSync(APT_LOG, '');
  const quiet = (args) => {
    const r = spawnSync('apt-get', args, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    appendFileSync(APT_LOG, `$ apt-get ${args.join(' ')}\n${r.stdout ?? ''}${r.stderr ?? ''}\n`);
    if (r.error || r.status !== 0) {
      process.stderr.write(`${r.stdout ?? ''}${r.stderr ?? ''}`);
      fail(`apt-get ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}); full output in ${APT_LOG}`);
    }
  };
  quiet(['update', '-qq']);
  quiet(['install', '-y', '-qq', '--no-install-recommends', ...missing]);
  log(`Debian packages installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

// ---------------------------------------------------------------------------
// code-server

/**
 * @vscode/ripgrep's postinstall downloads ripgrep from GitHub and cannot be told
 * not to, but it first looks for the archive in os.tmpdir(): put Debian's rg there.
 */
function seedRipgrepCache(tmpDir) {
  const targets = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' };
  const target = targets[process.arch];
  if (process.platform !== 'linux' || !target) fail(`unsupported platform ${process.platform}/${process.arch} (Linux x64/arm64 only)`);
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) fail('ripgrep (rg) is not on PATH');
  const cacheDir = path.join(tmpDir, `vscode-ripgrep-cache-${VSCODE_RIPGREP_VERSION}`);
  mkdirSync(cacheDir, { recursive: true });
  const archive = path.join(cacheDir, `ripgrep-${RIPGREP_RELEASE}-${target}.tar.gz`);
  run('tar', ['-czf', archive, '-C', path.dirname(rg), path.basename(rg)]);
}

function installCodeServer() {
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  // Its own package.json: code-server is not a dependency of the extension.
  writeFileSync(
    path.join(INSTALL_DIR, 'package.json'),
    JSON.stringify(
      {
        name: 'plumbline-test-editor',
        private: true,
        description: 'code-server for the Plumbline integration tests; written by scripts/provision-editor.mjs',
      },
      null,
      2,
    ) + '\n',
  );
  const tmpDir = path.join(BASE, 'tmp');
  mkdirSync(tmpDir, { recursive: true });
  seedRipgrepCache(tmpDir);

  const nodeDir = [path.dirname(path.dirname(process.execPath)), '/usr'].find((d) => existsSync(path.join(d, 'include', 'node', 'node.h')));
  if (!nodeDir) fail(`no Node headers (include/node/node.h) next to ${process.execPath} or in /usr`);
  const env = {
    ...process.env,
    TMPDIR: tmpDir, // os.tmpdir() in every install script, so @vscode/ripgrep finds the seeded archive
    npm_config_nodedir: nodeDir, // build native modules against the local headers, no download
    npm_config_yes: 'true', // a postinstall runs `npx node-gyp`
    npm_config_unsafe_perm: 'true', // nested npm installs run as root too
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
  };
  const args = ['install', '--save-exact', '--no-audit', '--no-fund', `code-server@${CODE_SERVER_VERSION}`];
  if (process.getuid?.() === 0) args.push('--unsafe-perm');
  const t0 = Date.now();
  log(`npm ${args.join(' ')}  (in ${path.relative(ROOT, INSTALL_DIR)}/; about a minute: builds native modules)`);
  run('npm', args, { cwd: INSTALL_DIR, env });
  log(`code-server installed in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  rmSync(tmpDir, { recursive: true, force: true });

  if (!existsSync(CODE_SERVER_ENTRY)) fail(`npm finished but ${CODE_SERVER_ENTRY} is missing`);
  const rg = path.join(INSTALL_DIR, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
  if (!existsSync(rg)) fail(`code-server installed without ripgrep (${rg}); search and workspaceContains activation would not work`);
}

function codeServerVersion() {
  const tmp = mkdtempSync(path.join(BASE, 'version-'));
  const r = spawnSync(process.execPath, [CODE_SERVER_ENTRY, '--version'], {
    encoding: 'utf8',
    // code-server writes ~/.config/code-server/config.yaml on first use unless pointed elsewhere.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(tmp, 'config'), XDG_DATA_HOME: path.join(tmp, 'data') },
  });
  // Prints e.g. "4.99.4 47d6d3ada5… with Code 1.99.3" (after a log line on first use).
  const line = r.stdout.split('\n').find((l) => l.startsWith(`${CODE_SERVER_VERSION} `));
  if (r.status !== 0 || !line) fail(`code-server --version failed or printed no version:\n${r.stdout}${r.stderr}`);
  rmSync(tmp, { recursive: true, force: true });
  return { codeServer: CODE_SERVER_VERSION, vscode: /with Code (\S+)/.exec(line)?.[1] ?? 'unknown' };
}

// ---------------------------------------------------------------------------

function acquireLock() {
  mkdirSync(BASE, { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(LOCK, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      const holder = Number(readFileSync(LOCK, 'utf8'));
      let alive = false;
      try {
        process.kill(holder, 0);
        alive = holder > 0;
      } catch {}
      if (alive) fail(`another provisioning run (pid ${holder}) is in progress; wait for it or remove ${LOCK}`);
      rmSync(LOCK, { force: true }); // stale
    }
  }
  fail(`could not take ${LOCK}`);
}

function main() {
  if (process.platform !== 'linux') fail('the test editor is provisioned on Linux only (code-server + Debian Chromium)');
  if (NODE_MAJOR !== '20') fail(`code-server ${CODE_SERVER_VERSION} needs Node 20; this is Node ${process.versions.node}`);

  const marker = readMarker();
  const codeServerOk = !force && codeServerUpToDate(marker);
  const chromiumOk = marker?.chromium === CHROMIUM && existsSync(CHROMIUM);
  if (codeServerOk && (chromiumOk || !needChromium)) {
    const browser = chromiumOk ? `, chromium ${CHROMIUM}` : '';
    log(`up to date: code-server ${marker.codeServer} (VS Code ${marker.vscode}) in ${path.relative(ROOT, INSTALL_DIR)}/${browser} (${seconds()} s)`);
    return;
  }

  acquireLock();
  try {
    ensureDebianPackages(!codeServerOk);
    let vscode = marker?.vscode;
    if (!codeServerOk) {
      rmSync(MARKER, { force: true });
      installCodeServer();
      vscode = codeServerVersion().vscode;
    }
    if (needChromium && !existsSync(CHROMIUM)) fail(`no Chromium at ${CHROMIUM}`);
    const record = {
      format: MARKER_FORMAT,
      codeServer: CODE_SERVER_VERSION,
      vscode,
      nodeMajor: NODE_MAJOR,
      arch: process.arch,
      codeServerEntry: CODE_SERVER_ENTRY,
      chromium: existsSync(CHROMIUM) ? CHROMIUM : undefined,
      provisionedAt: new Date().toISOString(),
      seconds: Number(seconds()),
    };
    writeFileSync(MARKER, JSON.stringify(record, null, 2) + '\n');
    log(`provisioned code-server ${CODE_SERVER_VERSION} (VS Code ${vscode})${record.chromium ? ` and ${CHROMIUM}` : ''} in ${seconds()} s`);
  } finally {
    rmSync(LOCK, { force: true });
  }
}

try {
  main();
} catch (e) {
  if (e instanceof ProvisionError) {
    console.error(`[editor:provision] error: ${e.message}`);
    process.exit(1);
  }
  throw e;
}
