/** The apps import Bastion's build (`packages/nest/dist`), as an app would: refuse to measure a stale one. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const PACKAGE = new URL('../../packages/nest/', import.meta.url).pathname;

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function assertBastionBuilt(): void {
  let built: number;
  try {
    built = statSync(join(PACKAGE, 'dist/esm/index.js')).mtimeMs;
  } catch {
    throw new Error('packages/nest is not built: run `pnpm --filter @bastion/nest build` first');
  }
  if (newest(join(PACKAGE, 'src')) > built) {
    throw new Error('packages/nest/src changed after its last build: run `pnpm --filter @bastion/nest build` first (the benchmark measures dist/)');
  }
}
