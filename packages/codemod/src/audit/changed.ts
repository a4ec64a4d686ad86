import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { CodemodError } from '../errors.js';
import type { AuditReport, RouteRow } from '../report/types.js';

/** Line ranges whose change changes a route (its handler with decorators, its controller's decorators), by `file:line`. */
export type RouteSpans = Map<string, Array<{ file: string; from: number; to: number }>>;

/** Lines changed since a git ref, per file relative to the report's working directory; `all` for new files. */
export type ChangedLines = Map<string, Set<number> | 'all'>;

function git(args: string[], cwd: string): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

/**
 * What changed between `ref` and the working tree (committed and uncommitted, plus untracked files), with
 * renames followed (`-M`): a renamed file counts only for the lines that changed in it. `ref` may be a commit,
 * a branch, or `base...head` (then the working tree is not included). Throws `ERR_USAGE` for a ref git does not
 * know or a directory outside a repository.
 */
export function changedLines(ref: string, cwd: string): ChangedLines {
  if (ref.startsWith('-')) throw new CodemodError('ERR_USAGE', `--changed: "${ref}" is not a git ref`);
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel'], cwd).trim();
  } catch {
    throw new CodemodError('ERR_USAGE', `--changed needs a git repository; ${cwd} is not inside one`);
  }
  const range = ref.includes('...') ? ref.split('...') : [ref];
  for (const r of range.filter(Boolean)) {
    try {
      git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${r}^{commit}`], cwd);
    } catch {
      throw new CodemodError('ERR_USAGE', `--changed: git ref "${r}" does not exist`);
    }
  }
  const diff = git(['diff', '--no-color', '--no-ext-diff', '-M', '-U0', '--end-of-options', ref, '--'], top);
  const out: ChangedLines = new Map();
  const rel = (p: string) => relativeTo(resolve(top, p), cwd);
  let current: string | undefined;
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ ')) {
      const path = line.slice(4);
      current = path === '/dev/null' ? undefined : rel(path.replace(/^b\//, ''));
      if (current && !out.has(current)) out.set(current, new Set());
    } else if (line.startsWith('@@') && current) {
      // `@@ -a,b +c,d @@`: lines c … c+d-1 of the new file (d defaults to 1; 0 means a pure deletion at c).
      const m = /\+(\d+)(?:,(\d+))?/.exec(line);
      const set = out.get(current);
      if (!m || set === 'all' || !set) continue;
      const start = Number(m[1]);
      const count = m[2] === undefined ? 1 : Number(m[2]);
      if (count === 0) set.add(start);
      for (let i = 0; i < count; i++) set.add(start + i);
    }
  }
  if (!ref.includes('...')) {
    for (const path of git(['ls-files', '--others', '--exclude-standard', '-z'], top).split('\0').filter(Boolean)) out.set(rel(path), 'all');
  }
  return out;
}

function relativeTo(abs: string, cwd: string): string {
  const base = resolve(cwd);
  return abs.startsWith(`${base}/`) ? abs.slice(base.length + 1) : abs;
}

function touches(changed: ChangedLines, file: string, from: number, to: number): boolean {
  const lines = changed.get(file);
  if (!lines) return false;
  if (lines === 'all') return true;
  for (let l = from; l <= to; l++) if (lines.has(l)) return true;
  return false;
}

/**
 * Keeps the routes whose handler (with its decorators) changed, and the findings on changed lines or about a
 * changed route. The posture score keeps describing the whole project.
 */
export function filterChanged(report: AuditReport, changed: ChangedLines, ref: string, spans: RouteSpans): AuditReport {
  const routeChanged = (r: Pick<RouteRow, 'file' | 'line' | 'handler'>) =>
    (spans.get(`${r.file}:${r.line}`) ?? [{ file: r.file, from: r.line, to: r.line }]).some((s) => touches(changed, s.file, s.from, s.to));
  const routes = report.routes.filter(routeChanged);
  const changedHandlers = new Set(routes.map((r) => r.handler));
  const findings = report.findings.filter((f) => touches(changed, f.file, f.line, f.line) || (f.handler !== undefined && changedHandlers.has(f.handler)));
  return { ...report, routes, findings, changedSince: { ref, files: [...changed.keys()].sort() } };
}
