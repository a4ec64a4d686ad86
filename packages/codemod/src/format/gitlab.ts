import { createHash } from 'node:crypto';
import type { AuditReport, Severity } from '../report/types.js';

/** GitLab Code Quality severities, from our three. */
const SEVERITY: Record<Severity, 'info' | 'minor' | 'major' | 'critical' | 'blocker'> = { error: 'critical', warning: 'minor', note: 'info' };

/** One issue of a GitLab Code Quality report (the subset of the Code Climate spec GitLab reads). */
export interface CodeQualityIssue {
  description: string;
  check_name: string;
  fingerprint: string;
  severity: 'info' | 'minor' | 'major' | 'critical' | 'blocker';
  location: { path: string; lines: { begin: number } };
}

/**
 * A GitLab Code Quality report (`artifacts: reports: codequality`): one issue per finding. Fingerprints leave the
 * line out, so an issue keeps its identity when code above it moves; repeats in one file are numbered.
 */
export function auditGitlab(report: AuditReport): CodeQualityIssue[] {
  const seen = new Map<string, number>();
  return report.findings.map((f) => {
    const key = [f.rule, f.file, f.handler ?? '', f.message].join('\u0000');
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      description: f.message,
      check_name: f.rule,
      fingerprint: createHash('sha256').update(`${key}\u0000${n}`).digest('hex'),
      severity: SEVERITY[f.severity],
      location: { path: f.file, lines: { begin: Math.max(1, f.line) } },
    };
  });
}
