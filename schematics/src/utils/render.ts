import { template } from '@angular-devkit/core';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** `dist/templates` in the published package; the repository's `templates/` when run from sources. */
function templatesDir(): string {
  const candidates = [join(__dirname, '..', 'templates'), join(__dirname, '..', '..', '..', 'templates')];
  const dir = candidates.find((c) => existsSync(join(c, 'secure-resource')));
  if (!dir) throw new Error(`@bastion/schematics: templates not found (looked in ${candidates.join(', ')})`);
  return dir;
}

/** Renders `templates/<name>.template` (EJS-like `<%= %>` syntax of the Angular devkit) with `data`. */
export function render(name: string, data: Record<string, unknown>): string {
  const source = readFileSync(join(templatesDir(), `${name}.template`), 'utf8');
  return template<Record<string, unknown>>(source, { fileName: name })(data).replace(/\n{3,}/g, '\n\n').replace(/\s*$/, '\n');
}
