import { Inject, Injectable, Logger, RequestMethod, VersioningType, type ExecutionContext, type OnApplicationBootstrap, type PipeTransform, type VersioningOptions } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, ModuleRef, ModulesContainer } from '@nestjs/core';
import { SecurityEvents } from '../audit/security-events.service.js';
import type { HttpRequestContext } from '../contexts/http/http-request-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { NEST_METADATA, applicationConfigOf, hostModuleOf, modulePathOf, throttleDecorators, type ApplicationConfigLike } from '../nest-internals.js';
import { BASTION_THROTTLER } from '../throttling/throttler-config.js';
import { SECURITY_HEADERS_KEY } from '../transport/security-headers.decorator.js';
import type { SecurityHeadersOptions } from '../transport/transport-options.js';
import { effectiveBoundary, type EffectiveBoundary } from './boundaries.js';
import type { Policy, PolicyType } from './policy.js';
import type { ResolvedRoute, RouteThrottling } from './resolved-route.js';
import { hasDecision, hasRequirements, inheritanceConflicts, publicOverridesAuthenticated, readRouteDecision, type RouteDecision } from './route-decision.js';
import { routePaths } from './route-path.js';
import { RouteSecurityError } from './route-security.error.js';
import { describeRoute, readThrottle, type RouteSecurity } from './route-security.js';
import { bodyParamOf } from './validated-body.js';
import { dpopDecoratorProblem, dpopModeOf } from '../authentication/dpop/dpop-mode.js';

export type { ResolvedRoute } from './resolved-route.js';

/** A controller class or handler function: only its identity and name are used. */
type Named = { readonly name: string };

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
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
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
      const decision = readRouteDecision(handler, controller);
      route = this.remember(controller, handler, handler.name, decision, effectiveBoundary(this.config, decision.boundary), decision.policies.map((p) => this.policy(p)), []);
    }
    return route;
  }

  /** The route of a request: resolved on the first call for the request, then read from its context. */
  routeOf(ctx: HttpRequestContext, context: ExecutionContext): ResolvedRoute {
    return (ctx.route ??= this.resolve(context.getHandler(), context.getClass()));
  }

  onApplicationBootstrap(): void {
    const { errors, undecided } = this.scanOnce();
    const problems = [...errors];
    if (undecided.length > 0 && this.config.strict) {
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
    const config = applicationConfigOf(this.moduleRef);
    for (const wrapper of this.discovery.getControllers()) {
      // The class prototype, not the instance: request-scoped controllers have no static instance.
      const controller = wrapper.metatype as (Named & { prototype?: Record<string, unknown> }) | undefined;
      const prototype = controller?.prototype;
      if (!controller || typeof prototype !== 'object' || prototype === null) continue;
      const hostModule = hostModuleOf(wrapper) as Named | undefined;
      for (const methodName of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[methodName];
        if (typeof handler !== 'function' || Reflect.getMetadata(NEST_METADATA.path, handler) === undefined) continue;
        const row = this.scan(controller, handler, methodName, hostModule, config, errors);
        if (row?.undecided) undecided.push(describeRoute(row));
      }
    }
    this.scanned = { errors, undecided };
    return this.scanned;
  }

  private scan(controller: Named, handler: Named, methodName: string, hostModule: Named | undefined, config: ApplicationConfigLike | undefined, errors: string[]): RouteSecurity | undefined {
    const decision = readRouteDecision(handler, controller);
    const method = RequestMethod[Reflect.getMetadata(NEST_METADATA.method, handler) as number] ?? 'GET';
    const paths = routePaths({
      globalPrefix: config?.getGlobalPrefix?.(),
      modulePath: hostModule ? modulePathOf(this.modules, hostModule) : undefined,
      controllerPaths: toArray(Reflect.getMetadata(NEST_METADATA.path, controller)),
      methodPaths: toArray(Reflect.getMetadata(NEST_METADATA.path, handler)),
      ...this.versions(controller, handler, config?.getVersioning?.()),
    });
    const label = describeRoute({ controller: controller.name, handler: methodName, method, path: paths[0]! });
    for (const decorator of decision.emptyLists) errors.push(`${label}: ${decorator}() needs at least one value`);
    const inherited = inheritanceConflicts(controller);
    for (const problem of inherited) errors.push(`${label}: ${problem}`);
    // Contradictions across the class chain are reported once, above, not again in these terms.
    if (inherited.length === 0) {
      if (decision.public && hasRequirements(decision)) errors.push(`${label}: @Public() cannot be combined with scopes, roles or policies`);
      if (publicOverridesAuthenticated(handler, controller)) errors.push(`${label}: @Public() cannot be combined with @Authenticated() at the same or a more specific level`);
    }
    const dpopProblem = dpopDecoratorProblem(handler, controller, this.config.dpop);
    if (dpopProblem) errors.push(`${label}: ${dpopProblem}`);
    let boundary: EffectiveBoundary | undefined;
    try {
      boundary = effectiveBoundary(this.config, decision.boundary);
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
    this.remember(controller, handler, methodName, decision, boundary, policies, paths);
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

  private remember(controller: Named, handler: Named, methodName: string, decision: RouteDecision, boundary: EffectiveBoundary | undefined, policies: Policy[], paths: readonly string[]): ResolvedRoute {
    const bodyPolicies = policies.filter((p) => p.needsValidatedBody === true);
    const route: ResolvedRoute = {
      name: `${controller.name}.${methodName}`,
      methodName,
      paths,
      decision,
      boundary,
      policies,
      guardPolicies: policies.filter((p) => p.needsValidatedBody !== true),
      bodyPolicies,
      bodyParam: bodyPolicies.length > 0 ? bodyParamOf(controller as Named & { prototype: object }, methodName) : undefined,
      throttle: this.throttling(handler, controller, boundary),
      securityHeaders: (Reflect.getMetadata(SECURITY_HEADERS_KEY, handler) ?? Reflect.getMetadata(SECURITY_HEADERS_KEY, controller)) as SecurityHeadersOptions | undefined,
      dpop: dpopModeOf(handler, controller, boundary, this.config.dpop),
    };
    let handlers = this.byRoute.get(controller);
    if (!handlers) this.byRoute.set(controller, (handlers = new Map()));
    handlers.set(handler, route);
    return route;
  }

  private throttling(handler: Named, controller: Named, boundary: EffectiveBoundary | undefined): RouteThrottling {
    const own = throttleDecorators(handler, controller, BASTION_THROTTLER);
    // A route with its own limit counts separately, so a strict login limit does not eat the general budget.
    const scope =
      own.limit !== undefined || own.ttl !== undefined
        ? `route:${controller.name}.${handler.name}`
        : boundary !== undefined && this.config.throttle.boundaries[boundary.name]
          ? `boundary:${boundary.name}`
          : 'api';
    return { ...own, scope };
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

  private versions(controller: Named, handler: Named, versioning: VersioningOptions | undefined) {
    if (versioning?.type !== VersioningType.URI) return {};
    const value = (Reflect.getMetadata(NEST_METADATA.version, handler) ?? Reflect.getMetadata(NEST_METADATA.version, controller) ?? versioning.defaultVersion) as unknown;
    if (value === undefined) return {};
    const prefix = versioning.prefix === false ? '' : (versioning.prefix ?? 'v');
    return { versions: (Array.isArray(value) ? value : [value]) as (string | symbol)[], versionPrefix: prefix };
  }

  /** The app's global pipes (`useGlobalPipes` and `APP_PIPE`), for policies that need the validated body. */
  globalPipes(): PipeTransform[] {
    return applicationConfigOf(this.moduleRef)?.getGlobalPipes?.() ?? [];
  }
}

function toArray(value: unknown): string[] {
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return typeof value === 'string' ? [value] : [];
}
