import { atLeast } from '../../engine/severity';
import type { ReportFinding } from '../report';
import type { FormatContext } from './context';

/**
 * JUnit XML as CI servers read it: one <testsuite> per file with findings, one
 * <testcase> per rule × file. A test case fails when one of its findings
 * reaches --fail-on (the <failure> lists each finding at file:line:column);
 * findings below it pass and are listed in <system-out>. A clean run is one
 * passing test case, so a report is never empty.
 */
export function formatJunit(ctx: FormatContext): string {
  const { report } = ctx;
  const fails = (f: ReportFinding) => f.severity !== 'info' && atLeast(f.severity, ctx.failOn);
  const byFile = new Map<string, Map<string, ReportFinding[]>>();
  for (const f of report.findings) {
    const rules = byFile.get(f.file) ?? new Map<string, ReportFinding[]>();
    byFile.set(f.file, rules);
    rules.set(f.ruleId, [...(rules.get(f.ruleId) ?? []), f]);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const [file, rules] of byFile) {
    const cases: string[] = [];
    let suiteFailures = 0;
    for (const [ruleId, found] of rules) {
      const failing = found.filter(fails);
      const lines = found.map((f) => `${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1} ${f.severity} ${f.message}`).join('\n');
      const head = `    <testcase classname="${attr(file)}" name="${attr(ruleId)}" file="${attr(file)}" line="${found[0]!.range.start.line + 1}" time="0"`;
      if (failing.length) {
        suiteFailures++;
        const first = failing[0]!;
        const message = `${failing.length} finding(s) at or above ${ctx.failOn}; first at line ${first.range.start.line + 1}, column ${first.range.start.character + 1}: ${first.message}`;
        cases.push(`${head}>\n      <failure message="${attr(message)}" type="${attr(first.severity)}">${text(lines)}</failure>\n    </testcase>`);
      } else cases.push(`${head}>\n      <system-out>${text(lines)}</system-out>\n    </testcase>`);
    }
    tests += cases.length;
    failures += suiteFailures;
    suites.push(`  <testsuite name="${attr(file)}" tests="${cases.length}" failures="${suiteFailures}" errors="0" skipped="0" time="0">\n${cases.join('\n')}\n  </testsuite>`);
  }
  if (suites.length === 0) {
    tests = 1;
    suites.push(
      `  <testsuite name="plumbline" tests="1" failures="0" errors="0" skipped="0" time="0">\n    <testcase classname="plumbline" name="${attr(`no findings in ${report.fileCount} file(s)`)}" time="0"/>\n  </testsuite>`,
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="plumbline" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}

/**
 * Text that XML 1.0 accepts: markup characters escaped, and characters it
 * forbids outright (C0 controls other than tab, LF and CR; lone surrogates;
 * U+FFFE/U+FFFF) written as a visible `\uXXXX` instead.
 */
export function text(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** An attribute value: `text` plus quotes, and line breaks kept as character references (attribute normalisation would turn them into spaces). */
export function attr(s: string): string {
  return text(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
