import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { AUTHENTICATION_FAILURE_EVENTS, type SecurityEvent, type SecurityEventType } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import type { ResolvedRoute } from '../authorization/resolved-route.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { httpContextFrom } from '../contexts/http/http-context.js';
import type { HttpRequestContext } from '../contexts/http/http-request-context.js';
import { nonHttpContextAllowed } from '../contexts/non-http.js';
import type { Authenticator } from '../core/authenticator.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { Principal } from '../core/principal.js';
import { BastionException, InvalidRequestException, InvalidTokenException, UnauthenticatedException } from '../errors/bastion.exception.js';
import { PRINCIPAL_CHECKS, type PrincipalCheck } from '../revocation/principal-check.js';
import { TracedStep } from '../telemetry/traced-step.js';
import { FAILED_CREDENTIAL_LIMIT, type FailedCredentialLimit } from '../throttling/failed-credential-limit.js';
import { AuthenticatorRegistry } from './authenticator-registry.js';
import { credentialChallenge } from './credential-challenge.js';
import { selectAuthenticator } from './credential-combinations.js';
import { presentedAuthenticators } from './presented.js';
import { announcesBody } from './signature/signature-request.js';

/**
 * Global guard 1: resolves the caller's principal from the one credential the request presents among
 * those its route's boundary accepts. Deny by default — only `@Public()` opts out — and fail closed on
 * execution contexts it does not understand. Subclass and override the protected hooks, then register
 * the subclass with the `guards.authentication` option.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    @Inject(BASTION_CONFIG) protected readonly config: BastionConfig,
    protected readonly events: SecurityEvents,
    protected readonly authenticators: AuthenticatorRegistry,
    protected readonly routes: RouteSecurityMap,
    /** Checks after verification (revocation, token lifetime); a rejection is the uniform 401 with its own audit reason. */
    @Optional() @Inject(PRINCIPAL_CHECKS) protected readonly principalChecks: PrincipalCheck[] = [],
    /** Counts rejected credentials against the client's anonymous budget (the throttler guard). */
    @Optional() @Inject(FAILED_CREDENTIAL_LIMIT) protected readonly failedCredentials?: FailedCredentialLimit,
  ) {}

  @TracedStep('authenticate')
  async canActivate(context: ExecutionContext): Promise<boolean> {
    const type = context.getType<string>();
    if (type !== 'http') return nonHttpContextAllowed(type, this.config);
    const ctx = httpContextFrom(context, this.config);
    const route = this.routes.routeOf(ctx, context);
    const presented = presentedAuthenticators(ctx, route, this.authenticators.all());
    if (presented.length === 0) {
      ctx.authentication = 'anonymous';
      if (route.decision.public) return true;
      this.events.emit(this.failure(ctx, 'ERR_CREDENTIAL_MISSING'));
      throw this.challenged(ctx, route, new UnauthenticatedException({ reason: 'ERR_CREDENTIAL_MISSING' }));
    }
    // A presented credential is verified even on a public route: an invalid token is never ignored.
    try {
      ctx.principal = await this.verify(ctx, route, presented);
      ctx.authentication = 'authenticated';
    } catch (error) {
      ctx.authentication = 'failed';
      const rejection = error instanceof Rejection ? error : new Rejection(error, this.failure(ctx, 'ERR_AUTHENTICATOR_FAILED'));
      // The count before authentication skipped this request (it carried a credential): it counts now,
      // against the client's anonymous budget; once that is spent the answer is its 429. Still one event.
      const limited = await this.failedCredentials?.chargeFailedCredential(context);
      if (limited) rejection.event.details = { ...rejection.event.details, throttled: limited.code };
      this.events.emit(rejection.event);
      throw limited ?? this.challenged(ctx, route, rejection.error);
    }
    this.events.emit({ type: 'authentication.succeeded', outcome: 'success', ...requestEventFields(ctx) });
    return true;
  }

  /**
   * Verifies the presented credential the route's boundary accepts — or the credentials it accepts only
   * together (an API key with a signature made with its signing key). Throws a `Rejection`: the error to
   * answer with and the one audit event that records why.
   */
  protected async verify(ctx: HttpRequestContext, route: ResolvedRoute, presented: readonly Authenticator[]): Promise<Principal> {
    const ways = this.authenticators.forBoundary(route.boundary);
    const outside = ways.refused.length > 0 ? presented.find((a) => ways.refused.includes(a)) : undefined;
    if (outside) throw this.outsideBoundary(ctx, route, outside);
    const selection = selectAuthenticator(presented, ways);
    if ('refuse' in selection) {
      // Two unrelated credentials are ambiguous (400); one the route accepts only together with another
      // is not verified at all (a key sent alone learns nothing), and the client must authenticate (401).
      const error = selection.refuse === 'ERR_MULTIPLE_CREDENTIALS' ? new InvalidRequestException(selection.refuse) : new InvalidTokenException(selection.refuse);
      throw new Rejection(error, this.failure(ctx, selection.refuse, undefined, { credentials: presented.map((a) => a.credential) }));
    }
    const authenticator = selection.authenticator;
    try {
      const principal = await authenticator.authenticate(ctx);
      for (const check of this.principalChecks ?? []) await check.check(principal, ctx);
      return principal;
    } catch (error) {
      const known = error instanceof BastionException;
      const reason = known ? (error.reason ?? error.code) : 'ERR_AUTHENTICATOR_FAILED';
      const { claimed, event: type } = (error ?? {}) as { claimed?: Record<string, string>; event?: SecurityEventType };
      const event = this.failure(ctx, reason, claimed, { credential: authenticator.credential, ...(known ? error.details : undefined) }, type && AUTHENTICATION_FAILURE_EVENTS.includes(type) ? type : undefined);
      // Anything else an authenticator throws is the same uniform 401 as a bad token: no oracle.
      throw new Rejection(known ? error : new InvalidTokenException(reason, error), event);
    }
  }

  /**
   * A 401 (or a 400 that would carry a `Bearer` challenge) asks for what the route accepts: on a route
   * that takes only signed requests and/or API keys, `Accept-Signature` / `WWW-Authenticate: ApiKey`
   * instead of a `Bearer` challenge it would refuse.
   */
  protected challenged(ctx: HttpRequestContext, route: ResolvedRoute, error: unknown): unknown {
    if (!(error instanceof BastionException) || (error.getStatus() !== 401 && !error.challenge)) return error;
    const headers = credentialChallenge(this.authenticators.forBoundary(route.boundary), this.config, announcesBody(ctx));
    if (!headers) return error;
    const { reason, cause, extensions, details } = error;
    return new BastionException(error.code, { reason, cause, extensions, details, headers: { ...error.headers, ...headers } });
  }

  /**
   * A credential of a type the boundary does not accept is refused with 403 `ERR_BOUNDARY_DENIED` before
   * it is verified: it is the wrong kind of credential for this route whatever its validity (a valid user
   * JWT never reaches an internal route), re-authenticating with it cannot help (so not 401), and not
   * verifying it spends no work on it.
   */
  protected outsideBoundary(ctx: HttpRequestContext, route: ResolvedRoute, authenticator: Authenticator): Rejection {
    return new Rejection(new BastionException('ERR_BOUNDARY_DENIED', { reason: 'ERR_BOUNDARY_DENIED' }), {
      type: 'authorization.denied',
      outcome: 'denied',
      reason: 'ERR_BOUNDARY_DENIED',
      ...requestEventFields(ctx),
      details: { handler: route.name, boundary: route.boundary?.name, credential: authenticator.credential },
    });
  }

  /**
   * The failure event of this request: `authentication.failed`, or the type a credential's own rejection
   * names (`signature.invalid`, `signature.replayed`, `api-key.invalid`).
   */
  protected failure(ctx: HttpRequestContext, reason: string, claimed?: Record<string, string>, details?: Record<string, unknown>, type: SecurityEventType = 'authentication.failed'): SecurityEventInput {
    return { type, outcome: 'failure', reason, ...requestEventFields(ctx), ...(claimed ? { claimed } : {}), ...(details ? { details } : {}) };
  }
}

type SecurityEventInput = Omit<SecurityEvent, 'time'>;

/** Why a request was not authenticated: the error to answer with, and its one audit event. */
export class Rejection extends Error {
  constructor(
    readonly error: unknown,
    readonly event: SecurityEventInput,
  ) {
    super(event.reason);
    this.name = 'Rejection';
  }
}
