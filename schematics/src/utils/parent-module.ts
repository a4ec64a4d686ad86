import type { SchematicContext, Tree } from '@angular-devkit/schematics';
import { posix } from 'node:path';
import { relativeImport } from './project';
import { addModuleImport, addNamedImports } from './ts-edit';

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
  const text = tree.read(parent)!.toString('utf8');
  const { text: withElement, result } = addModuleImport(parent, text, className, className);
  if (result === 'present') return;
  if (result !== 'added') {
    context.logger.warn(`skipped module registration in ${parent}: ${result === 'no-module' ? 'no @Module({...}) found' : '"imports" is not an array literal'}`);
    return;
  }
  const updated = addNamedImports(parent, withElement, [className], relativeImport(parent, modulePath, esm));
  tree.overwrite(parent, updated);
}
