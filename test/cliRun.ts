import { Writable } from 'node:stream';
import { main } from '../server/src/cli/main';

/**
 * Runs the CLI's `main` in this process, in `cwd`, with extra environment
 * variables for the call, and collects what it prints (the CLI tests share it).
 */
export async function runCli(cwd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk, _enc, done) {
        append(String(chunk));
        done();
      },
    });
  const before = process.cwd();
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  process.chdir(cwd);
  try {
    const code = await main(args, sink((s) => (out += s)), sink((s) => (err += s)));
    return { code, out, err };
  } finally {
    process.chdir(before);
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
