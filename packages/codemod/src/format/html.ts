import type { AuditReport } from '../report/types.js';
import { inputsText, pathText, protectionText } from './audit-format.js';
import { RULES } from './sarif.js';

/** Escapes text for HTML element content and double-quoted attributes. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1d232a;background:#fafbfc}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:2rem 0 .5rem}
.meta{color:#57606a;margin-bottom:1rem}
.cards{display:flex;gap:1rem;flex-wrap:wrap}.card{background:#fff;border:1px solid #d0d7de;border-radius:8px;padding:.75rem 1rem;min-width:9rem}
.card b{display:block;font-size:1.6rem}
table{border-collapse:collapse;width:100%;background:#fff;border:1px solid #d0d7de}
th,td{text-align:left;padding:.4rem .6rem;border-bottom:1px solid #eaeef2;vertical-align:top}
th{background:#f6f8fa;position:sticky;top:0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.tag{display:inline-block;border-radius:4px;padding:0 .4rem;font-size:12px;font-weight:600}
.none,.error{background:#ffebe9;color:#a40e26}.warning,.bastion-default,.baseline-public,.unknown{background:#fff8c5;color:#7d4e00}
.note{background:#ddf4ff;color:#0550ae}.ok{background:#dafbe1;color:#116329}
details{margin:.5rem 0}summary{cursor:pointer;font-weight:600}
`;

function tagClass(kind: string): string {
  return kind === 'none' || kind === 'bastion-default' || kind === 'baseline-public' || kind === 'unknown' ? kind : 'ok';
}

/** A self-contained HTML report (inline CSS, no scripts, no external assets); all user text is escaped. */
export function auditHtml(report: AuditReport): string {
  const e = escapeHtml;
  const unprotected = report.routes.filter((r) => r.protection.kind === 'none').length;
  const unvalidated = report.routes.filter((r) => r.inputs.some((i) => !i.validated && i.kind !== 'param')).length;
  const byRule = new Map<string, typeof report.findings>();
  for (const f of report.findings) byRule.set(f.rule, [...(byRule.get(f.rule) ?? []), f]);
  const rows = report.routes.map((r) => `<tr><td><code>${e(r.method)}</code></td><td><code>${e(pathText(r))}</code></td><td>${e(r.handler)}${r.inheritedFrom ? ` <small>(from ${e(r.inheritedFrom)})</small>` : ''}</td>`
    + `<td><span class="tag ${tagClass(r.protection.kind)}">${e(protectionText(r))}</span><br><small>${e(r.protection.source)}</small></td>`
    + `<td><code>${e(inputsText(r.inputs))}</code></td><td>${e(r.throttling)}</td><td><code>${e(`${r.file}:${r.line}`)}</code></td></tr>`).join('\n');
  const findings = [...byRule].map(([rule, list]) => {
    const meta = RULES[rule as keyof typeof RULES];
    return `<details open><summary><span class="tag ${e(list[0]?.severity ?? 'note')}">${e(rule)}</span> ${list.length} — ${e(meta?.description ?? '')}</summary><table><tr><th>Location</th><th>Message</th></tr>`
      + list.map((f) => `<tr><td><code>${e(`${f.file}:${f.line}`)}</code></td><td>${e(f.message)}</td></tr>`).join('') + '</table></details>';
  }).join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Bastion audit — ${e(report.project)}</title><style>${CSS}</style></head>
<body>
<h1>Bastion audit</h1>
<div class="meta">${e(report.project)}${report.globalPrefix ? ` · global prefix <code>/${e(report.globalPrefix)}</code>` : ''}${report.versioning ? ` · versioning ${e(report.versioning)}` : ''} · global guards: ${e(report.globalGuards.join(', ') || 'none')}</div>
<div class="cards">${report.score ? `<div class="card"><b>${report.score.score}</b>posture score /100</div>` : ''}<div class="card"><b>${report.routes.length}</b>routes</div><div class="card"><b>${unprotected}</b>unprotected</div><div class="card"><b>${unvalidated}</b>with unvalidated input</div><div class="card"><b>${report.findings.length}</b>findings</div></div>
<h2>Findings</h2>
${findings || '<p>No findings.</p>'}
<h2>Routes</h2>
<table><tr><th>Method</th><th>Path</th><th>Handler</th><th>Protection</th><th>Inputs</th><th>Throttling</th><th>Location</th></tr>
${rows}
</table>
</body></html>
`;
}
