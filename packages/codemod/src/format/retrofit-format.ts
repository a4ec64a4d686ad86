import type { RetrofitReport } from '../report/types.js';
import { formatCompatibility, formatDtoBounds } from './dto-bounds-format.js';
import { textTable } from './table.js';

/** Summary of a retrofit: transforms, access changes (before → after), changes, skipped cases with why. */
export function formatRetrofit(report: RetrofitReport): string {
  const out: string[] = [...formatCompatibility(report)];
  if (report.accessChanges.length > 0) {
    out.push(`Access changes (${report.accessChanges.length} route(s)) — review before merging:`);
    out.push(textTable(['METHOD', 'PATH', 'HANDLER', 'BEFORE', 'AFTER', 'LOCATION'], report.accessChanges.map((a) => [a.method, a.path, a.handler, a.before, a.after, `${a.file}:${a.line}`])));
  }
  out.push(...formatDtoBounds(report));
  if (report.changes.length > 0) {
    out.push('Changes:');
    out.push(textTable(['TRANSFORM', 'LOCATION', 'CHANGE'], report.changes.map((c) => [c.transform, `${c.file}:${c.line}`, c.message])));
  }
  if (report.skipped.length > 0) {
    out.push('Skipped (left for a person):');
    out.push(textTable(['TRANSFORM', 'LOCATION', 'WHY'], report.skipped.map((s) => [s.transform, `${s.file}:${s.line}`, s.reason])));
  }
  out.push('Summary:');
  out.push(textTable(['TRANSFORM', 'STATUS', 'CHANGES', 'SKIPPED', 'NOTE'], report.transforms.map((t) => [t.name, t.status, String(t.changes), String(t.skipped), t.reason ?? ''])));
  const created = report.files.filter((f) => f.created).length;
  out.push(`${report.files.length} file(s) ${report.dryRun ? 'would change' : 'changed'} (${created} new) in ${report.durationMs} ms${report.dryRun ? ' — dry run, nothing written' : ''}.\n`);
  return out.join('\n');
}
