// `pnpm test` (and the API report) on a fresh clone must work without a separate `pnpm build` (suites pack and run the built
// packages): build when any package's dist is missing or older than its sources.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const packages = ['packages/nest', 'packages/codemod', 'schematics'].filter((p) => existsSync(join(p, 'package.json')));
const stale = packages.filter((p) => !existsSync(join(p, 'dist')) || (existsSync(join(p, 'src')) && newest(join(p, 'src')) > newest(join(p, 'dist'))));
if (stale.length > 0) {
  console.log(`building ${stale.join(', ')}: dist/ is missing or older than src/`);
  execFileSync('pnpm', ['run', 'build'], { stdio: 'inherit' });
}
