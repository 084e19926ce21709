import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * Where a rule's documentation page lives. The generated pages ship inside
 * the extension (docs/rules/<id>.md), so the link works offline; the base
 * can be overridden (for example with a hosted copy) through initializationOptions.
 */
export function defaultDocsBase(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(path.join(dir, 'docs', 'rules'))) return pathToFileURL(path.join(dir, 'docs', 'rules')).toString() + '/';
    dir = path.dirname(dir);
  }
  return pathToFileURL(path.join(__dirname, '..', 'docs', 'rules')).toString() + '/';
}

export function ruleDocsUrl(ruleId: string, base: string = defaultDocsBase()): string {
  return `${base.endsWith('/') ? base : `${base}/`}${ruleId}.md`;
}
