import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { AUTHENTICATION_FAILURE_EVENTS, type SecurityEvent, type SecurityEventType } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import type { ResolvedRoute } from '../authorization/resolved-route.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import type { BastionRequestContext } from '../contexts/bastion-context.js';
import { contextOf } from '../contexts/context-of.js';
import { OperationContext } from '../contexts/operation-context.js';
import { SocketSessions } from '../sockets/socket-sessions.service.js';
import type { Authenticator } from '../core/authenticator.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { Principal } from '../core/principal.js';
import { BastionException, InvalidRequestException, InvalidTokenException, UnauthenticatedException } from '../errors/bastion.exception.js';
import { errorForContext } from '../errors/transport-error.js';
import { PRINCIPAL_CHECKS, type PrincipalCheck } from '../revocation/principal-check.js';
import { TracedStep } from '../telemetry/traced-step.js';
import { FAILED_CREDENTIAL_LIMIT, type FailedCredentialLimit } from '../throttling/failed-credential-limit.js';
import { AuthenticatorRegistry } from './authenticator-registry.js';
import { credentialChallenge } from './credential-challenge.js';
import { selectAuthenticator } from './credential-combinations.js';
import { presentedAuthenticators } from './presented.js';
import { leftToHandlerChain } from '../authorization/handler-guards.js';
import { announcesBody } from './signature/signature-request.js';

/**
 * Global guard 1: resolves the caller's principal from the one credential the request presents among
 * those its route's boundary accepts. Deny by default — only `@Public()` opts out — and fail closed on
 * execution contexts it does not understand. HTTP requests, GraphQL fields, WebSocket messages and
 * microservice messages all go through it, each as its request context. Subclass and override the protected hooks, then register
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
    /** Open WebSocket connections: their credential is re-checked (expiry, revocation) before each message. */
    @Optional() protected readonly sockets?: SocketSessions,
  ) {}

  @TracedStep('authenticate')
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (leftToHandlerChain(context)) return true;
    try {
      const ctx = contextOf(context, this.config);
      if (ctx.passThrough) return true;
      await this.authenticate(ctx, this.routes.routeOf(ctx, context), context);
      return true;
    } catch (error) {
      throw await errorForContext(context, error);
    }
  }

  /**
   * Settles who is calling for one request, GraphQL field, WebSocket handshake or message: verifies the
   * presented credential once (later operations of the same request or connection reuse the outcome),
   * and refuses an anonymous caller on a route that is not public. One audit event per rejection.
   * `context` is the Nest execution context when there is one (failed credentials are then counted
   * against the client's anonymous budget).
   */
  async authenticate(ctx: BastionRequestContext, route: ResolvedRoute, context?: ExecutionContext): Promise<void> {
    if (ctx.authentication === 'authenticated') {
      // A connection authenticated at its handshake: revoked or expired since, it is closed (one event there).
      if (ctx.transport === 'ws' && ctx instanceof OperationContext && this.sockets) {
        const end = await this.sockets.recheck(ctx.parent);
        if (end) throw new InvalidTokenException(end === 'expired' ? 'ERR_TOKEN_EXPIRED' : 'ERR_TOKEN_REVOKED');
      }
      return;
    }
    // Recorded once, when it failed: later fields of the same request get the same answer, no new event.
    if (ctx.authentication === 'failed') throw new InvalidTokenException('ERR_CREDENTIAL_REJECTED');
    const presented = ctx.authentication === 'anonymous' ? [] : presentedAuthenticators(ctx, route, this.authenticators.all());
    if (presented.length === 0) {
      ctx.authentication = 'anonymous';
      if (route.decision.public) return;
      this.events.emit(this.failure(ctx, 'ERR_CREDENTIAL_MISSING'));
      throw this.challenged(ctx, route, new UnauthenticatedException({ reason: 'ERR_CREDENTIAL_MISSING' }));
    }
    // A presented credential is verified even on a public route: an invalid token is never ignored.
    try {
      const verified = this.verify(ctx, route, presented);
      ctx.principal = verified instanceof Promise ? await verified : verified;
      ctx.authentication = 'authenticated';
    } catch (error) {
      ctx.authentication = 'failed';
      const rejection = error instanceof Rejection ? error : new Rejection(error, this.failure(ctx, 'ERR_AUTHENTICATOR_FAILED'));
      // The count before authentication skipped this request (it carried a credential): it counts now,
      // against the client's anonymous budget; once that is spent the answer is its 429. Still one event.
      const limited = context ? await this.failedCredentials?.chargeFailedCredential(context) : undefined;
      if (limited) rejection.event.details = { ...rejection.event.details, throttled: limited.code };
      this.events.emit(rejection.event);
      throw limited ?? this.challenged(ctx, route, rejection.error);
    }
    // Built only when someone takes it: by default neither the audit sink nor the alert rules do.
    if (this.events.wants('authentication.succeeded')) this.events.emit({ type: 'authentication.succeeded', outcome: 'success', ...requestEventFields(ctx) });
  }

  /**
   * Verifies the presented credential the route's boundary accepts — or the credentials it accepts only
   * together (an API key with a signature made with its signing key). Throws a `Rejection`: the error to
   * answer with and the one audit event that records why. Synchronous when the authenticator and the
   * principal checks are (a reused JWT): no promise on that path.
   */
  protected verify(ctx: BastionRequestContext, route: ResolvedRoute, presented: readonly Authenticator[]): Principal | Promise<Principal> {
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
    let verified: Principal | Promise<Principal>;
    try {
      const principal = authenticator.authenticate(ctx);
      verified = principal instanceof Promise ? principal.then((p) => this.checked(p, ctx)) : this.checked(principal, ctx);
    } catch (error) {
      throw this.rejection(ctx, authenticator, error);
    }
    return verified instanceof Promise
      ? verified.catch((error: unknown) => {
          throw this.rejection(ctx, authenticator, error);
        })
      : verified;
  }

  /** Runs the principal checks in order; a promise only once a check returns one. */
  private checked(principal: Principal, ctx: BastionRequestContext, from = 0): Principal | Promise<Principal> {
    const checks = this.principalChecks ?? [];
    for (let i = from; i < checks.length; i++) {
      const pending = checks[i]!.check(principal, ctx);
      if (pending) return pending.then(() => this.checked(principal, ctx, i + 1));
    }
    return principal;
  }

  /** What an authenticator or a principal check threw, as the request's rejection and its audit event. */
  private rejection(ctx: BastionRequestContext, authenticator: Pick<Authenticator, 'credential'>, error: unknown): Rejection {
    const known = error instanceof BastionException;
    const reason = known ? (error.reason ?? error.code) : 'ERR_AUTHENTICATOR_FAILED';
    const { claimed, event: type } = (error ?? {}) as { claimed?: Record<string, string>; event?: SecurityEventType };
    const event = this.failure(ctx, reason, claimed, { credential: authenticator.credential, ...(known ? error.details : undefined) }, type && AUTHENTICATION_FAILURE_EVENTS.includes(type) ? type : undefined);
    // Anything else an authenticator throws is the same uniform 401 as a bad token: no oracle.
    return new Rejection(known ? error : new InvalidTokenException(reason, error), event);
  }

  /**
   * A 401 (or a 400 that would carry a `Bearer` challenge) asks for what the route accepts: on a route
   * that takes only signed requests and/or API keys, `Accept-Signature` / `WWW-Authenticate: ApiKey`
   * instead of a `Bearer` challenge it would refuse.
   */
  protected challenged(ctx: BastionRequestContext, route: ResolvedRoute, error: unknown): unknown {
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
  protected outsideBoundary(ctx: BastionRequestContext, route: ResolvedRoute, authenticator: Authenticator): Rejection {
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
  protected failure(ctx: BastionRequestContext, reason: string, claimed?: Record<string, string>, details?: Record<string, unknown>, type: SecurityEventType = 'authentication.failed'): SecurityEventInput {
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
