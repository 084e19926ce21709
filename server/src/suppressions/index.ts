import type { Finding } from '../engine/finding';
import { applySuppressions } from './apply';
import type { RuleInfo, SuppressionOptions } from './options';
import { readDirectives, type Directive } from './read';
import type { SuppressibleFile } from './targets';

export { applySuppressions, type ApplyOptions } from './apply';
export { parseDirective, DIRECTIVE_KEYWORD, DIRECTIVE_SYNTAX, type DirectiveProblem, type ParsedDirective, type RuleRef } from './directive';
export { suppressionActionTitle, suppressionEdit, REASON_PLACEHOLDER, SUPPRESSION_EDIT_DAYS, type SuppressionEdit } from './edit';
export * from './options';
export { readDirectives, type Directive, type DirectiveStatus } from './read';
export { targetsOf, type SuppressibleFile } from './targets';

/** Reads the file's directives and applies them to the findings of that same file. */
export function suppressInFile(
  file: SuppressibleFile,
  findings: readonly Finding[],
  options: SuppressionOptions,
  rules: readonly RuleInfo[],
): { findings: Finding[]; directives: Directive[] } {
  const directives = readDirectives(file, options, rules);
  return applySuppressions(findings, directives, { hasParseErrors: file.errors.length > 0 });
}
