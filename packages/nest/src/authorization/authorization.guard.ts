import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { httpRequestOf, principalOf, type BastionRequest } from '../core/http-request.js';
import type { Principal } from '../core/principal.js';
import { BastionException, UnauthenticatedException } from '../errors/bastion.exception.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { RequestTelemetry, TracedStep } from '../telemetry/request-telemetry.js';
import { boundaryViolation } from './boundaries.js';
import { checkRoles, checkScopes } from './check-requirements.js';
import { deny, policyDenial } from './deny.js';
import { policyContextOf, type PolicyContext } from './policy.js';
import { RouteSecurityMap, type ResolvedRoute } from './route-security-map.service.js';

/**
 * Global guard 3: enforces the route's boundary, scopes (all-of, then any-of), roles and policies, in
 * that order, after authentication. Every denial emits `authorization.denied` with the precise reason.
 * Subclass and override the protected hooks to adapt it.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  /** The step's span. */
  @Optional() @Inject(RequestTelemetry) protected readonly telemetry?: RequestTelemetry;

  constructor(
    protected readonly routeMap: RouteSecurityMap,
    protected readonly events: SecurityEvents,
    @Inject(BASTION_OPTIONS) protected readonly options: BastionOptions,
  ) {}

  @TracedStep('authorize')
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const type = context.getType<string>();
    if (type !== 'http') {
      if (this.options.allowContexts?.includes(type as 'rpc' | 'ws')) return true;
      throw new BastionException('ERR_CONTEXT_UNSUPPORTED', { reason: `context ${type} not allowed` });
    }
    const route = this.routeMap.resolve(context.getHandler(), context.getClass());
    if (route.decision.public) return true;
    const req = httpRequestOf(context);
    const principal = principalOf(req);
    // Fail closed: authentication runs first and never lets an anonymous call reach here, unless it
    // was replaced or misconfigured.
    if (!principal) throw new UnauthenticatedException({ reason: 'ERR_PRINCIPAL_MISSING' });

    const outsideBoundary = boundaryViolation(route.boundary, principal);
    if (outsideBoundary) deny(this.events, req, principal, route, { code: 'ERR_BOUNDARY_DENIED', detail: outsideBoundary });

    const scopes = checkScopes(principal.scopes, route.decision.scopes, route.decision.anyScopes);
    if (!scopes.ok) {
      // RFC 6750 §3.1: insufficient_scope, with the scope necessary to access the resource.
      deny(this.events, req, principal, route, {
        code: 'ERR_SCOPE_MISSING',
        detail: `scopes missing: ${scopes.missing.join(' ')}`,
        exception: { challenge: { error: 'insufficient_scope', scope: scopes.required.join(' ') } },
      });
    }
    const roles = checkRoles(principal.roles, route.decision.roles);
    if (!roles.ok) deny(this.events, req, principal, route, { code: 'ERR_ROLE_MISSING', detail: `roles missing: one of ${roles.missing.join(' ')}` });

    // Policies that need the validated body run later, in AuthorizationBodyInterceptor, after the pipes.
    const policies = route.policies.filter((p) => p.needsValidatedBody !== true);
    if (policies.length > 0) {
      const policyContext = this.policyContext(req, principal, route);
      for (const policy of policies) {
        if ((await policy.evaluate(policyContext)) !== true) deny(this.events, req, principal, route, policyDenial(policy));
      }
    }
    return true;
  }

  /** What policies see; override to add fields (e.g. a tenant resolved by middleware). */
  protected policyContext(req: BastionRequest, principal: Principal, route: ResolvedRoute): PolicyContext {
    return policyContextOf(req, principal, route.name);
  }
}
