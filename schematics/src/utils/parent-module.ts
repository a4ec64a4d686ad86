import type { SchematicContext, Tree } from '@angular-devkit/schematics';
import { posix } from 'node:path';
import { engine } from './engine';
import { relativeImport } from './project';

/** The nearest `*.module.ts` above `modulePath` (its own folder first, itself excluded), as Nest's ModuleFinder does. */
export function findParentModule(tree: Tree, modulePath: string): string | undefined {
  let dir = posix.dirname(modulePath);
  for (;;) {
    const entry = tree.getDir(dir);
    const found = entry.subfiles.find((f) => f.endsWith('.module.ts') && posix.join(dir, f) !== modulePath);
    if (found) return posix.join(dir, found);
    if (dir === '.' || dir === '/' || dir === '') return undefined;
    dir = posix.dirname(dir);
  }
}

/** Imports `className` from `modulePath` into the parent module's `imports` (once). */
export function registerInParentModule(tree: Tree, context: SchematicContext, modulePath: string, className: string, esm: boolean): void {
  const parent = findParentModule(tree, modulePath);
  if (!parent) {
    context.logger.warn(`skipped module registration: no parent *.module.ts found above ${modulePath}`);
    return;
  }
  const e = engine();
  const { text, result } = e.editSource(parent, tree.read(parent)!.toString('utf8'), (src) =>
    e.addModuleImports(src, [{ marker: className, element: () => src.imports.ref(relativeImport(parent, modulePath, esm), className) }]));
  if (result.status !== 'ok') {
    context.logger.warn(`skipped module registration in ${parent}: ${result.status === 'no-module' ? 'no @Module({...}) found' : '"imports" is not an array literal'}`);
    return;
  }
  if (result.added.length) tree.overwrite(parent, text);
}
