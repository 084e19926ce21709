import { PARSE_ERROR_ID, type Finding } from '../engine/finding';
import type { HclBody } from '../model/hcl';
import { rangeContains, type Range } from '../model/location';
import type { YamlNode } from '../model/yaml';
import { DIRECTIVE_KEYWORD } from './directive';
import { addDays, DEFAULT_SUPPRESSION_OPTIONS, SUPPRESSION_FINDING_IDS, type SuppressionOptions } from './options';
import { isHcl, type SuppressibleFile } from './targets';

/** A text edit in LSP terms: `newText` replaces `range` (here always an empty range: an insertion). */
export interface SuppressionEdit {
  readonly range: Range;
  readonly newText: string;
}

/**
 * The placeholder reason of an inserted directive. It is long enough to pass
 * `minReasonChars`, so the directive is valid and the finding disappears as
 * soon as the edit is applied; that is what the user asked for. Rejecting it
 * would make the action useless, so instead the action's title tells the user
 * to edit the reason, and the word REPLACE_ME keeps it easy to find in review.
 */
export const REASON_PLACEHOLDER = 'REPLACE_ME: why this is acceptable';

/** How far ahead the inserted directive expires: well inside the default 180-day horizon. */
export const SUPPRESSION_EDIT_DAYS = 90;

export function suppressionActionTitle(ruleId: string, now: Date): string {
  return `Suppress ${ruleId} until ${addDays(now, SUPPRESSION_EDIT_DAYS)} (edit the reason)`;
}

/**
 * The edit for the "Suppress <rule> until <date>" code action: a directive on
 * its own line directly above the element the finding belongs to, indented
 * like that line. Undefined when the rule may not be suppressed or the
 * finding lies in no element.
 *
 * Element: HCL, the innermost attribute containing the finding, else the
 * innermost block (a finding on a block header therefore gets the block);
 * YAML, the innermost mapping pair or sequence item containing it.
 */
export function suppressionEdit(
  file: SuppressibleFile,
  finding: Finding,
  ruleId: string,
  now: Date,
  options: Pick<SuppressionOptions, 'nonSuppressible'> = DEFAULT_SUPPRESSION_OPTIONS,
): SuppressionEdit | undefined {
  if (ruleId === PARSE_ERROR_ID || SUPPRESSION_FINDING_IDS.includes(ruleId) || options.nonSuppressible.includes(ruleId)) return undefined;
  const element = isHcl(file) ? innermostHcl(file.body, finding.range) : innermostYaml(file.documents.map((d) => d.root), finding.range);
  if (!element) return undefined;
  const line = element.start.line;
  const text = file.text.split(/\r\n|\r|\n/, line + 1)[line] ?? '';
  const indent = /^[ \t]*/.exec(text)![0];
  const eol = /\r\n/.test(file.text) ? '\r\n' : file.text.includes('\r') ? '\r' : '\n';
  const directive = `${indent}# ${DIRECTIVE_KEYWORD} ${ruleId} reason="${REASON_PLACEHOLDER}" expires=${addDays(now, SUPPRESSION_EDIT_DAYS)}${eol}`;
  const at = { line, character: 0 };
  return { range: { start: at, end: at }, newText: directive };
}

function innermostHcl(body: HclBody, range: Range): Range | undefined {
  const attr = body.attributes.find((a) => rangeContains(a.range, range));
  if (attr) return attr.range;
  const block = body.blocks.find((b) => rangeContains(b.range, range));
  if (!block) return undefined;
  return innermostHcl(block.body, range) ?? block.range;
}

function innermostYaml(nodes: readonly (YamlNode | undefined)[], range: Range): Range | undefined {
  for (const node of nodes) {
    if (node?.kind === 'map') {
      const p = node.pairs.find((x) => rangeContains(x.range, range));
      if (p) return innermostYaml([p.value], range) ?? p.range;
    } else if (node?.kind === 'seq') {
      const item = node.items.find((x) => rangeContains(x.range, range));
      if (item) return innermostYaml([item], range) ?? item.range;
    }
  }
  return undefined;
}
