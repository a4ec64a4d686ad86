// Codemod throughput: `bastion retrofit` vs `tsc --noEmit` on the same synthetic project, N = 100 and 1,000.
// Run: cd bench && node --import @swc-node/register/esm-register codemod.ts [N ...]
// Both are spawned as fresh Node processes (same start-up cost); the retrofit is a real run that writes files,
// and `tsc` runs again afterwards to show the retrofitted project still type-checks as well as before.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateSyntheticProject } from './synthetic-project.js';

const require = createRequire(import.meta.url);
const TSC = require.resolve('typescript/bin/tsc');
const CLI = join(dirname(require.resolve('@bastion/codemod/package.json')), 'dist', 'esm', 'cli.js');
const NODE_MODULES = join(import.meta.dirname, 'node_modules');
const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
const N = sizes.length ? sizes : [100, 1000];

/** CPU time (user + system, ms) of this process's waited-for children, from /proc (Linux); 0 elsewhere. */
function childrenCpuMs(): number {
  if (!existsSync('/proc/self/stat')) return 0;
  const fields = readFileSync('/proc/self/stat', 'utf8').replace(/^.*\) /, '').split(' ');
  // After the command name: field 14 cutime and 15 cstime of proc(5), in clock ticks (100 Hz on Linux).
  return (Number(fields[13]) + Number(fields[14])) * 10;
}

function timed(args: string[], cwd: string): { ms: number; cpuMs: number; code: number; out: string } {
  const c0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return { ms: performance.now() - t0, cpuMs: childrenCpuMs() - c0, code: r.status ?? -1, out: `${r.stdout}${r.stderr}` };
}

const errors = (out: string) => (out.match(/error TS\d+/g) ?? []).length;

const root = mkdtempSync(join(tmpdir(), 'bastion-codemod-bench-'));
const rows: string[] = [];
try {
  for (const n of N) {
    const project = generateSyntheticProject(join(root, `n${n}`), n, NODE_MODULES);
    const tscBefore = timed([TSC, '-p', 'tsconfig.json', '--noEmit'], project.dir);
    const retrofit = timed([CLI, 'retrofit', '--project', 'tsconfig.json', '--json'], project.dir);
    if (retrofit.code !== 0) throw new Error(`retrofit failed (${retrofit.code}):\n${retrofit.out.slice(0, 2000)}`);
    const report = JSON.parse(retrofit.out) as { files: unknown[]; changes: unknown[]; skipped: unknown[]; durationMs: number };
    const tscAfter = timed([TSC, '-p', 'tsconfig.json', '--noEmit'], project.dir);
    const again = timed([CLI, 'retrofit', '--project', 'tsconfig.json', '--json'], project.dir);
    const second = JSON.parse(again.out) as { files: unknown[] };
    const row = {
      n, files: project.files,
      tscMs: Math.round(tscBefore.ms), tscCpuMs: tscBefore.cpuMs, retrofitMs: Math.round(retrofit.ms), retrofitCpuMs: retrofit.cpuMs,
      engineMs: report.durationMs, ratioWall: (retrofit.ms / tscBefore.ms).toFixed(2),
      ratioCpu: tscBefore.cpuMs ? (retrofit.cpuMs / tscBefore.cpuMs).toFixed(2) : 'n/a',
      changed: report.files.length, changes: report.changes.length, skipped: report.skipped.length,
      tscErrorsBefore: errors(tscBefore.out), tscErrorsAfter: errors(tscAfter.out), tscAfterMs: Math.round(tscAfter.ms), tscAfterCpuMs: tscAfter.cpuMs,
      secondRunFiles: second.files.length,
    };
    console.log(JSON.stringify(row));
    rows.push(`| ${row.n} | ${row.files} | ${row.tscMs} / ${row.tscCpuMs} | ${row.retrofitMs} / ${row.retrofitCpuMs} (engine ${row.engineMs} wall) | ${row.ratioWall}× / ${row.ratioCpu}× | ${row.changed} files, ${row.changes} changes, ${row.skipped} skipped | ${row.tscErrorsBefore} → ${row.tscErrorsAfter} | ${row.tscAfterMs} / ${row.tscAfterCpuMs} | ${row.secondRunFiles} |`);
    rmSync(project.dir, { recursive: true, force: true });
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}

const table = [
  '| N controllers | files | `tsc --noEmit` wall / CPU ms | `bastion retrofit` wall / CPU ms | retrofit ÷ tsc (wall / CPU) | result | tsc errors before → after | `tsc` after retrofit wall / CPU ms | files changed by 2nd run |',
  '|---|---|---|---|---|---|---|---|---|',
  ...rows,
].join('\n');
console.log(`\n${table}`);
writeFileSync(join(import.meta.dirname, 'codemod.results.md'), `# Codemod benchmark\n\nNode ${process.version}, ${new Date().toISOString()}, \`cd bench && node --import @swc-node/register/esm-register codemod.ts\`.\n\n${table}\n`);
