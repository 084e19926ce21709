// dist/server.js: loads the language server (dist/server-main.js) through the
// V8 code cache, so a start after the first skips compiling the 2 MB bundle.
// Imports nothing but Node built-ins and the loader: it must stay tiny.
import * as path from 'node:path';
import { codeCacheDirectory } from './cacheDirectory';
import { loadBundle } from './codeCache';

// stdout may be the LSP channel (--stdio): the loader's lines go to stderr.
loadBundle(path.join(__dirname, 'server-main.js'), {
  directory: codeCacheDirectory(process.env),
  log: (line) => process.stderr.write(`[plumbline] ${line}\n`),
});
