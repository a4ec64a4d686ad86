import type { Transport } from '../core/request-context.js';
import { EVENT_PATTERN_HANDLER, TRANSPORT_METADATA } from '../nest-internals.js';

type Named = { readonly name: string };

/** A handler reached by something else than an HTTP route, as the route map lists it. */
export interface TransportHandler {
  readonly transport: Exclude<Transport, 'http'>;
  readonly handler: Named;
  readonly methodName: string;
  /** `QUERY`, `MUTATION`, `SUBSCRIPTION`, `FIELD`, `MESSAGE` or `EVENT`. */
  readonly method: string;
  /** `Query.orders`, the WebSocket message name, or the message patterns. */
  readonly paths: readonly string[];
  /** A `@ResolveField()`: listed and checked only when it states a decision of its own. */
  readonly field: boolean;
}

const ROOT_TYPES: Record<string, string> = { Query: 'QUERY', Mutation: 'MUTATION', Subscription: 'SUBSCRIPTION' };

/** The GraphQL type a `@Resolver(() => Order)` / `@Resolver('Order')` class resolves fields of. */
function typeNameOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value !== 'function') return undefined;
  try {
    const type = (value as () => unknown)();
    return typeof type === 'function' ? type.name : typeof type === 'string' ? type : undefined;
  } catch {
    return undefined;
  }
}

function patternText(pattern: unknown): string {
  return typeof pattern === 'string' ? pattern : (JSON.stringify(pattern) ?? String(pattern));
}

/**
 * What one method of a class is, from the GraphQL, WebSocket and microservice decorators' metadata:
 * a resolver field, a `@SubscribeMessage` handler, a `@MessagePattern`/`@EventPattern` handler, or
 * nothing (undefined). Framework-free: it reads `reflect-metadata` only.
 */
export function transportHandlerOf(cls: Named, handler: Named, methodName: string): TransportHandler | undefined {
  const property = Reflect.getMetadata(TRANSPORT_METADATA.resolveProperty, handler) === true;
  const rootType = Reflect.getMetadata(TRANSPORT_METADATA.resolverType, handler) as unknown;
  if (property || typeof rootType === 'string') {
    const name = (Reflect.getMetadata(TRANSPORT_METADATA.resolverName, handler) as string | undefined) ?? methodName;
    if (!property && typeof rootType === 'string' && rootType in ROOT_TYPES) {
      return { transport: 'graphql', handler, methodName, method: ROOT_TYPES[rootType]!, paths: [`${rootType}.${name}`], field: false };
    }
    const parent = typeNameOf(Reflect.getMetadata(TRANSPORT_METADATA.resolverType, cls)) ?? cls.name;
    return { transport: 'graphql', handler, methodName, method: 'FIELD', paths: [`${parent}.${name}`], field: true };
  }
  if (Reflect.getMetadata(TRANSPORT_METADATA.gateway, cls) === true && Reflect.getMetadata(TRANSPORT_METADATA.messageMapping, handler) === true) {
    const message = Reflect.getMetadata(TRANSPORT_METADATA.message, handler) as unknown;
    return { transport: 'ws', handler, methodName, method: 'MESSAGE', paths: [patternText(message)], field: false };
  }
  const patterns = Reflect.getMetadata(TRANSPORT_METADATA.pattern, handler) as unknown[] | undefined;
  if (Array.isArray(patterns) && patterns.length > 0) {
    const event = Reflect.getMetadata(TRANSPORT_METADATA.patternHandler, handler) === EVENT_PATTERN_HANDLER;
    return { transport: 'rpc', handler, methodName, method: event ? 'EVENT' : 'MESSAGE', paths: patterns.map(patternText), field: false };
  }
  return undefined;
}

/** True when the class is a WebSocket gateway (`@WebSocketGateway()`). */
export function isGateway(cls: object): boolean {
  return Reflect.getMetadata(TRANSPORT_METADATA.gateway, cls) === true;
}
