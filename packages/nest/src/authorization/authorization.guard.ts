import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { responseHeadersOf } from '../authentication/response-headers.js';
import { contextOf } from '../contexts/context-of.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { Principal } from '../core/principal.js';
import type { RequestContext } from '../core/request-context.js';
import type { RouteContext } from '../core/route-context.js';
import { TracedStep } from '../telemetry/traced-step.js';
import { UnauthenticatedException } from '../errors/bastion.exception.js';
import { errorForContext } from '../errors/transport-error.js';
import { applyRouteHeaders } from '../transport/route-headers.js';
import { enforceBodyPolicies } from './body-policies.js';
import { boundaryViolation } from './boundaries.js';
import { checkRoles, checkScopes } from './check-requirements.js';
import { deny, policyDenial } from './deny.js';
import { policyContextOf, type PolicyContext } from './policy.js';
import type { ResolvedRoute } from './resolved-route.js';
import { RouteSecurityMap } from './route-security-map.service.js';
import { leftToHandlerChain } from './handler-guards.js';

/**
 * Global guard 3: enforces the route's boundary, scopes (all-of, then any-of), roles and policies, in
 * that order, after authentication — the policies that need the validated body last, on the body the
 * pipes produce. Every denial emits `authorization.denied` with the precise reason. A request it lets
 * through gets the route's `@SecurityHeaders()` overrides (a denied one keeps the preset).
 * Subclass and override the protected hooks, then register the subclass with `guards.authorization`.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    protected readonly routeMap: RouteSecurityMap,
    protected readonly events: SecurityEvents,
    @Inject(BASTION_CONFIG) protected readonly config: BastionConfig,
  ) {}

  @TracedStep('authorize')
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (leftToHandlerChain(context)) return true;
    try {
      return await this.authorize(context);
    } catch (error) {
      throw await errorForContext(context, error);
    }
  }

  /** The checks of `canActivate`, on any transport. */
  protected async authorize(context: ExecutionContext): Promise<boolean> {
    const ctx = contextOf(context, this.config);
    if (ctx.passThrough) return true;
    const route = this.routeMap.routeOf(ctx, context);
    if (route.decision.public) return this.admit(context, ctx, route);
    const principal = ctx.principal;
    // Fail closed: authentication runs first and never lets an anonymous call reach here, unless it
    // was replaced or misconfigured.
    if (!principal) throw new UnauthenticatedException({ reason: 'ERR_PRINCIPAL_MISSING' });

    const outsideBoundary = boundaryViolation(route.boundary, principal);
    if (outsideBoundary) deny(this.events, ctx, route, { code: 'ERR_BOUNDARY_DENIED', detail: outsideBoundary });

    const scopes = checkScopes(principal.scopes, route.decision.scopes, route.decision.anyScopes);
    if (!scopes.ok) {
      // RFC 6750 §3.1: insufficient_scope, with the scope necessary to access the resource.
      deny(this.events, ctx, route, {
        code: 'ERR_SCOPE_MISSING',
        detail: `scopes missing: ${scopes.missing.join(' ')}`,
        exception: { challenge: { error: 'insufficient_scope', scope: scopes.required.join(' ') } },
      });
    }
    const roles = checkRoles(principal.roles, route.decision.roles);
    if (!roles.ok) deny(this.events, ctx, route, { code: 'ERR_ROLE_MISSING', detail: `roles missing: one of ${roles.missing.join(' ')}` });

    if (route.guardPolicies.length > 0) {
      const policyContext = this.policyContext(ctx, principal, route);
      for (const policy of route.guardPolicies) {
        if ((await policy.evaluate(policyContext)) !== true) deny(this.events, ctx, route, policyDenial(policy));
      }
    }
    // Here rather than in an interceptor: a global interceptor makes Nest run an rxjs pipeline for every
    // route of the app, and only routes with such policies need this.
    if (route.bodyPolicies.length > 0 && context.getType<string>() === 'http') await enforceBodyPolicies(ctx, route, this.routeMap.globalPipes(), this.events);
    return this.admit(context, ctx, route);
  }

  /**
   * The request passed: the headers authentication asked for (a fresh DPoP nonce) are written, and the
   * route's `@SecurityHeaders()` overrides replace the preset from here on.
   */
  private admit(context: ExecutionContext, ctx: RequestContext, route: ResolvedRoute): true {
    if (context.getType<string>() !== 'http') return true;
    const authenticationHeaders = responseHeadersOf(ctx);
    if (authenticationHeaders) applyRouteHeaders(context.switchToHttp().getResponse(), authenticationHeaders);
    if (route.securityHeaders) applyRouteHeaders(context.switchToHttp().getResponse(), route.securityHeaders);
    return true;
  }

  /** What policies see; override to add fields (e.g. a tenant resolved by middleware). */
  protected policyContext(ctx: RequestContext, principal: Principal, route: RouteContext): PolicyContext {
    return policyContextOf(ctx, principal, route.name);
  }
}
