import { Node, type ClassDeclaration, type Decorator, type MethodDeclaration, type SourceFile } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import { isFrom, resolveDecorators } from './decorators.js';
import { importsOf, NEST_COMMON, resolveRelative } from './file-imports.js';
import { constantString, objectProperty, unwrap } from './literals.js';

export const HTTP_DECORATORS: Readonly<Record<string, string>> = {
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL', Search: 'SEARCH', Sse: 'GET',
};

export interface ControllerInfo {
  cls: ClassDeclaration;
  file: SourceFile;
  name: string;
  paths: string[];
  /** `@Controller({ version })`; `NEUTRAL` stands for `VERSION_NEUTRAL`. */
  versions?: string[];
  /** `@Controller({ host })`. */
  hosts?: string[];
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

/** How `VERSION_NEUTRAL` appears in version lists. */
export const NEUTRAL = '(neutral)';

/** A version value: `'1'`, `['1', '2']`, `VERSION_NEUTRAL`, constants, or a mix. */
export function versionsOf(ws: Pick<Workspace, 'project'>, node: Node | undefined): string[] | undefined {
  const inner = unwrap(node);
  if (!inner) return undefined;
  const items = Node.isArrayLiteralExpression(inner) ? inner.getElements() : [inner];
  return items.map((el) => {
    if (importsOf(el.getSourceFile()).is(el, NEST_COMMON, 'VERSION_NEUTRAL')) return NEUTRAL;
    return constantString(ws.project, el) ?? `{${el.getText()}}`;
  });
}

/** Path strings of a `@Controller`/`@Get` argument: literals and constants; `{expr}` for what is computed at runtime. */
function pathsOf(ws: Pick<Workspace, 'project'>, node: Node | undefined): string[] | undefined {
  const inner = unwrap(node);
  if (!inner) return undefined;
  const items = Node.isArrayLiteralExpression(inner) ? inner.getElements() : [inner];
  return items.map((el) => constantString(ws.project, el) ?? `{${el.getText()}}`);
}

function routesOf(ws: Workspace, ctrl: ControllerInfo, declaringClass: ClassDeclaration, seen: Set<string>): RouteInfo[] {
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
      paths: pathsOf(ws, http.args[0]) ?? [''],
      versions: versionsOf(ws, version?.args[0]) ?? ctrl.versions,
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
      let paths: string[] | undefined;
      let versions: string[] | undefined;
      let hosts: string[] | undefined;
      if (arg && Node.isObjectLiteralExpression(arg)) {
        paths = pathsOf(ws, objectProperty(arg, 'path'));
        versions = versionsOf(ws, objectProperty(arg, 'version'));
        hosts = pathsOf(ws, objectProperty(arg, 'host'));
      } else {
        paths = pathsOf(ws, arg);
      }
      const bases: ClassDeclaration[] = [];
      for (let b = baseClassOf(ws, cls); b && bases.length < 10 && !bases.includes(b); b = baseClassOf(ws, b)) bases.push(b);
      const ctrl: ControllerInfo = { cls, file, name: cls.getName() ?? '(anonymous)', paths: paths ?? [''], versions, hosts, decorator: dec.node, bases, routes: [] };
      const seen = new Set<string>();
      ctrl.routes = [cls, ...bases].flatMap((c) => routesOf(ws, ctrl, c, seen));
      out.push(ctrl);
    }
  }
  return out;
}
