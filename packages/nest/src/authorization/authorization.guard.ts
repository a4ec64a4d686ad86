import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { httpRequestOf, principalOf, remoteAddressOf, requestIdOf, requestPathOf, type BastionRequest } from '../core/http-request.js';
import type { Principal } from '../core/principal.js';
import { BastionException, UnauthenticatedException, type BastionExceptionOptions } from '../errors/bastion.exception.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { boundaryViolation } from './boundaries.js';
import { checkRoles, checkScopes } from './check-requirements.js';
import type { Policy, PolicyContext } from './policy.js';
import { RouteSecurityMap, type ResolvedRoute } from './route-security-map.service.js';

/**
 * Global guard 3: enforces the route's boundary, scopes (all-of, then any-of), roles and policies, in
 * that order, after authentication. Every denial emits `authorization.denied` with the precise reason.
 * Subclass and override the protected hooks to adapt it.
 */
@Injectable()
export class AuthorizationGuard implements CanActivate {
  constructor(
    protected readonly routeMap: RouteSecurityMap,
    protected readonly events: SecurityEvents,
    @Inject(BASTION_OPTIONS) protected readonly options: BastionOptions,
  ) {}

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
    if (outsideBoundary) this.deny(req, principal, route, 'ERR_BOUNDARY_DENIED', outsideBoundary);

    const scopes = checkScopes(principal.scopes, route.decision.scopes, route.decision.anyScopes);
    if (!scopes.ok) {
      // RFC 6750 §3.1: insufficient_scope, with the scope necessary to access the resource.
      this.deny(req, principal, route, 'ERR_SCOPE_MISSING', `scopes missing: ${scopes.missing.join(' ')}`, {
        challenge: { error: 'insufficient_scope', scope: scopes.required.join(' ') },
      });
    }
    const roles = checkRoles(principal.roles, route.decision.roles);
    if (!roles.ok) this.deny(req, principal, route, 'ERR_ROLE_MISSING', `roles missing: one of ${roles.missing.join(' ')}`);

    if (route.policies.length > 0) {
      const policyContext = this.policyContext(req, principal, route);
      for (const policy of route.policies) {
        if ((await policy.evaluate(policyContext)) !== true) this.denyPolicy(req, principal, route, policy);
      }
    }
    return true;
  }

  /** What policies see; override to add fields (e.g. a tenant resolved by middleware). */
  protected policyContext(req: BastionRequest, principal: Principal, route: ResolvedRoute): PolicyContext {
    return {
      principal,
      request: req,
      params: (req.params ?? {}) as Record<string, string>,
      query: (typeof req.query === 'object' && req.query !== null ? req.query : {}) as Record<string, unknown>,
      body: req.body,
      handler: route.name,
    };
  }

  private denyPolicy(req: BastionRequest, principal: Principal, route: ResolvedRoute, policy: Policy): never {
    const name = policy.constructor.name;
    const code: ErrorCode = policy.onDeny === 'not-found' ? 'ERR_NOT_FOUND' : 'ERR_POLICY_DENIED';
    return this.deny(req, principal, route, code, `policy ${name} denied`, {}, 'ERR_POLICY_DENIED');
  }

  private deny(
    req: BastionRequest,
    principal: Principal,
    route: ResolvedRoute,
    code: ErrorCode,
    detail: string,
    options: BastionExceptionOptions = {},
    reason: string = code,
  ): never {
    this.events.emit({
      type: 'authorization.denied',
      outcome: 'denied',
      reason,
      requestId: requestIdOf(req),
      method: req.method,
      route: requestPathOf(req),
      ip: remoteAddressOf(req),
      principal: { subject: principal.subject, clientId: principal.clientId, credential: principal.credential, keyId: principal.tokenId },
      details: { handler: route.name, detail, boundary: route.boundary?.name },
    });
    throw new BastionException(code, { ...options, reason });
  }
}
