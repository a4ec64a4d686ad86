// Packs the publishable packages exactly as they are published: `pnpm pack` applies `files` and turns
// `workspace:` ranges into real ones. Used by `pnpm check:packages` and by the cross-package tests.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Every package that is published, by name, with its folder in the repository. */
export const PUBLISHABLE = {
  '@bastion/nest': 'packages/nest',
  '@bastion/codemod': 'packages/codemod',
  '@bastion/schematics': 'schematics',
};

/** Packs the package in `dir` (relative to the repository root) into `dest`; returns the tarball's path. */
export function packPackage(dir, dest) {
  const before = new Set(readdirSync(dest));
  execFileSync('pnpm', ['pack', '--pack-destination', dest], { cwd: join(ROOT, dir), stdio: 'pipe' });
  const tarball = readdirSync(dest).find((f) => f.endsWith('.tgz') && !before.has(f));
  if (!tarball) throw new Error(`pnpm pack produced no tarball for ${dir}`);
  return join(dest, tarball);
}

/** Builds what is older than its sources, then packs every publishable package into `dest`. */
export function packAll(dest) {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'ensure-built.mjs')], { cwd: ROOT, stdio: 'inherit' });
  return Object.fromEntries(Object.entries(PUBLISHABLE).map(([name, dir]) => [name, packPackage(dir, dest)]));
}
