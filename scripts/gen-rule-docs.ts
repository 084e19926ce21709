// Writes docs/rules/<id>.md for every built-in rule from its README and metadata,
// the JSON Schemas under schemas/, and package.json's settings (from server/src/settings.ts).
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { builtinRules } from '../server/src/rules';
import { renderAll, withReadmeRules } from './ruleDocs';
import { schemaFiles } from './schemaFiles';
import { configSchema } from '../server/src/config/schema';
import { withConfiguration, withReadmeConfigKeys, withReadmeSettings } from './settingsManifest';

const root = path.resolve(__dirname, '..');
const dir = path.join(root, 'docs', 'rules');
mkdirSync(dir, { recursive: true });
const pages = renderAll(root, builtinRules);
for (const name of readdirSync(dir)) if (!pages.has(name)) rmSync(path.join(dir, name));
for (const [name, text] of pages) writeFileSync(path.join(dir, name), text);
const readmePath = path.join(root, 'README.md');
writeFileSync(readmePath, withReadmeConfigKeys(withReadmeSettings(withReadmeRules(readFileSync(readmePath, 'utf8'), builtinRules)), configSchema(builtinRules)));
console.log(`wrote ${pages.size} pages to docs/rules/ and the rule, settings and config-key tables of README.md`);

const schemas = schemaFiles(builtinRules);
mkdirSync(path.join(root, 'schemas'), { recursive: true });
for (const [file, text] of schemas) writeFileSync(path.join(root, file), text);
const packagePath = path.join(root, 'package.json');
writeFileSync(packagePath, withConfiguration(readFileSync(packagePath, 'utf8')));
console.log(`wrote ${[...schemas.keys()].join(', ')} and the settings of package.json`);
