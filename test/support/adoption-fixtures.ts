import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** `test/fixtures/adoption`: apps with their own authentication, for `init` and the adoption e2e. */
export const ADOPTION_FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'adoption');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? walk(join(dir, f)) : [join(dir, f)]));
}

/**
 * A fixture's `src/` files, path relative to `src/` → text. A fixture whose `fixture.json` says
 * `"extends": "<other>"` holds only the files that differ from that one.
 */
export function adoptionSources(name: string): Map<string, string> {
  const meta = join(ADOPTION_FIXTURES, name, 'fixture.json');
  const base = existsSync(meta) ? (JSON.parse(readFileSync(meta, 'utf8')) as { extends?: string }).extends : undefined;
  const files = base ? adoptionSources(base) : new Map<string, string>();
  const src = join(ADOPTION_FIXTURES, name, 'src');
  for (const file of walk(src)) files.set(relative(src, file), readFileSync(file, 'utf8'));
  return files;
}
