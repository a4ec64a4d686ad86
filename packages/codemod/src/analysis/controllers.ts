import { Node, type ClassDeclaration, type Decorator, type MethodDeclaration, type SourceFile } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import { isFrom, resolveDecorators } from './decorators.js';
import { importsOf, NEST_COMMON, resolveRelative } from './file-imports.js';
import { objectProperty, stringValues } from './literals.js';

export const HTTP_DECORATORS: Readonly<Record<string, string>> = {
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL', Search: 'SEARCH', Sse: 'GET',
};

export interface ControllerInfo {
  cls: ClassDeclaration;
  file: SourceFile;
  name: string;
  paths: string[];
  versions?: string[];
  decorator: Decorator;
  /** The base-class chain, nearest first (only classes found in the project). */
  bases: ClassDeclaration[];
  routes: RouteInfo[];
}

export interface RouteInfo {
  controller: ControllerInfo;
  method: MethodDeclaration;
  declaringClass: ClassDeclaration;
  /** Set when the handler is declared in a base class rather than the controller. */
  inheritedFrom?: string;
  httpMethod: string;
  httpDecorator: Decorator;
  paths: string[];
  versions?: string[];
}

function baseClassOf(ws: Workspace, cls: ClassDeclaration): ClassDeclaration | undefined {
  const ext = cls.getExtends();
  if (!ext) return undefined;
  const expr = ext.getExpression();
  if (!Node.isIdentifier(expr)) return undefined;
  const file = cls.getSourceFile();
  const name = expr.getText();
  const local = file.getClass(name);
  if (local) return local;
  const binding = importsOf(file).named.get(name);
  if (!binding) return undefined;
  const target = resolveRelative(ws.project, file, binding.module);
  return target?.getClass(binding.name);
}

function versionsOf(node: Node | undefined): string[] | undefined {
  if (!node) return undefined;
  return stringValues(node) ?? [node.getText()];
}

function routesOf(ctrl: ControllerInfo, declaringClass: ClassDeclaration, seen: Set<string>): RouteInfo[] {
  const imports = importsOf(declaringClass.getSourceFile());
  const routes: RouteInfo[] = [];
  for (const method of declaringClass.getMethods()) {
    const name = method.getName();
    if (seen.has(name)) continue;
    seen.add(name);
    if (method.isStatic()) continue;
    const decorators = resolveDecorators(method.getDecorators(), imports);
    const http = decorators.find((d) => d.binding?.module === NEST_COMMON && d.binding.name in HTTP_DECORATORS);
    if (!http || !http.binding) continue;
    const version = decorators.find((d) => isFrom(d, NEST_COMMON, 'Version'));
    routes.push({
      controller: ctrl,
      method,
      declaringClass,
      inheritedFrom: declaringClass === ctrl.cls ? undefined : declaringClass.getName() ?? '(anonymous)',
      httpMethod: HTTP_DECORATORS[http.binding.name] ?? 'GET',
      httpDecorator: http.node,
      paths: stringValues(http.args[0]) ?? (http.args[0] ? [`{${http.args[0].getText()}}`] : ['']),
      versions: versionsOf(version?.args[0]) ?? ctrl.versions,
    });
  }
  return routes;
}

/** Finds every `@Controller` class of the project and its routes, including routes inherited from base classes. */
export function findControllers(ws: Workspace): ControllerInfo[] {
  const out: ControllerInfo[] = [];
  for (const file of ws.allFiles) {
    if (!file.getFullText().includes('Controller')) continue;
    const imports = importsOf(file);
    for (const cls of file.getClasses()) {
      const dec = resolveDecorators(cls.getDecorators(), imports).find((d) => d.binding?.module === NEST_COMMON && d.binding.name === 'Controller');
      if (!dec) continue;
      const arg = dec.args[0];
      let paths = stringValues(arg);
      let versions: string[] | undefined;
      if (!paths && arg && Node.isObjectLiteralExpression(arg)) {
        paths = stringValues(objectProperty(arg, 'path'));
        versions = versionsOf(objectProperty(arg, 'version'));
      }
      const bases: ClassDeclaration[] = [];
      for (let b = baseClassOf(ws, cls); b && bases.length < 10 && !bases.includes(b); b = baseClassOf(ws, b)) bases.push(b);
      const ctrl: ControllerInfo = { cls, file, name: cls.getName() ?? '(anonymous)', paths: paths ?? [''], versions, decorator: dec.node, bases, routes: [] };
      const seen = new Set<string>();
      ctrl.routes = [cls, ...bases].flatMap((c) => routesOf(ctrl, c, seen));
      out.push(ctrl);
    }
  }
  return out;
}
