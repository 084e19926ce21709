import type { HclFile } from '../model/hcl';
import type { ParseError } from '../model/location';
import type { DocumentKind, YamlFile, YamlNode } from '../model/yaml';

/**
 * Inputs the parsers refuse before parsing, because analysing them would
 * block the server (which is single-threaded: one slow file delays every
 * other file's diagnostics) or because they are not source text at all.
 * Measured on a 2-core machine: tree-sitter needs ~3 s for one 1 MB line and
 * a 2 MB Terraform file takes ~7 s to analyse on first open.
 */
export const MAX_TEXT_CHARS = 2 * 1024 * 1024;
export const MAX_LINE_CHARS = 100_000;

export type InputProblemKind = 'too-large' | 'binary' | 'long-line' | 'too-slow';

export interface InputProblem extends ParseError {
  readonly kind: InputProblemKind;
}

/** Why `text` should not be parsed, or undefined when it may be. */
export function inputProblem(text: string): InputProblem | undefined {
  if (text.length > MAX_TEXT_CHARS) {
    const mb = (text.length / (1024 * 1024)).toFixed(1);
    return {
      kind: 'too-large',
      message: `Plumbline skipped this file: it holds ${mb} million characters and files over ${MAX_TEXT_CHARS / (1024 * 1024)} million are not analysed. Split it into smaller files, or list it under exclude: in .plumbline.yaml if it is generated.`,
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    };
  }
  const nul = text.indexOf('\0');
  if (nul !== -1) {
    const at = positionOf(text, nul);
    return {
      kind: 'binary',
      message: 'Plumbline skipped this file: it contains a NUL character, so it is binary (or in an encoding such as UTF-16), not UTF-8 text. Save it as UTF-8, or exclude it in .plumbline.yaml.',
      range: { start: at, end: { line: at.line, character: at.character + 1 } },
    };
  }
  // No line can be too long in a text that is not: most files need no scan.
  if (text.length <= MAX_LINE_CHARS) return undefined;
  // Line breaks as LSP counts them: \n, \r\n and a lone \r.
  const breaks = /\r\n?|\n/g;
  let line = 0;
  let start = 0;
  for (;;) {
    const m = breaks.exec(text);
    const end = m ? m.index : text.length;
    if (end - start > MAX_LINE_CHARS) {
      return {
        kind: 'long-line',
        message: `Plumbline skipped this file: line ${line + 1} is ${(end - start).toLocaleString('en-US')} characters long and lines over ${MAX_LINE_CHARS.toLocaleString('en-US')} are not analysed (minified or generated content). Break the line up, or exclude the file in .plumbline.yaml.`,
        // The first character past the limit: the line itself may be a megabyte long.
        range: { start: { line, character: MAX_LINE_CHARS }, end: { line, character: MAX_LINE_CHARS + 1 } },
      };
    }
    if (!m) break;
    start = breaks.lastIndex;
    line++;
  }
  return undefined;
}

/** An HCL file with nothing in it but the reason it was not parsed. */
export function unparsedHclFile(uri: string, text: string, problem: InputProblem): HclFile {
  return { uri, text, body: { attributes: [], blocks: [] }, errors: [{ message: problem.message, range: problem.range }], comments: [] };
}

/**
 * A YAML file that was not parsed: one document without content (no rule runs
 * on it) and the reason. Its kind comes from the file name or, for Kubernetes,
 * from top-level `apiVersion:` and `kind:` lines near the start, so that the
 * reason is reported wherever a parse error of that kind of file would be.
 */
export function unparsedYamlFile(uri: string, text: string, problem: InputProblem, kindOf: (root: YamlNode | undefined) => DocumentKind): YamlFile {
  const head = text.slice(0, 65_536);
  const top = (key: string) => new RegExp(`^${key}:[ \\t]*["']?([\\w./-]+)`, 'm').exec(head)?.[1];
  const here = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const scalar = (value: string): YamlNode => ({ kind: 'scalar', uri, range: here, value, source: value });
  const pairs = (['apiVersion', 'kind'] as const).flatMap((key) => {
    const value = top(key);
    return value ? [{ uri, key, keyRange: here, value: scalar(value), range: here }] : [];
  });
  const kind = kindOf({ kind: 'map', uri, range: here, pairs });
  return { uri, text, documents: [{ uri, index: 0, range: here, root: undefined, kind }], errors: [{ message: problem.message, range: problem.range }], comments: [] };
}

/** LSP position of a UTF-16 offset (\n, \r\n and a lone \r end a line). */
function positionOf(text: string, offset: number): { line: number; character: number } {
  const breaks = /\r\n?|\n/g;
  let line = 0;
  let lineStart = 0;
  for (let m = breaks.exec(text); m && m.index < offset; m = breaks.exec(text)) {
    line++;
    lineStart = breaks.lastIndex;
  }
  return { line, character: offset - lineStart };
}
