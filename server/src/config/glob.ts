import * as path from 'node:path';

/**
 * Glob matching for `exclude` / `exclude_paths`: `**` any number of path
 * segments, `*` any characters within a segment, `?` one character, `{a,b}`
 * alternatives. A pattern is relative to the config file that wrote it; a
 * pattern without a slash matches a file or folder name at any depth.
 */
export function globMatcher(base: string, pattern: string): (file: string) => boolean {
  const anyDepth = !pattern.includes('/');
  const re = new RegExp(`^${anyDepth ? '(?:.*/)?' : ''}${toRegExp(pattern.replace(/^\.\//, '').replace(/\/$/, ''))}(?:/.*)?$`);
  return (file) => {
    const rel = path.relative(base, file).split(path.sep).join('/');
    return !rel.startsWith('..') && re.test(rel);
  };
}

function toRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*' && glob[i + 1] === '*') {
      // `**/` matches zero or more whole segments; a trailing `**` anything.
      if (glob[i + 2] === '/') {
        out += '(?:.*/)?';
        i += 2;
      } else {
        out += '.*';
        i += 1;
      }
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const end = glob.indexOf('}', i);
      if (end === -1) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, end).split(',').map(toRegExp).join('|')})`;
        i = end;
      }
    } else out += c.replace(/[.+^$()|[\]\\]/g, '\\$&');
  }
  return out;
}
