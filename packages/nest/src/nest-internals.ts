/**
 * The one place that relies on private NestJS, `@nestjs/throttler`, adapter and Passport internals:
 * metadata keys, container fields and adapter flags they do not export as API. Each access says why it
 * is needed and what breaks if it changes; `test/nest-internals.test.ts` (NestJS 12) and
 * `test/interop/nest-internals.test.ts` at the repository root (NestJS 11) check every one against the
 * installed versions. Nothing here imports a Nest value, so the same code runs against either.
 */
import type { PipeTransform, VersioningOptions } from '@nestjs/common';

/* ---------------------------------------------------------------- route metadata (@nestjs/common) */

/**
 * Metadata keys written by `@Controller()`, `@Get()`…, `@Version()` and `RouterModule`, from
 * `@nestjs/common/constants` (a deep import, not public API; stable strings since Nest 8). If one
 * changed, the route map would list routes without their path, method or version; no request would
 * be allowed or denied differently (decisions are Bastion's own metadata).
 */
export const NEST_METADATA = {
  path: 'path',
  method: 'method',
  version: '__version__',
  modulePath: '__module_path__',
  routeArguments: '__routeArguments__',
  /** `@UseGuards()` (`GUARDS_METADATA`): Bastion adds its guard chain to WebSocket gateways and message handler classes. */
  guards: '__guards__',
  /** `@UseFilters()` (`EXCEPTION_FILTERS_METADATA`): Bastion adds its exception filter to WebSocket gateways. */
  filters: '__exceptionFilters__',
} as const;

/** `RouteParamtypes.BODY` (an internal enum of `@nestjs/common`): the `@Body()` entries of `__routeArguments__`. */
const BODY_PARAM_TYPE = 3;

/** The parts of Nest's `ApplicationConfig` Bastion reads. */
export interface ApplicationConfigLike {
  getGlobalPrefix?(): string;
  /** `setGlobalPrefix`'s options; `exclude` lists the routes served without the prefix. */
  getGlobalPrefixOptions?(): { exclude?: unknown[] };
  getVersioning?(): VersioningOptions | undefined;
  getGlobalPipes?(): PipeTransform[];
  /** The live array of global guards, in the order Nest runs them. */
  getGlobalGuards?(): unknown[];
}

/**
 * Nest's `ApplicationConfig` (global prefix, versioning, global pipes) through a `ModuleRef`'s private
 * `container` field: it is not a provider. Without it the route map shows paths without the prefix or
 * version, and policies that need the validated body skip the app's `useGlobalPipes()` pipes
 * (the pipe Bastion registers itself still runs).
 */
export function applicationConfigOf(moduleRef: object): ApplicationConfigLike | undefined {
  return (moduleRef as { container?: { applicationConfig?: ApplicationConfigLike } }).container?.applicationConfig;
}

/**
 * The `ApplicationConfig` of an app, through `NestApplication`'s private `config` field (no getter).
 * `configureBastion` reorders its global guards: Nest runs them in module scan order, root module first,
 * and the app's `APP_GUARD`s there would answer before Bastion's. If the field moved, Bastion's guards
 * would keep Nest's order: an app guard registered in the root module would again run first (its own
 * answer, no Bastion event or limit for the requests it refuses); nothing Bastion itself checks changes.
 */
export function applicationConfigOfApp(app: object): ApplicationConfigLike | undefined {
  return (app as { config?: ApplicationConfigLike }).config;
}

/**
 * The `RouterModule` path of a module: Nest stores it under `__module_path__` + the application id
 * (private `applicationId` of `ModulesContainer`), or without the id in older versions. Without it, the
 * route map shows paths without the `RouterModule` segment.
 */
export function modulePathOf(modules: object, hostModule: object): string | undefined {
  const id = (modules as { applicationId?: string }).applicationId ?? '';
  return (Reflect.getMetadata(NEST_METADATA.modulePath + id, hostModule) ?? Reflect.getMetadata(NEST_METADATA.modulePath, hostModule)) as string | undefined;
}

/** The module class a controller is declared in: `InstanceWrapper.host` (not part of the discovery API's types). */
export function hostModuleOf(wrapper: object): object | undefined {
  return (wrapper as { host?: { metatype?: object } }).host?.metatype;
}

/** The handler's whole-body `@Body()` parameter: its position and its parameter pipes. */
export interface BodyArgument {
  index: number;
  pipes: PipeTransform[];
}

/**
 * Finds the handler's `@Body()` parameter (the whole body, not `@Body('field')`) in Nest's route
 * argument metadata (`__routeArguments__`, keys `<paramtype>:<index>`). Needed by policies that run on
 * the validated body; if the format changed, such a route would run its policies on an unvalidated
 * value — so the body policies are covered by e2e tests on every Nest version tested.
 */
export function wholeBodyArgument(controller: { prototype: object }, methodName: string): BodyArgument | undefined {
  const args = (Reflect.getMetadata(NEST_METADATA.routeArguments, controller, methodName) ?? {}) as Record<string, { index: number; data?: unknown; pipes?: unknown[] }>;
  for (const [key, arg] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== BODY_PARAM_TYPE || arg.data !== undefined) continue;
    const pipes = (arg.pipes ?? []).filter((p): p is PipeTransform => typeof (p as PipeTransform)?.transform === 'function');
    return { index: arg.index, pipes };
  }
  return undefined;
}

/* --------------------------------------------------------------------------- @nestjs/throttler */

// Not exported from the package's entry point (`throttler.constants.js`); the decorators write
// `<key><throttler name>` on the handler or class.
const THROTTLER = { limit: 'THROTTLER:LIMIT', ttl: 'THROTTLER:TTL', blockDuration: 'THROTTLER:BLOCK_DURATION', skip: 'THROTTLER:SKIP' } as const;

/** A `@Throttle()` value: a number or a function of the execution context. */
export type ThrottleValue = number | ((context: never) => number | Promise<number>);

/** What `@Throttle()` / `@SkipThrottle()` say about one throttler on a route (method first, then class). */
export interface ThrottleDecorators {
  skip: boolean;
  limit: ThrottleValue | undefined;
  ttl: ThrottleValue | undefined;
  blockDuration: ThrottleValue | undefined;
}

/**
 * Reads `@Throttle({ [name]: … })` and `@SkipThrottle({ [name]: true })` as `ThrottlerGuard` does
 * (`getAllAndOverride`: the handler's value, else the class's). If the keys changed, routes would fall
 * back to Bastion's budgets: a route-specific limit (e.g. on login) would silently become the general one.
 */
export function throttleDecorators(handler: object, controller: object, name: string): ThrottleDecorators {
  const read = <T>(key: string): T | undefined => (Reflect.getMetadata(key + name, handler) ?? Reflect.getMetadata(key + name, controller)) as T | undefined;
  return {
    skip: read<boolean>(THROTTLER.skip) === true,
    limit: read<ThrottleValue>(THROTTLER.limit),
    ttl: read<ThrottleValue>(THROTTLER.ttl),
    blockDuration: read<ThrottleValue>(THROTTLER.blockDuration),
  };
}

/** Throttler names that have `@Throttle()`/`@SkipThrottle()` metadata on `target` (own metadata only). */
export function throttlerNamesOn(target: object): string[] {
  const names = new Set<string>();
  for (const key of Reflect.getOwnMetadataKeys(target)) {
    if (typeof key !== 'string') continue;
    for (const prefix of Object.values(THROTTLER)) if (key.startsWith(prefix)) names.add(key.slice(prefix.length) || 'default');
  }
  return [...names];
}

/* ------------------------------------------------------------------------------------ adapters */

/**
 * Names Nest's `ExpressAdapter` looks for (`isMiddlewareApplied`: a router layer whose handler has this
 * function name) before registering its own `body-parser` at `init()`. Bastion's body middleware
 * carries these names so Nest adds neither parser; if Nest changed them, its `qs`-based parsers would
 * run after Bastion's and see an already-read body (body-parser skips bodies marked `_body`).
 */
export const EXPRESS_PARSER_NAMES = { json: 'jsonParser', urlencoded: 'urlencodedParser' } as const;

/**
 * Tells a Fastify adapter that body parsers are registered. Nest 12 skips its own parsers when a
 * `'*'` parser exists (`hasCustomBodyParser`); Nest 11 only checks its private `_isParserRegistered`
 * flag (set by its own `useBodyParser` in recent 11.x releases, not in every one) and would otherwise
 * add a second JSON parser at `init()`, which Fastify refuses (`FST_ERR_CTP_ALREADY_PRESENT`, the app
 * does not start).
 */
export function markFastifyParsersRegistered(adapter: object): void {
  const legacy = adapter as { hasCustomBodyParser?: unknown; _isParserRegistered?: boolean };
  if (typeof legacy.hasCustomBodyParser !== 'function') legacy._isParserRegistered = true;
}

/* ------------------------------------------------------------------------------------ passport */

/** The parts of a Passport strategy a Bastion authenticator calls. */
export interface PassportStrategyLike {
  name?: string;
  authenticate(this: PassportStrategyLike, req: unknown, options?: unknown): void;
}

/**
 * A strategy registered with Passport (`passport.use(name, strategy)`, which `@nestjs/passport`'s
 * `PassportStrategy` does in its constructor), through Passport's private `_strategy(name)`: Passport
 * has no public getter. If it changed, `passportAuthenticator` would find no strategy and every
 * request with that credential would get the uniform 401 (fail closed).
 */
export function registeredPassportStrategy(passport: object, name: string): PassportStrategyLike | undefined {
  const lookup = (passport as { _strategy?: (name: string) => unknown })._strategy;
  const strategy = typeof lookup === 'function' ? lookup.call(passport, name) : undefined;
  return typeof (strategy as PassportStrategyLike | undefined)?.authenticate === 'function' ? (strategy as PassportStrategyLike) : undefined;
}

/* ---------------------------------------------------------- @nestjs/graphql, websockets, microservices */

/**
 * Metadata keys written by `@Query()`/`@Mutation()`/`@Subscription()`/`@ResolveField()`,
 * `@WebSocketGateway()`/`@SubscribeMessage()` and `@MessagePattern()`/`@EventPattern()` (the packages'
 * `constants` files, not exported as API; stable strings since Nest 7). If one changed, the route map
 * would not list those handlers and strict mode would not name them at boot; requests would still be
 * checked (the guards read Bastion's own metadata) and undecided handlers still denied to anonymous callers.
 */
export const TRANSPORT_METADATA = {
  resolverType: 'graphql:resolver_type',
  resolverName: 'graphql:resolver_name',
  resolveProperty: 'graphql:resolve_property',
  gateway: 'websockets:is_gateway',
  gatewayOptions: 'websockets:gateway_options',
  messageMapping: 'websockets:message_mapping',
  message: 'message',
  pattern: 'microservices:pattern',
  patternHandler: 'microservices:handler_type',
} as const;

/** `PatternHandler.EVENT` of `@nestjs/microservices` (`@EventPattern`); `1` is `MESSAGE`. */
export const EVENT_PATTERN_HANDLER = 2;

/** The WebSocket adapter set with `app.useWebSocketAdapter()`, from Nest's `ApplicationConfig` (private to the app). */
export function webSocketAdapterOf(moduleRef: object): object | undefined {
  const config = (moduleRef as { container?: { applicationConfig?: { getIoAdapter?(): object | undefined } } }).container?.applicationConfig;
  return config?.getIoAdapter?.();
}

/**
 * Mercurius calls `subscription.onConnect(data)` as a method of its connection object, whose `socket`
 * (the `ws` socket) and `context.request` are the only way to close the connection with a chosen code
 * and to know its client: the hook gets neither. If the fields moved, Bastion closes no socket itself
 * and Mercurius refuses the connection with its own `connection_error` (still refused).
 */
export function mercuriusConnectionOf(self: unknown): { socket?: { close(code?: number, reason?: string): void }; request?: { raw?: object } } {
  const connection = self as { socket?: { close(code?: number, reason?: string): void }; context?: { request?: { raw?: object } } } | undefined;
  return { socket: connection?.socket, request: connection?.context?.request };
}
