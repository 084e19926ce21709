import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryFileSystem } from '../service/fileSystem';
import { LanguageService } from '../service/languageService';
import { PLACEHOLDER_ID } from './placeholders';

describe('REPLACE_ME placeholders', () => {
  it('are reported where they stand in values, not in comments', async () => {
    const tf = '# target: REPLACE_ME later\nresource "aws_s3_bucket_logging" "x" {\n  target_bucket = "REPLACE_ME"\n}\n';
    const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c # REPLACE_ME\ndata:\n  key: REPLACE_ME\n';
    const service = await LanguageService.create({ fs: memoryFileSystem({ '/w/main.tf': tf, '/w/c.yaml': yaml }), rules: [] });
    const at = (uri: string) =>
      service
        .analyze(uri)
        .findings.filter((f) => f.ruleId === PLACEHOLDER_ID)
        .map((f) => `${f.range.start.line}:${f.range.start.character}-${f.range.end.line}:${f.range.end.character} ${f.severity}`);
    assert.deepEqual(at('file:///w/main.tf'), ['2:19-2:29 medium']);
    assert.deepEqual(at('file:///w/c.yaml'), ['5:7-5:17 medium']);
  });
});
