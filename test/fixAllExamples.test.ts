import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { PARSE_ERROR_ID } from '../server/src/engine/finding';
import { checkFixes, fixAll, safe } from '../server/src/fixes/engine';
import { memoryFileSystem } from '../server/src/service/fileSystem';
import { LanguageService, toUri } from '../server/src/service/languageService';

const EXAMPLES = path.join(__dirname, '..', 'examples');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? filesUnder(p) : [p];
  });
}

// The "done when": fix all over examples/ leaves files that parse and
// only findings that have no safe fix. Fixes can enable others (a companion
// added in one round is completed in the next), so it runs until nothing changes.
describe('fix all over examples/', () => {
  it('leaves files that parse, with only findings that have no safe fix', async () => {
    const files = Object.fromEntries(filesUnder(EXAMPLES).map((p) => [p, readFileSync(p, 'utf8')]));
    const service = await LanguageService.create({ fs: memoryFileSystem(files), roots: [EXAMPLES] });
    const uris = Object.keys(files).map(toUri).filter((u) => service.kindOf(u) !== 'other');
    let applied = 0;
    for (const uri of uris) {
      for (let round = 0, version = 1; round < 5; round++) {
        const result = fixAll(service, uri);
        if (result.applied.length === 0) break;
        applied += result.applied.length;
        service.openDocument(uri, result.text, ++version);
      }
    }
    assert.ok(applied > 0, 'some fixes applied');
    for (const uri of uris) {
      const findings = service.analyze(uri).findings;
      assert.deepEqual(findings.filter((f) => f.ruleId === PARSE_ERROR_ID).map((f) => f.message), [], `${uri} parses`);
      const stillFixable = checkFixes(service, uri, findings).filter((c) => !c.rejected && safe(c.fix));
      assert.deepEqual(stillFixable.map((c) => `${c.finding.ruleId}: ${c.fix.title}`), [], `${uri}: no safe fix left`);
    }
  });
});
