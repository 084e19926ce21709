import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

/**
 * The tree-sitter runtime and the Terraform grammar ship as .wasm files. The
 * bundles in dist/ find them beside themselves (esbuild.mjs copies them there);
 * tests running from source find them in node_modules.
 */
function locate(file: string, packagePath: string): string {
  const beside = path.join(__dirname, file);
  return existsSync(beside) ? beside : require.resolve(packagePath);
}

let loading: Promise<Language> | undefined;

export function loadTerraformLanguage(): Promise<Language> {
  loading ??= (async () => {
    await Parser.init({
      locateFile: () => locate('web-tree-sitter.wasm', 'web-tree-sitter/web-tree-sitter.wasm'),
    });
    return Language.load(
      locate('tree-sitter-terraform.wasm', '@tree-sitter-grammars/tree-sitter-hcl/tree-sitter-terraform.wasm'),
    );
  })();
  return loading;
}
