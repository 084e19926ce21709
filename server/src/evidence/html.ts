import type { Mappings } from '../engine/rule';
import { SEVERITIES } from '../engine/severity';
import type { Evidence, EvidenceDriftStack } from './types';

/** Text made safe for an HTML element or a quoted attribute value. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * JSON that can sit inside a <script type="application/json"> element:
 * `<`, `>` and `&` are written as \u escapes (still the same JSON value), so
 * neither `</script>` nor `<!--` in the data can end or alter the element.
 * U+2028/U+2029 are escaped too, for readers that treat them as line ends.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value, null, 2)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** The id of the element that carries the evidence JSON. */
export const EVIDENCE_ELEMENT_ID = 'plumbline-evidence';

/**
 * The evidence as one self-contained HTML page: inline CSS, no script that
 * runs, no external URL, font or image (a content security policy forbids
 * them anyway), readable printed. The full evidence JSON rides along in a
 * data block, so the page alone is machine-readable.
 */
export function evidenceHtml(e: Evidence): string {
  const h = escapeHtml;
  const repository = e.source?.repository ?? e.scope.folder;
  const commit = e.source?.commit ? `${e.source.commit}${e.source.branch ? ` (${e.source.branch})` : e.source.detached ? ' (detached)' : ''}` : e.source ? 'no commit yet' : 'not a git repository';
  const s = e.suppressions.byStatus;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="plumbline ${h(e.tool.version)}">
<title>Plumbline governance evidence — ${h(repository)} — ${h(e.generatedAt)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>Governance evidence</h1>
<dl class="meta">
<dt>Repository</dt><dd>${h(repository)}</dd>
<dt>Commit</dt><dd><code>${h(commit)}</code></dd>
<dt>Generated</dt><dd>${h(e.generatedAt)}</dd>
<dt>Tool</dt><dd>${h(e.tool.name)} ${h(e.tool.version)}</dd>
<dt>Scope</dt><dd>${h(e.scope.paths.join(', '))} — ${e.scope.fileCount} file${e.scope.fileCount === 1 ? '' : 's'}</dd>
<dt>Config hash</dt><dd><code>${h(e.config.configHash)}</code></dd>
<dt>Rule set hash</dt><dd><code>${h(e.rules.rulesetHash)}</code></dd>
</dl>
<p class="verdict ${e.verdict.highOrAbove ? 'fail' : 'pass'}">${
    e.verdict.highOrAbove
      ? `${e.verdict.bySeverity.critical + e.verdict.bySeverity.high} finding(s) at high or critical severity.`
      : 'No finding at high or critical severity.'
  }</p>
</header>
<main>
<section class="cards" aria-label="Summary">
${SEVERITIES.map((sev) => card(String(e.findings.bySeverity[sev]), sev, `sev-${sev}`)).join('\n')}
${card(String(s.active), 'suppressions active')}
${card(String(s.expired), 'suppressions expired', s.expired > 0 ? 'sev-high' : '')}
${card(e.drift ? String(e.drift.driftCount) : '—', e.drift ? 'drifted resources' : 'drift not checked', e.drift && e.drift.driftCount > 0 ? 'sev-medium' : '')}
</section>

<section>
<h2>Findings (${e.findings.total})</h2>
${
  e.findings.list.length === 0
    ? '<p class="empty">No findings.</p>'
    : table(
        ['Location', 'Severity', 'Rule', 'Message'],
        e.findings.list.map((f) => [
          `<code>${h(`${f.file}:${f.range.start.line + 1}:${f.range.start.character + 1}`)}</code>`,
          `<span class="sev sev-${h(f.severity)}">${h(f.severity)}</span>`,
          `<code>${h(f.ruleId)}</code>`,
          h(f.message),
        ]),
      )
}
${
  e.findings.ruleFailures.length === 0
    ? ''
    : `<h3>Rules that failed</h3>\n<p>These rules threw an error; their findings in these files are missing.</p>\n${table(
        ['File', 'Rule', 'Error'],
        e.findings.ruleFailures.map((f) => [`<code>${h(f.file)}</code>`, `<code>${h(f.ruleId)}</code>`, h(f.error)]),
      )}`
}
</section>

<section>
<h2>Suppressions (${e.suppressions.total})</h2>
${
  e.suppressions.list.length === 0
    ? '<p class="empty">No suppression directives.</p>'
    : table(
        ['Location', 'Rules', 'Reason', 'Expires', 'Status'],
        e.suppressions.list.map((x) => [
          `<code>${h(`${x.file}:${x.line}`)}</code>`,
          x.rules.length ? x.rules.map((r) => `<code>${h(r)}</code>`).join(', ') : '—',
          `${x.reason === null ? '<em>none</em>' : h(x.reason)}${(x.problems ?? []).map((p) => `<div class="problem">${h(p)}</div>`).join('')}`,
          x.expires === null ? '—' : h(x.expires),
          `<span class="status status-${h(x.status)}">${h(x.status)}</span>`,
        ]),
      )
}
</section>

<section>
<h2>Drift</h2>
${driftSection(e)}
</section>

<section>
<h2>Configuration (${e.config.files.length} file${e.config.files.length === 1 ? '' : 's'})</h2>
${
  e.config.files.length === 0
    ? '<p class="empty">No .plumbline.yaml or policy file applied: the built-in defaults.</p>'
    : table(
        ['File', 'Role', 'SHA-256', 'Bytes'],
        e.config.files.map((f) => [
          `<code>${h(f.path)}</code>${f.unsaved ? ' <em>(unsaved changes were analysed)</em>' : ''}`,
          h(f.role),
          f.sha256 ? `<code class="hash">${h(f.sha256)}</code>` : '<em>unreadable</em>',
          f.bytes === null ? '—' : String(f.bytes),
        ]),
      )
}
${e.config.presets.length ? `<p>Presets extended: ${e.config.presets.map((p) => `<code>${h(p)}</code>`).join(', ')}.</p>` : ''}
</section>

<section>
<details>
<summary><h2>Rule set (${e.rules.list.length} rule${e.rules.list.length === 1 ? '' : 's'} ran)</h2></summary>
${table(
  ['Rule', 'Domain', 'Severity', 'Parameters', 'Mappings'],
  e.rules.list.map((r) => [
    `<code>${h(r.id)}</code><div class="muted">${h(r.title)}</div>${r.folders ? `<div class="muted">in ${r.folders.map(h).join(', ')}</div>` : ''}`,
    h(r.domain),
    `${h(r.severity)}${r.severity !== r.defaultSeverity ? ` <span class="muted">(default ${h(r.defaultSeverity)})</span>` : ''}`,
    Object.keys(r.params).length ? `<code class="params">${h(JSON.stringify(r.params))}</code>` : '—',
    mappings(r.mappings),
  ]),
)}
</details>
</section>
</main>
<footer>
<p>Produced by Plumbline ${h(e.tool.version)} from files on disk; nothing was sent anywhere. The evidence as JSON (schema <code>${h(e.schema)}</code>) is embedded in this page in the element with id <code>${EVIDENCE_ELEMENT_ID}</code>.</p>
</footer>
<script type="application/json" id="${EVIDENCE_ELEMENT_ID}">
${jsonForScript(e)}
</script>
</body>
</html>
`;
}

function driftSection(e: Evidence): string {
  const h = escapeHtml;
  if (!e.drift) return '<p class="empty">Drift was not checked for this report.</p>';
  const parts: string[] = [];
  for (const s of e.drift.sources)
    if (s.problem) parts.push(`<p class="problem">${h(s.label)}: ${h(s.problem.message)}${s.problem.hint ? ` ${h(s.problem.hint)}` : ''}</p>`);
  if (e.drift.stacks.length === 0) parts.push('<p class="empty">No stack was checked.</p>');
  else
    parts.push(
      table(
        ['Stack', 'Source', 'Status', 'Checked', 'Origin'],
        e.drift.stacks.map((st) => [
          `<code>${h(st.name)}</code>`,
          h(st.source),
          `<span class="status status-${h(st.status)}">${h(st.status)}</span>${stackCount(st)}${st.problem ? `<div class="problem">${h(st.problem.message)}</div>` : ''}`,
          st.checkedAt ? h(st.checkedAt) : '—',
          h(st.origin),
        ]),
      ),
    );
  const rows = e.drift.stacks.flatMap((st) =>
    st.drifted.map((r) => [
      `<code>${h(r.address)}</code><div class="muted">${h(st.name)}</div>`,
      `<span class="status status-${h(r.status)}">${h(r.status)}</span>`,
      r.file ? `<code>${h(`${r.file}:${r.line}`)}</code>` : '<em>not in code</em>',
      r.changes.length
        ? `<ul class="changes">${r.changes.map((c) => `<li><code>${h(c.path)}</code>: ${value(c.declared)} → ${value(c.live)}${c.sensitive ? ' <em>(sensitive)</em>' : ''}</li>`).join('')}</ul>`
        : h(r.message ?? ''),
    ]),
  );
  if (rows.length) parts.push(`<h3>Drifted resources (${e.drift.driftCount})</h3>`, table(['Resource', 'Status', 'Declared at', 'Changes (declared → live)'], rows));
  return parts.join('\n');
}

function stackCount(st: EvidenceDriftStack): string {
  return ` <span class="muted">${st.drifted.length} of ${st.resourceCount}</span>`;
}

function value(v: unknown): string {
  return v === undefined ? '<em>unset</em>' : `<code>${escapeHtml(JSON.stringify(v))}</code>`;
}

function mappings(m: Mappings): string {
  const entries = Object.entries(m as Readonly<Record<string, readonly string[] | undefined>>).filter(([, v]) => v && v.length);
  return entries.length ? entries.map(([k, v]) => `<div><span class="muted">${escapeHtml(k)}</span> ${escapeHtml(v!.join(', '))}</div>`).join('') : '—';
}

function card(count: string, label: string, cls = ''): string {
  return `<div class="card ${escapeHtml(cls)}"><div class="count">${escapeHtml(count)}</div><div class="label">${escapeHtml(label)}</div></div>`;
}

/** A table whose cells are HTML already escaped by the caller. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return `<table>\n<thead><tr>${header.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>\n<tbody>\n${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('\n')}\n</tbody>\n</table>`;
}

const CSS = `
:root { color-scheme: light; --fg: #1d1f23; --muted: #5d6470; --line: #d9dde3; --bg: #fff; --soft: #f5f6f8; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: var(--fg); background: var(--bg); margin: 0 auto; padding: 24px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 28px 0 10px; display: inline-block; }
h3 { font-size: 15px; margin: 18px 0 8px; }
code { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: break-word; }
td:last-child { overflow-wrap: anywhere; }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
.meta dt { color: var(--muted); }
.meta dd { margin: 0; overflow-wrap: anywhere; }
.verdict { margin: 14px 0 0; padding: 8px 12px; border-radius: 4px; font-weight: 600; border: 1px solid; }
.verdict.fail { background: #fdecec; border-color: #e3a1a1; color: #8a1c1c; }
.verdict.pass { background: #eaf6ee; border-color: #9ccfae; color: #1d5e33; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin-top: 20px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; min-width: 110px; background: var(--soft); break-inside: avoid; }
.card .count { font-size: 22px; font-weight: 700; }
.card .label { color: var(--muted); font-size: 12px; }
.card.sev-critical { border-left: 4px solid #8a1c1c; }
.card.sev-high { border-left: 4px solid #c0392b; }
.card.sev-medium { border-left: 4px solid #d68910; }
.card.sev-low { border-left: 4px solid #2e86c1; }
.card.sev-info { border-left: 4px solid #7f8c8d; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 6px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; }
tr { break-inside: avoid; }
.sev, .status { font-weight: 600; }
.sev-critical { color: #8a1c1c; } .sev-high { color: #c0392b; } .sev-medium { color: #b9770e; } .sev-low { color: #2471a3; } .sev-info { color: #626a6b; }
.status-expired, .status-invalid, .status-error, .status-drifted, .status-missing, .status-unmanaged { color: #c0392b; }
.status-active, .status-in-sync { color: #1d5e33; }
.muted { color: var(--muted); font-size: 12px; }
.problem { color: #8a1c1c; font-size: 12px; }
.empty { color: var(--muted); font-style: italic; }
.hash { font-size: 11.5px; }
.params { font-size: 11.5px; overflow-wrap: anywhere; word-break: break-all; }
ul.changes { margin: 0; padding-left: 18px; }
details > summary { cursor: pointer; }
details > summary h2 { margin-top: 28px; }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 10px; }
@media print {
  body { padding: 0; max-width: none; font-size: 11px; }
  details > summary { list-style: none; }
  details::details-content { content-visibility: visible; display: block; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
}
`;
