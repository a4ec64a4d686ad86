import { Node, type ClassDeclaration } from 'ts-morph';
import type { Workspace } from '../project/workspace.js';
import type { DecoratorRef } from './decorators.js';
import { constantString, objectProperty, unwrap } from './literals.js';

export const NEST_GRAPHQL = '@nestjs/graphql';
export const NEST_WEBSOCKETS = '@nestjs/websockets';
export const NEST_MICROSERVICES = '@nestjs/microservices';

/** How a handler is reached: an HTTP route, a GraphQL field, a WebSocket message or a microservice message. */
export type Transport = 'http' | 'graphql' | 'ws' | 'rpc';

/** The class decorators that make a class serve operations other than HTTP routes. */
export type HandlerClassKind = 'controller' | 'resolver' | 'gateway';

/** Method decorators of the non-HTTP handlers and the operation kind each gives (`method` column). */
const GRAPHQL_OPERATIONS: Readonly<Record<string, string>> = { Query: 'QUERY', Mutation: 'MUTATION', Subscription: 'SUBSCRIPTION', ResolveField: 'FIELD', ResolveProperty: 'FIELD' };
const ROOT_TYPES: Readonly<Record<string, string>> = { QUERY: 'Query', MUTATION: 'Mutation', SUBSCRIPTION: 'Subscription' };

/** One non-HTTP handler: its kind (`QUERY`, `MESSAGE`…) and operation name (`Query.orders`, `ws:events/message`, `rpc:{cmd:'sum'}`). */
export interface Operation {
  transport: Exclude<Transport, 'http'>;
  kind: string;
  name: string;
}

/** Text of a pattern or name that is not a literal: whitespace removed, as written (`{cmd:'sum'}`). */
function compact(node: Node): string {
  return node.getText().replace(/\s+/g, '');
}

/** `@Resolver(() => Order)`, `@Resolver(of => Order)`, `@Resolver('Order')`, `@Resolver(Order)`: the type name. */
export function resolverType(ws: Pick<Workspace, 'project'>, ref: DecoratorRef | undefined): string | undefined {
  const arg = unwrap(ref?.args[0]);
  if (!arg) return undefined;
  const named = constantString(ws.project, arg);
  if (named !== undefined) return named;
  if (Node.isArrowFunction(arg) || Node.isFunctionExpression(arg)) {
    const body = unwrap(arg.getBody());
    return body && Node.isIdentifier(body) ? body.getText() : undefined;
  }
  return Node.isIdentifier(arg) ? arg.getText() : undefined;
}

/** The field name of `@Query()`, `@Query('name')`, `@Query(() => T, { name })`, `@ResolveField('name', () => T)`: else the method's. */
function fieldName(ws: Pick<Workspace, 'project'>, ref: DecoratorRef, methodName: string): string {
  for (const arg of ref.args) {
    const literal = constantString(ws.project, arg);
    if (literal !== undefined) return literal;
    const option = constantString(ws.project, objectProperty(unwrap(arg), 'name'));
    if (option !== undefined) return option;
  }
  return methodName;
}

/** `@WebSocketGateway({ namespace })` / `@WebSocketGateway(port, { namespace, path })`: the namespace (or `ws` path), without slashes. */
export function gatewayNamespace(ws: Pick<Workspace, 'project'>, ref: DecoratorRef | undefined): string | undefined {
  const options = ref?.args.map((a) => unwrap(a)).find((a) => a !== undefined && Node.isObjectLiteralExpression(a));
  const node = objectProperty(options, 'namespace') ?? objectProperty(options, 'path');
  if (!node) return undefined;
  const value = constantString(ws.project, node) ?? `{${compact(node)}}`;
  return value.replace(/^\/+|\/+$/g, '') || undefined;
}

/**
 * The operation a method decorator declares, if it is a GraphQL field, a `@SubscribeMessage()` handler or a
 * `@MessagePattern()`/`@EventPattern()` handler. `owner` is the class decorator (`@Resolver`, `@WebSocketGateway`).
 */
export function operationOf(ws: Pick<Workspace, 'project'>, ref: DecoratorRef, methodName: string, cls: ClassDeclaration, kind: HandlerClassKind, owner: DecoratorRef | undefined): Operation | undefined {
  const b = ref.binding;
  if (!b) return undefined;
  if (kind === 'resolver' && b.module === NEST_GRAPHQL && b.name in GRAPHQL_OPERATIONS) {
    const op = GRAPHQL_OPERATIONS[b.name]!;
    const name = fieldName(ws, ref, methodName);
    const parent = ROOT_TYPES[op] ?? resolverType(ws, owner) ?? (cls.getName() ?? 'Object').replace(/Resolver$/, '');
    return { transport: 'graphql', kind: op, name: `${parent}.${name}` };
  }
  if (kind === 'gateway' && b.module === NEST_WEBSOCKETS && b.name === 'SubscribeMessage') {
    const arg = ref.args[0];
    const message = constantString(ws.project, arg) ?? (arg ? `{${compact(arg)}}` : methodName);
    const ns = gatewayNamespace(ws, owner);
    return { transport: 'ws', kind: 'MESSAGE', name: `ws:${ns ? `${ns}/` : ''}${message}` };
  }
  if (kind === 'controller' && b.module === NEST_MICROSERVICES && (b.name === 'MessagePattern' || b.name === 'EventPattern')) {
    const arg = ref.args[0];
    const pattern = constantString(ws.project, arg) ?? (arg ? compact(arg) : methodName);
    return { transport: 'rpc', kind: b.name === 'EventPattern' ? 'EVENT' : 'MESSAGE', name: `rpc:${pattern}` };
  }
  return undefined;
}

/** The kind of handler class a class decorator makes (`@Controller`, `@Resolver`, `@WebSocketGateway`). */
export function handlerClassKind(ref: DecoratorRef, common: string): HandlerClassKind | undefined {
  const b = ref.binding;
  if (b?.module === common && b.name === 'Controller') return 'controller';
  if (b?.module === NEST_GRAPHQL && b.name === 'Resolver') return 'resolver';
  if (b?.module === NEST_WEBSOCKETS && b.name === 'WebSocketGateway') return 'gateway';
  return undefined;
}

/** True when the file may declare handler classes (cheap text test before parsing decorators). */
export function mayDeclareHandlers(text: string): boolean {
  return text.includes('Controller') || text.includes('Resolver') || text.includes('WebSocketGateway');
}
