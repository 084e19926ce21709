import { pathToFileURL } from 'node:url';
import type { Severity } from '../../engine/severity';
import { FINGERPRINT_VERSION } from '../fingerprint';
import type { ReportFinding, SuppressedFinding } from '../report';
import { descriptorsOf, mappingTags, REPOSITORY_URL, type RuleDescriptor } from '../ruleCatalog';
import type { FormatContext } from './context';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';

/** SARIF result levels: error fails a code-scanning check, warning and note do not by default. */
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' };

/**
 * GitHub code scanning's `security-severity` (a CVSS-like score as a string):
 * over 9.0 is critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low.
 */
export const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

const SRCROOT = '%SRCROOT%';

/**
 * A SARIF 2.1.0 log with one run: the rules the results name (help text,
 * help URI, severity, tags, regulation mappings, security-severity), every
 * finding as a result located relative to %SRCROOT% (the current directory)
 * with a partial fingerprint, suppressed findings as results carrying their
 * in-source suppression (justification = the directive's reason, expiry in
 * its properties), and rule failures as tool notifications.
 */
export function formatSarif(ctx: FormatContext): string {
  const { report } = ctx;
  const all: ReportFinding[] = [...report.findings, ...report.suppressed];
  const rules = descriptorsOf(all);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = [...report.findings.map((f) => result(f, index)), ...report.suppressed.map((f) => result(f, index, f))];
  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Plumbline',
            version: ctx.version,
            ...(/^\d+\.\d+\.\d+/.test(ctx.version) ? { semanticVersion: ctx.version } : {}),
            informationUri: REPOSITORY_URL,
            rules: rules.map(reportingDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: dirUri(ctx.cwd) } },
        invocations: [
          {
            executionSuccessful: report.failures.length === 0,
            toolExecutionNotifications: report.failures.map((f) => ({
              level: 'error',
              message: { text: `Rule ${f.ruleId} failed on ${f.file}: ${f.error.split('\n')[0] ?? ''}` },
              associatedRule: { id: f.ruleId },
              locations: [{ physicalLocation: { artifactLocation: { uri: fileUri(f.file), uriBaseId: SRCROOT } } }],
            })),
            properties: { failOn: ctx.failOn, baselined: ctx.baselined },
          },
        ],
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}

function reportingDescriptor(r: RuleDescriptor) {
  const mappings = mappingTags(r.mappings);
  const params = Object.entries(r.params);
  const markdown = [
    `**${r.title}** (default severity: ${r.severity}${r.ai ? ', AI/ML governance' : ''})`,
    ...(mappings.length ? ['', `Mappings: ${mappings.join(', ')}`] : []),
    ...(params.length ? ['', `Params: ${params.map(([k, p]) => `\`${k}\` (default \`${JSON.stringify(p.default)}\`): ${p.description}`).join('; ')}`] : []),
    ...(r.helpUri ? ['', `How to fix, and why it matters: ${r.helpUri}`] : []),
  ].join('\n');
  const text = markdown.replace(/\*\*|`/g, '');
  return {
    id: r.id,
    name: pascal(r.id),
    shortDescription: { text: r.title },
    fullDescription: { text: `${r.title}.` },
    ...(r.helpUri ? { helpUri: r.helpUri } : {}),
    help: { text, markdown },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      severity: r.severity,
      'security-severity': SECURITY_SEVERITY[r.severity],
      tags: ['plumbline', 'security', r.domain, ...(r.ai ? ['ai-ml'] : []), ...mappings],
      domain: r.domain,
      ai: r.ai,
      mappings: r.mappings,
    },
  };
}

function result(f: ReportFinding, index: Map<string, number>, suppressed?: SuppressedFinding) {
  const { start, end } = f.range;
  return {
    ruleId: f.ruleId,
    ruleIndex: index.get(f.ruleId)!,
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: fileUri(f.file), uriBaseId: SRCROOT },
          region: { startLine: start.line + 1, startColumn: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1 },
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_VERSION]: f.fingerprint },
    ...(f.related?.length
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i,
            message: { text: r.message },
            physicalLocation: {
              artifactLocation: { uri: r.at.uri },
              region: { startLine: r.at.range.start.line + 1, startColumn: r.at.range.start.character + 1, endLine: r.at.range.end.line + 1, endColumn: r.at.range.end.character + 1 },
            },
          })),
        }
      : {}),
    ...(suppressed
      ? {
          suppressions: [
            {
              kind: 'inSource',
              status: 'accepted',
              ...(suppressed.suppression.reason !== null ? { justification: suppressed.suppression.reason } : {}),
              properties: { expires: suppressed.suppression.expires, directiveLine: suppressed.suppression.line },
            },
          ],
        }
      : {}),
    properties: { severity: f.severity },
  };
}

/** A relative path as a URI reference (each segment percent-encoded, `/` kept). */
export function fileUri(file: string): string {
  return file.split('/').map(encodeURIComponent).join('/');
}

function dirUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

function pascal(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
}
