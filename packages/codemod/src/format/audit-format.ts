import { NEUTRAL } from '../analysis/controllers.js';
import { authenticating } from '../analysis/decision.js';
import type { AuditReport, InputInfo, RouteRow } from '../report/types.js';
import { auditGitlab } from './gitlab.js';
import { auditHtml } from './html.js';
import { auditSarif } from './sarif.js';
import { textTable } from './table.js';

export type AuditFormat = 'table' | 'json' | 'sarif' | 'html' | 'gitlab';

export function protectionText(r: RouteRow): string {
  const p = r.protection;
  const req = [
    p.scopes.length ? `scopes ${p.scopes.join(',')}` : '',
    p.anyScopes.length ? `any-scope ${p.anyScopes.join('|')}` : '',
    p.roles.length ? `roles ${p.roles.join(',')}` : '',
    p.policies.length ? `policies ${p.policies.join(',')}` : '',
  ].filter(Boolean);
  const app = p.decision && p.app.status === 'authenticated' && authenticating(p).some((m) => m.credential !== 'bastion') ? ' + app auth' : '';
  const entry = p.entryPoint && p.kind !== 'public-by-design' ? ` [${p.entryPoint.kind} entry point]` : p.kind === 'public-by-design' ? ` (${p.entryPoint?.kind ?? ''})` : '';
  return `${p.kind}${req.length ? ` (${req.join('; ')})` : ''}${app}${entry}`;
}

/** The path column: header/media-type version and host as suffixes. */
export function pathText(r: RouteRow): string {
  return `${r.path}${r.version !== undefined ? ` (${r.version === NEUTRAL ? 'any version' : `version ${r.version}`})` : ''}${r.host ? ` (host ${r.host})` : ''}`;
}

export function inputsText(inputs: InputInfo[]): string {
  if (inputs.length === 0) return '-';
  return inputs.map((i) => `${i.kind}${i.key ? `.${i.key}` : ''}:${i.status === 'dto' ? i.type : i.status}${i.validated ? '' : '!'}`).join(' ');
}

/** Renders an audit report as `table` (default), `json`, `sarif` (2.1.0), `html` or `gitlab` (Code Quality). */
export function formatAudit(report: AuditReport, format: AuditFormat = 'table'): string {
  switch (format) {
    case 'json': return JSON.stringify(report, null, 2) + '\n';
    case 'sarif': return JSON.stringify(auditSarif(report), null, 2) + '\n';
    case 'html': return auditHtml(report);
    case 'gitlab': return JSON.stringify(auditGitlab(report), null, 2) + '\n';
    default: return auditTable(report);
  }
}

function auditTable(report: AuditReport): string {
  const out: string[] = [];
  const meta = [
    `project ${report.project}`,
    report.globalPrefix ? `global prefix /${report.globalPrefix}` : '',
    report.versioning ? `versioning ${report.versioning}` : '',
    report.globalGuards.length ? `global guards ${report.globalGuards.join(', ')}` : 'no global guard',
    report.score ? `posture score ${report.score.score}/100 (access ${report.score.access}, validation ${report.score.validation}, configuration ${report.score.configuration})` : '',
    report.changedSince ? `changed since ${report.changedSince.ref}: ${report.changedSince.files.length} file(s)` : '',
  ].filter(Boolean);
  out.push(meta.join(' · '), '');
  out.push(textTable(
    ['METHOD', 'PATH', 'HANDLER', 'PROTECTION', 'SOURCE', 'INPUTS', 'THROTTLE', 'LOCATION'],
    report.routes.map((r) => [r.method, pathText(r), r.handler, protectionText(r), r.protection.source, inputsText(r.inputs), r.throttling, `${r.file}:${r.line}`]),
  ));
  if (report.findings.length === 0) {
    out.push('No findings.\n');
  } else {
    out.push(textTable(['RULE', 'SEVERITY', 'LOCATION', 'MESSAGE'], report.findings.map((f) => [f.rule, f.severity, `${f.file}:${f.line}`, f.message])));
    const byRule = new Map<string, number>();
    for (const f of report.findings) byRule.set(f.rule, (byRule.get(f.rule) ?? 0) + 1);
    out.push(`${report.findings.length} finding(s): ${[...byRule].map(([r, n]) => `${r} ${n}`).join(', ')}\n`);
  }
  for (const s of report.skippedFiles) out.push(`skipped ${s.file}:${s.line}: ${s.reason}\n`);
  return out.join('\n');
}
