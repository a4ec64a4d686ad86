import { Inject, Injectable, Logger, RequestMethod, VersioningType, type OnApplicationBootstrap, type PipeTransform, type VersioningOptions } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef, ModulesContainer } from '@nestjs/core';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { effectiveBoundary, type EffectiveBoundary } from './boundaries.js';
import type { Policy, PolicyType } from './policy.js';
import { hasDecision, hasRequirements, publicOverridesAuthenticated, readRouteDecision, type RouteDecision } from './route-decision.js';
import { routePaths } from './route-path.js';
import { RouteSecurityError } from './route-security.error.js';
import { describeRoute, readThrottle, type RouteSecurity } from './route-security.js';
import { dpopDecoratorProblem } from '../authentication/dpop/dpop-mode.js';

// Nest's own metadata keys (stable strings in Nest 11 and 12; not imported from internal paths).
const PATH_METADATA = 'path';
const METHOD_METADATA = 'method';
const VERSION_METADATA = '__version__';
const MODULE_PATH = '__module_path__';

/** What the authorization guard needs per handler, resolved once at boot. */
export interface ResolvedRoute {
  readonly decision: RouteDecision;
  readonly boundary: EffectiveBoundary | undefined;
  readonly policies: readonly Policy[];
  /** `Controller.method`. */
  readonly name: string;
  readonly methodName: string;
}

/** A controller class or handler function: only its identity and name are used. */
type Named = { readonly name: string };

interface AppConfigLike {
  getGlobalPrefix?(): string;
  getVersioning?(): VersioningOptions | undefined;
  getGlobalPipes?(): PipeTransform[];
}

/**
 * The route security map: built at `onApplicationBootstrap` from every controller route, it checks
 * that each route states an access decision (strict mode) and that its boundary and policies exist,
 * then serves the resolved requirements to the authorization guard. Inject it to print or export
 * the map (`routeSecurityMap.routes()`).
 */
@Injectable()
export class RouteSecurityMap implements OnApplicationBootstrap {
  private readonly logger = new Logger('Bastion');
  /**
   * Keyed by controller, then handler: an inherited handler (a generic base controller) is one function
   * shared by every subclass, and each subclass's class-level decision applies to its own routes.
   */
  private readonly byRoute = new Map<Named, Map<Named, ResolvedRoute>>();
  private readonly rows: RouteSecurity[] = [];
  private scanned: { errors: string[]; undecided: string[] } | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly moduleRef: ModuleRef,
    private readonly modules: ModulesContainer,
    private readonly events: SecurityEvents,
    @Inject(BASTION_OPTIONS) private readonly options: BastionOptions,
  ) {}

  /**
   * Every route with what Bastion enforces on it, in discovery order. Usable before `app.init()` (for
   * OpenAPI generation): the scan then runs early, and its problems are still raised at bootstrap.
   */
  routes(): readonly RouteSecurity[] {
    this.scanOnce();
    return this.rows;
  }

  /** The resolved requirements of a handler; resolves (and caches) routes the scan did not see. */
  resolve(handler: Named, controller: Named): ResolvedRoute {
    let route = this.byRoute.get(controller)?.get(handler);
    if (!route) {
      const name = `${controller.name}.${handler.name}`;
      const decision = readRouteDecision(handler, controller);
      route = { decision, name, methodName: handler.name, boundary: effectiveBoundary(this.options, decision.boundary), policies: decision.policies.map((p) => this.policy(p)) };
      this.remember(controller, handler, route);
    }
    return route;
  }

  onApplicationBootstrap(): void {
    const { errors, undecided } = this.scanOnce();
    const problems = [...errors];
    if (undecided.length > 0 && this.options.strict !== false) {
      problems.push(...undecided.map((r) => `${r}: no access decision (add @Public(), @Authenticated(), @RequireScopes(), @RequireAnyScope(), @Roles() or @UsePolicy(); or set strict: false)`));
    } else if (undecided.length > 0) {
      this.logger.warn(`routes without an access decision (denied to anonymous callers): ${undecided.join(', ')}`);
      this.events.emit({ type: 'configuration.warning', outcome: 'info', reason: 'ERR_ROUTE_UNDECIDED', details: { routes: undecided } });
    }
    if (problems.length > 0) throw new RouteSecurityError(problems);
  }

  private scanOnce(): { errors: string[]; undecided: string[] } {
    if (this.scanned) return this.scanned;
    const errors: string[] = [];
    const undecided: string[] = [];
    const config = this.appConfig();
    for (const wrapper of this.discovery.getControllers()) {
      // The class prototype, not the instance: request-scoped controllers have no static instance.
      const controller = wrapper.metatype as (Named & { prototype?: Record<string, unknown> }) | undefined;
      const prototype = controller?.prototype;
      if (!controller || typeof prototype !== 'object' || prototype === null) continue;
      const hostModule = (wrapper as { host?: { metatype?: Named } }).host?.metatype;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[methodName];
        if (typeof handler !== 'function' || Reflect.getMetadata(PATH_METADATA, handler) === undefined) continue;
        const row = this.scan(controller, handler, methodName, hostModule, config, errors);
        if (row?.undecided) undecided.push(describeRoute(row));
      }
    }
    this.scanned = { errors, undecided };
    return this.scanned;
  }

  private scan(controller: Named, handler: Named, methodName: string, hostModule: Named | undefined, config: AppConfigLike | undefined, errors: string[]): RouteSecurity | undefined {
    const decision = readRouteDecision(handler, controller);
    const method = RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler) as number] ?? 'GET';
    const paths = routePaths({
      globalPrefix: config?.getGlobalPrefix?.(),
      modulePath: hostModule ? this.modulePath(hostModule) : undefined,
      controllerPaths: toArray(Reflect.getMetadata(PATH_METADATA, controller)),
      methodPaths: toArray(Reflect.getMetadata(PATH_METADATA, handler)),
      ...this.versions(controller, handler, config?.getVersioning?.()),
    });
    const label = describeRoute({ controller: controller.name, handler: methodName, method, path: paths[0]! });
    for (const decorator of decision.emptyLists) errors.push(`${label}: ${decorator}() needs at least one value`);
    if (decision.public && hasRequirements(decision)) errors.push(`${label}: @Public() cannot be combined with scopes, roles or policies`);
    if (publicOverridesAuthenticated(handler, controller)) errors.push(`${label}: @Public() cannot be combined with @Authenticated() at the same or a more specific level`);
    const dpopProblem = dpopDecoratorProblem(handler, controller, this.options);
    if (dpopProblem) errors.push(`${label}: ${dpopProblem}`);
    let boundary: EffectiveBoundary | undefined;
    try {
      boundary = effectiveBoundary(this.options, decision.boundary);
    } catch (error) {
      errors.push(`${label}: ${(error as Error).message} (define it in the "boundaries" option)`);
      return undefined;
    }
    const policies: Policy[] = [];
    for (const type of decision.policies) {
      try {
        policies.push(this.policy(type));
      } catch (error) {
        errors.push(`${label}: ${(error as Error).message}`);
      }
    }
    this.remember(controller, handler, { decision, boundary, policies, name: `${controller.name}.${methodName}`, methodName });
    const row: RouteSecurity = {
      controller: controller.name,
      handler: methodName,
      method,
      path: paths[0]!,
      paths,
      boundary: boundary?.name,
      accepts: boundary ? [...boundary.options.accept] : 'any',
      public: decision.public,
      baseline: decision.baseline,
      authenticated: decision.authenticated,
      scopes: decision.scopes,
      anyScopes: decision.anyScopes,
      roles: decision.roles,
      policies: decision.policies.map((p) => p.name),
      undecided: !hasDecision(decision),
      throttle: readThrottle(handler, controller),
    };
    this.rows.push(row);
    return row;
  }

  private remember(controller: Named, handler: Named, route: ResolvedRoute): void {
    let handlers = this.byRoute.get(controller);
    if (!handlers) this.byRoute.set(controller, (handlers = new Map()));
    handlers.set(handler, route);
  }

  private policy(type: PolicyType): Policy {
    let instance: unknown;
    try {
      instance = this.moduleRef.get(type, { strict: false });
    } catch (error) {
      // Request-scoped providers cannot be resolved once at boot; say so rather than "not a provider".
      if ((error as Error)?.name === 'InvalidClassScopeException' || /scoped provider/i.test((error as Error)?.message ?? '')) {
        throw new Error(`policy ${type.name} must be a singleton provider (request- or transient-scoped policies are not supported)`, { cause: error });
      }
      throw new Error(`policy ${type.name} is not a provider (add it to a module's "providers")`, { cause: error });
    }
    if (typeof (instance as Policy | undefined)?.evaluate !== 'function') throw new Error(`policy ${type.name} has no evaluate(context) method`);
    return instance as Policy;
  }

  private modulePath(hostModule: Named): string | undefined {
    const id = (this.modules as { applicationId?: string }).applicationId ?? '';
    return (Reflect.getMetadata(MODULE_PATH + id, hostModule) ?? Reflect.getMetadata(MODULE_PATH, hostModule)) as string | undefined;
  }

  private versions(controller: Named, handler: Named, versioning: VersioningOptions | undefined) {
    if (versioning?.type !== VersioningType.URI) return {};
    const value = (Reflect.getMetadata(VERSION_METADATA, handler) ?? Reflect.getMetadata(VERSION_METADATA, controller) ?? versioning.defaultVersion) as unknown;
    if (value === undefined) return {};
    const prefix = versioning.prefix === false ? '' : (versioning.prefix ?? 'v');
    return { versions: (Array.isArray(value) ? value : [value]) as (string | symbol)[], versionPrefix: prefix };
  }

  /** The app's global pipes (`useGlobalPipes` and `APP_PIPE`), for policies that need the validated body. */
  globalPipes(): PipeTransform[] {
    return this.appConfig()?.getGlobalPipes?.() ?? [];
  }

  private appConfig(): AppConfigLike | undefined {
    // The global prefix and versioning live in Nest's ApplicationConfig, which is not a provider; the
    // container exposes it. Read defensively: without it, paths are shown without the prefix.
    return (this.moduleRef as unknown as { container?: { applicationConfig?: AppConfigLike } }).container?.applicationConfig;
  }
}

function toArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}
