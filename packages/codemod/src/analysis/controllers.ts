import { Node, type ClassDeclaration, type Decorator, type MethodDeclaration, type SourceFile } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import { isFrom, resolveDecorators, type DecoratorRef } from './decorators.js';
import { BASTION_NEST, importsOf, NEST_COMMON, resolveRelative } from './file-imports.js';
import { constantString, objectProperty, unwrap } from './literals.js';
import { handlerClassKind, mayDeclareHandlers, operationOf, type HandlerClassKind, type Transport } from './operations.js';

export const HTTP_DECORATORS: Readonly<Record<string, string>> = {
  Get: 'GET', Post: 'POST', Put: 'PUT', Patch: 'PATCH', Delete: 'DELETE', Head: 'HEAD', Options: 'OPTIONS', All: 'ALL', Search: 'SEARCH', Sse: 'GET',
};

/** A class whose methods Nest calls for requests or messages: a controller, a GraphQL resolver or a WebSocket gateway. */
export interface ControllerInfo {
  cls: ClassDeclaration;
  file: SourceFile;
  name: string;
  kind: HandlerClassKind;
  paths: string[];
  /** `@Controller({ version })`; `NEUTRAL` stands for `VERSION_NEUTRAL`. */
  versions?: string[];
  /** `@Controller({ host })`. */
  hosts?: string[];
  /** `@Controller`, `@Resolver` or `@WebSocketGateway`. */
  decorator: Decorator;
  /** The class decorator with its arguments (resolver type, gateway namespace). */
  owner: DecoratorRef;
  /** The base-class chain, nearest first (only classes found in the project). */
  bases: ClassDeclaration[];
  routes: RouteInfo[];
}

/** One handler: an HTTP route, or a GraphQL field, WebSocket message or microservice message handler. */
export interface RouteInfo {
  controller: ControllerInfo;
  method: MethodDeclaration;
  declaringClass: ClassDeclaration;
  /** Set when the handler is declared in a base class rather than the controller. */
  inheritedFrom?: string;
  transport: Transport;
  /** HTTP method; `QUERY`, `MUTATION`, `SUBSCRIPTION`, `FIELD` (GraphQL), `MESSAGE`, `EVENT` (WebSocket, microservices). */
  httpMethod: string;
  /** The decorator that makes the method a handler (`@Get`, `@Query`, `@SubscribeMessage`, `@MessagePattern`…). */
  httpDecorator: Decorator;
  paths: string[];
  versions?: string[];
  /** The operation name of a non-HTTP handler: `Query.orders`, `ws:events/message`, `rpc:{cmd:'sum'}`. */
  operation?: string;
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
    const http = ctrl.kind === 'controller' ? decorators.find((d) => d.binding?.module === NEST_COMMON && d.binding.name in HTTP_DECORATORS) : undefined;
    const inheritedFrom = declaringClass === ctrl.cls ? undefined : declaringClass.getName() ?? '(anonymous)';
    if (http?.binding) {
      const version = decorators.find((d) => isFrom(d, NEST_COMMON, 'Version'));
      routes.push({
        controller: ctrl,
        method,
        declaringClass,
        inheritedFrom,
        transport: 'http',
        httpMethod: HTTP_DECORATORS[http.binding.name] ?? 'GET',
        httpDecorator: http.node,
        paths: pathsOf(ws, http.args[0]) ?? [''],
        versions: versionsOf(ws, version?.args[0]) ?? ctrl.versions,
      });
      continue;
    }
    for (const d of decorators) {
      const op = operationOf(ws, d, name, ctrl.cls, ctrl.kind, ctrl.owner);
      // A field resolver without a decision of its own is reached only through its checked root fields.
      if (!op || (op.kind === 'FIELD' && !decorators.some((x) => x.binding?.module === BASTION_NEST))) continue;
      routes.push({ controller: ctrl, method, declaringClass, inheritedFrom, transport: op.transport, httpMethod: op.kind, httpDecorator: d.node, paths: [op.name], operation: op.name });
      break;
    }
  }
  return routes;
}

/**
 * Finds every `@Controller` class (HTTP routes and microservice message handlers), `@Resolver` class and
 * `@WebSocketGateway` class of the project and their handlers, including those inherited from base classes.
 */
export function findControllers(ws: Workspace): ControllerInfo[] {
  const out: ControllerInfo[] = [];
  for (const file of ws.allFiles) {
    if (!mayDeclareHandlers(file.getFullText())) continue;
    const imports = importsOf(file);
    for (const cls of file.getClasses()) {
      let kind: HandlerClassKind | undefined;
      const dec = resolveDecorators(cls.getDecorators(), imports).find((d) => (kind = handlerClassKind(d, NEST_COMMON)) !== undefined);
      if (!dec || !kind) continue;
      const arg = kind === 'controller' ? dec.args[0] : undefined;
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
      const ctrl: ControllerInfo = { cls, file, name: cls.getName() ?? '(anonymous)', kind, paths: paths ?? [''], versions, hosts, decorator: dec.node, owner: dec, bases, routes: [] };
      const seen = new Set<string>();
      ctrl.routes = [cls, ...bases].flatMap((c) => routesOf(ws, ctrl, c, seen));
      out.push(ctrl);
    }
  }
  return out;
}
