// npm run start:cli — for machines without a browser: build, package the VSIX,
// and run the Plumbline CLI over the bundled example workspace. Findings are
// expected there: exit code 1 from the CLI means "findings reported", which is
// what this demo shows. (`npm start` opens the same examples in a real VS Code.)
import { spawnSync } from 'node:child_process';

const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', shell: process.platform === 'win32' });

let r = run('npm', ['run', '--silent', 'package']);
if (r.status !== 0) process.exit(r.status ?? 1);
console.log('\nPackaged plumbline.vsix. Install it with: code --install-extension plumbline.vsix\n');
console.log('plumbline check examples/\n');
r = run(process.execPath, ['dist/cli.js', 'check', 'examples/']);
if (r.status === 1) console.log('\n(exit code 1: findings at or above --fail-on high, as expected in the examples)');
process.exit(r.status === 0 || r.status === 1 ? 0 : (r.status ?? 1));
