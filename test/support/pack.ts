import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** Builds `packages/<name>` if it has no dist yet and packs it into `dest`; returns the tarball path. */
export function packWorkspacePackage(dir: string, dest: string): string {
  const pkgDir = join(ROOT, dir);
  if (!existsSync(join(pkgDir, 'dist'))) execFileSync('pnpm', ['run', 'build'], { cwd: pkgDir, stdio: 'pipe' });
  const before = new Set(readdirSync(dest));
  execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: pkgDir, stdio: 'pipe' });
  const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz') && !before.has(f));
  if (!tarball) throw new Error(`pnpm pack produced no tarball for ${dir}`);
  return join(dest, tarball);
}

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
