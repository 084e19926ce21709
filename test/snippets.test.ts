import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { atLeast } from '../server/src/engine/severity';
import { memoryFileSystem } from '../server/src/service/fileSystem';
import { LanguageService, toUri } from '../server/src/service/languageService';

const DIR = path.join(__dirname, '..', 'snippets');

/** Where each snippet file's templates are expanded: the file kind decides which rules run. */
const TARGET: Record<string, string> = {
  'terraform.code-snippets.json': 'main.tf',
  'kubernetes.code-snippets.json': 'manifest.yaml',
  'github-actions.code-snippets.json': '.github/workflows/ci.yml',
  'gitlab-ci.code-snippets.json': '.gitlab-ci.yml',
};

/**
 * A snippet body as VS Code inserts it when every tab stop keeps its default:
 * `${1:x}` → x (nested too), `${1|a,b|}` → a, `$1` / `${1}` / `$0` → nothing,
 * `\$` → `$`, `\}` → `}`, `\\` → `\`.
 */
export function expandSnippet(body: string): string {
  let out = '';
  let i = 0;
  const read = (stopAtBrace: boolean): string => {
    let s = '';
    while (i < body.length) {
      const c = body[i]!;
      if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1]!)) {
        s += body[i + 1];
        i += 2;
      } else if (stopAtBrace && c === '}') {
        return s;
      } else if (c === '$' && /\d/.test(body[i + 1] ?? '')) {
        i++;
        while (/\d/.test(body[i] ?? '')) i++;
      } else if (c === '$' && body[i + 1] === '{' && /\d/.test(body[i + 2] ?? '')) {
        i += 2;
        while (/\d/.test(body[i]!)) i++;
        if (body[i] === ':') {
          i++;
          s += read(true);
        } else if (body[i] === '|') {
          const end = body.indexOf('|', i + 1);
          s += body.slice(i + 1, end).split(',')[0];
          i = end + 1;
        }
        i++; // the closing brace
      } else {
        s += c;
        i++;
      }
    }
    return s;
  };
  out = read(false);
  return out;
}

describe('snippets: pre-approved templates', () => {
  it('expands tab stops the way the editor does', () => {
    assert.equal(expandSnippet('a ${1:x-${2:y}} $0 ${3|p,q|} \\${{ github.sha \\}} $4'), 'a x-y  p ${{ github.sha }} ');
  });

  const files = readdirSync(DIR).filter((f) => f.endsWith('.code-snippets.json'));
  it('has a template file for every kind', () => {
    assert.deepEqual(files.sort(), Object.keys(TARGET).sort());
  });

  for (const file of files) {
    const snippets = JSON.parse(readFileSync(path.join(DIR, file), 'utf8')) as Record<string, { prefix: string; body: string[]; description: string }>;
    for (const [name, snippet] of Object.entries(snippets)) {
      it(`${file}: "${name}" (${snippet.prefix}) passes every built-in rule with default settings`, async () => {
        assert.match(snippet.prefix, /^pl-/);
        assert.ok(snippet.description.length > 10, 'a description');
        const text = `${expandSnippet(snippet.body.join('\n'))}\n`;
        const target = path.posix.join('/w', TARGET[file]!);
        const service = await LanguageService.create({ fs: memoryFileSystem({ [target]: text }), roots: ['/w'] });
        const findings = service.analyze(toUri(target)).findings.filter((f) => atLeast(f.severity, 'low'));
        assert.deepEqual(
          findings.map((f) => `${f.ruleId} ${f.range.start.line + 1}:${f.range.start.character + 1} ${f.message}`),
          [],
          `expanded:\n${text}`,
        );
      });
    }
  }
});
