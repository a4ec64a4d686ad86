import { Node, type ClassDeclaration } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import { resolveDecorators } from './decorators.js';
import { findDeclaration, importsOf, NEST_COMMON, NEST_CORE } from './file-imports.js';
import { constInitializer, constantString, joinPath, objectProperty, unwrap } from './literals.js';

/** A `@Module` class and the controllers it declares. */
export interface ModuleInfo {
  cls: ClassDeclaration;
  controllers: ClassDeclaration[];
}

function classOf(ws: Workspace, node: Node): ClassDeclaration | undefined {
  if (!Node.isIdentifier(node)) return undefined;
  const found = findDeclaration(ws.project, node.getSourceFile(), node.getText());
  return found && Node.isClassDeclaration(found.node) ? found.node : undefined;
}

function elements(ws: Workspace, node: Node | undefined): Node[] {
  const inner = unwrap(node);
  if (!inner) return [];
  if (Node.isArrayLiteralExpression(inner)) {
    return inner.getElements().flatMap((e) => (Node.isSpreadElement(e) ? elements(ws, e.getExpression()) : [e]));
  }
  if (Node.isIdentifier(inner)) return elements(ws, constInitializer(ws.project, inner));
  return [];
}

/** Every `@Module({ controllers })` of the project. */
export function findModules(ws: Workspace): ModuleInfo[] {
  const out: ModuleInfo[] = [];
  for (const file of ws.allFiles) {
    if (!file.getFullText().includes('Module')) continue;
    const imports = importsOf(file);
    for (const cls of file.getClasses()) {
      const dec = resolveDecorators(cls.getDecorators(), imports).find((d) => d.binding?.module === NEST_COMMON && d.binding.name === 'Module');
      if (!dec) continue;
      const controllers = elements(ws, objectProperty(dec.args[0], 'controllers')).flatMap((e) => classOf(ws, e) ?? []);
      out.push({ cls, controllers });
    }
  }
  return out;
}

/**
 * Path prefixes `RouterModule.register([...])` gives modules (children concatenate their parents' paths).
 * A module registered twice gets both paths.
 */
export function routerModulePaths(ws: Workspace): Map<ClassDeclaration, string[]> {
  const out = new Map<ClassDeclaration, string[]>();
  const add = (cls: ClassDeclaration, path: string) => out.set(cls, [...new Set([...(out.get(cls) ?? []), path])]);
  const walk = (nodes: Node[], parent: string) => {
    for (const n of nodes) {
      const inner = unwrap(n);
      if (!inner) continue;
      if (Node.isObjectLiteralExpression(inner)) {
        const path = joinPath(parent, constantString(ws.project, objectProperty(inner, 'path')) ?? '');
        const mod = objectProperty(inner, 'module');
        const cls = mod && classOf(ws, mod);
        if (cls) add(cls, path);
        walk(elements(ws, objectProperty(inner, 'children')), path);
      } else {
        // `children: [CatsModule]`: the module gets its parent's path.
        const cls = classOf(ws, inner);
        if (cls) add(cls, parent);
      }
    }
  };
  for (const file of ws.allFiles) {
    if (!file.getFullText().includes('RouterModule')) continue;
    const imports = importsOf(file);
    file.forEachDescendant((n) => {
      if (!Node.isCallExpression(n)) return;
      const callee = n.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'register') return;
      if (!imports.is(callee.getExpression(), NEST_CORE, 'RouterModule')) return;
      walk(elements(ws, n.getArguments()[0]), '');
    });
  }
  return out;
}

/** The module path prefixes a controller is served under (`['']` when no `RouterModule` path applies). */
export function modulePathsOf(ctrl: ClassDeclaration, modules: ModuleInfo[], paths: Map<ClassDeclaration, string[]>): string[] {
  const hosts = modules.filter((m) => m.controllers.includes(ctrl));
  const list = hosts.flatMap((m) => paths.get(m.cls) ?? ['']);
  return list.length ? [...new Set(list)] : [''];
}
