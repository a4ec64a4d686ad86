import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const PACKAGE = join(import.meta.dirname, '..', '..');
export const CLI = join(PACKAGE, 'dist', 'esm', 'cli.js');

/** Builds the CLI once when `pnpm build` has not (CI builds before testing). */
export function ensureBuilt(): void {
  if (existsSync(CLI)) return;
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: PACKAGE, stdio: 'inherit' });
}

/** Spawns the built `bastion` CLI. */
export function bastion(args: string[], cwd: string): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
