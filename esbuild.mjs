// Bundles the extension client, the language server and the CLI into dist/.
// The tree-sitter runtime and the Terraform grammar are .wasm files loaded at
// run time, so they are copied next to the bundles (see parsers/hcl/wasm.ts).
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('web-tree-sitter/web-tree-sitter.wasm'), 'dist/web-tree-sitter.wasm');
copyFileSync(
  require.resolve('@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
  'dist/tree-sitter-terraform.wasm',
);

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  logLevel: 'info',
  // web-tree-sitter's ESM build reads import.meta.url, which a CJS bundle lacks.
  alias: { 'web-tree-sitter': require.resolve('web-tree-sitter') },
};

await Promise.all([
  build({ ...common, entryPoints: { extension: 'client/src/extension.ts' }, outdir: 'dist', external: ['vscode'] }),
  // dist/server.js is a small loader that runs dist/server-main.js through a V8 code cache
  // (server/src/bootstrap/). Node 20 loses the callback of a dynamic import() in code taken
  // from such a cache, so the server's import() calls become require() (both are CommonJS here).
  build({ ...common, entryPoints: { server: 'server/src/bootstrap/serverEntry.ts' }, outdir: 'dist' }),
  build({ ...common, entryPoints: { 'server-main': 'server/src/server.ts' }, outdir: 'dist', supported: { 'dynamic-import': false } }),
  build({
    ...common,
    entryPoints: { cli: 'server/src/cli/main.ts' },
    outdir: 'dist',
    banner: { js: '#!/usr/bin/env node' },
  }),
  // The worker threads of `plumbline check` (server/src/cli/parallel.ts loads it from beside cli.js).
  build({ ...common, entryPoints: { 'cli-worker': 'server/src/cli/worker.ts' }, outdir: 'dist' }),
]);
if (watch) console.log('watch mode is not supported; re-run npm run build');
