import type { AccessChange, RetrofitReport } from '../report/types.js';
import { formatCompatibility, formatDtoBounds } from './dto-bounds-format.js';
import { textTable } from './table.js';

const CALLERS: Record<NonNullable<AccessChange['callers']>, string> = {
  same: 'same',
  scoped: 'same if their tokens carry the scope',
  fewer: 'FEWER (was open)',
};

/** Summary of a retrofit: access decisions (before → after, who can call), changes, skipped cases with why. */
export function formatRetrofit(report: RetrofitReport): string {
  const out: string[] = [...formatCompatibility(report)];
  if (report.accessChanges.length > 0) {
    const fewer = report.accessChanges.filter((a) => a.callers === 'fewer').length;
    out.push(`Access decisions (${report.accessChanges.length} route(s)${fewer ? `; ${fewer} lose callers` : ''}) — review before merging:`);
    out.push(textTable(
      ['METHOD', 'PATH', 'HANDLER', 'BEFORE', 'AFTER', 'CALLERS', 'LOCATION'],
      report.accessChanges.map((a) => [a.method, a.path, a.handler, a.before, a.after, CALLERS[a.callers ?? 'same'], `${a.file}:${a.line}`]),
    ));
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
