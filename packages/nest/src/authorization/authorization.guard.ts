import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { httpContextFrom } from '../contexts/http/http-context.js';
import { nonHttpContextAllowed } from '../contexts/non-http.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { Principal } from '../core/principal.js';
import type { RequestContext } from '../core/request-context.js';
import type { RouteContext } from '../core/route-context.js';
import { TracedStep } from '../telemetry/traced-step.js';
import { UnauthenticatedException } from '../errors/bastion.exception.js';
import { boundaryViolation } from './boundaries.js';
import { checkRoles, checkScopes } from './check-requirements.js';
import { deny, policyDenial } from './deny.js';
import { policyContextOf, type PolicyContext } from './policy.js';
import { RouteSecurityMap } from './route-security-map.service.js';

/**
 * Global guard 3: enforces the route's boundary, scopes (all-of, then any-of), roles and policies, in
 * that order, after authentication. Every denial emits `authorization.denied` with the precise reason.
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
    const type = context.getType<string>();
    if (type !== 'http') return nonHttpContextAllowed(type, this.config);
    const ctx = httpContextFrom(context, this.config);
    const route = this.routeMap.routeOf(ctx, context);
    if (route.decision.public) return true;
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

    // Policies that need the validated body run later, in RouteInterceptor, after the pipes.
    if (route.guardPolicies.length > 0) {
      const policyContext = this.policyContext(ctx, principal, route);
      for (const policy of route.guardPolicies) {
        if ((await policy.evaluate(policyContext)) !== true) deny(this.events, ctx, route, policyDenial(policy));
      }
    }
    return true;
  }

  /** What policies see; override to add fields (e.g. a tenant resolved by middleware). */
  protected policyContext(ctx: RequestContext, principal: Principal, route: RouteContext): PolicyContext {
    return policyContextOf(ctx, principal, route.name);
  }
}
