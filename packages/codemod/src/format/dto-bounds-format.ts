import type { RetrofitReport } from '../report/types.js';
import { textTable } from './table.js';

/** The version gate's verdict and upgrade path, when `@bastion/nest` cannot be used; empty otherwise. */
export function formatCompatibility(report: Pick<RetrofitReport, 'compatibility'>): string[] {
  const c = report.compatibility;
  if (c.bastionNest && !c.transformsProblem) return [];
  const out = [`Versions — no ${c.transformsProblem ? 'code' : '@bastion/nest import'} was written:`, ...[...c.problems, c.transformsProblem ?? ''].filter(Boolean).map((p) => `  - ${p}`)];
  if (c.upgradePath.length) out.push('Upgrade path:', ...c.upgradePath.map((s, i) => `  ${i + 1}. ${s}`));
  return [`${out.join('\n')}\n`];
}

/** Every bound the generated DTOs invent (a behaviour change to confirm), then those taken from the code. */
export function formatDtoBounds(report: Pick<RetrofitReport, 'dtoBounds'>): string[] {
  const rows = (origin: 'invented' | 'evidence') => report.dtoBounds.filter((b) => b.origin === origin).map((b) => [b.field, b.rule, b.reason, `${b.file}:${b.line}`]);
  const out: string[] = [];
  const invented = rows('invented');
  if (invented.length) {
    out.push(`Invented validation (${invented.length}) — the code never had these rules; confirm each (requests outside them now get 400):`);
    out.push(textTable(['FIELD', 'RULE', 'FROM', 'LOCATION'], invented));
  }
  const evidence = rows('evidence');
  if (evidence.length) {
    out.push(`Validation taken from the code (${evidence.length}):`);
    out.push(textTable(['FIELD', 'RULE', 'EVIDENCE', 'LOCATION'], evidence));
  }
  return out;
}
