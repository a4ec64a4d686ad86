import { CanActivate, ExecutionContext, Inject, Injectable, Optional } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import type { SecurityEventType } from '../audit/security-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { AUTHENTICATORS, type Authenticator } from '../core/authenticator.js';
import { BASTION_OPTIONS, PRINCIPAL_KEY, PUBLIC_KEY } from '../core/constants.js';
import { clientIpOf, httpRequestOf, requestIdOf, requestPathOf, type BastionRequest } from '../core/http-request.js';
import { authenticatorsInBoundary, waysIntoRoute } from '../authorization/boundary-authenticators.js';
import { CREDENTIAL_COMBINATIONS, selectAuthenticator, type CombinedAuthenticator } from './credential-combinations.js';
import { BastionException, InvalidRequestException, InvalidTokenException, UnauthenticatedException } from '../errors/bastion.exception.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { PRINCIPAL_CHECKS, type PrincipalCheck } from '../revocation/principal-check.js';

/**
 * Global guard 1: resolves the caller's principal. Deny by default — only `@Public()` opts out — and
 * fail closed on execution contexts it does not understand. Subclass and override the protected hooks
 * to adapt it.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  constructor(
    protected readonly reflector: Reflector,
    protected readonly adapterHost: HttpAdapterHost,
    protected readonly events: SecurityEvents,
    @Inject(BASTION_OPTIONS) protected readonly options: BastionOptions,
    @Inject(AUTHENTICATORS) protected readonly authenticators: Authenticator[],
    /** Checks after verification (revocation, token lifetime); a rejection is the uniform 401 with its own audit reason. */
    @Optional() @Inject(PRINCIPAL_CHECKS) protected readonly principalChecks: PrincipalCheck[] = [],
    /** Authenticators of credentials presented together (API key + signature). */
    @Optional() @Inject(CREDENTIAL_COMBINATIONS) protected readonly combinations: CombinedAuthenticator[] = [],
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const type = context.getType<string>();
    if (type !== 'http') {
      if (this.options.allowContexts?.includes(type as 'rpc' | 'ws')) return true;
      throw new BastionException('ERR_CONTEXT_UNSUPPORTED', { reason: `context ${type} not allowed` });
    }
    const req = this.getRequest(context);
    this.adapterHost.httpAdapter.setHeader(context.switchToHttp().getResponse(), 'X-Request-Id', requestIdOf(req));
    const isPublic = this.isPublic(context);
    const presented = this.authenticatorsFor(context).filter((a) => a.isPresented(req));
    const selection = selectAuthenticator(presented, this.combinations ?? [], waysIntoRoute(this.options, context));
    if (selection && 'refuse' in selection) {
      this.fail(req, selection.refuse);
      // Two unrelated credentials are ambiguous (400); one that the route only accepts together with
      // another is not verified at all, and the client must authenticate properly (401).
      if (selection.refuse === 'ERR_MULTIPLE_CREDENTIALS') throw new InvalidRequestException('ERR_MULTIPLE_CREDENTIALS');
      throw new InvalidTokenException('ERR_CREDENTIAL_INCOMPLETE');
    }
    const authenticator = selection?.authenticator;
    if (!authenticator) {
      if (isPublic) return true;
      this.fail(req, 'ERR_CREDENTIAL_MISSING');
      throw new UnauthenticatedException({ reason: 'ERR_CREDENTIAL_MISSING' });
    }
    // A presented credential is verified even on a public route: an invalid token is never ignored.
    try {
      const principal = await authenticator.authenticate(req);
      for (const check of this.principalChecks ?? []) await check.check(principal, req);
      req[PRINCIPAL_KEY] = principal;
      this.events.emit({
        type: 'authentication.succeeded',
        outcome: 'success',
        ...this.requestFields(req),
        principal: { subject: principal.subject, clientId: principal.clientId, credential: principal.credential, keyId: principal.tokenId },
      });
      return true;
    } catch (error) {
      const reason = error instanceof BastionException ? (error.reason ?? error.code) : 'ERR_AUTHENTICATOR_FAILED';
      const { claimed, event } = (error ?? {}) as { claimed?: Record<string, string>; event?: SecurityEventType };
      this.fail(req, reason, claimed, event);
      if (error instanceof BastionException) throw error;
      throw new UnauthenticatedException({ reason, cause: error });
    }
  }

  protected getRequest(context: ExecutionContext): BastionRequest {
    return httpRequestOf(context);
  }

  protected isPublic(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride(PUBLIC_KEY, [context.getHandler(), context.getClass()]) !== undefined;
  }

  /** The authenticators whose credentials this route accepts (all, unless a trust boundary narrows them). */
  protected authenticatorsFor(context: ExecutionContext): Authenticator[] {
    return authenticatorsInBoundary(this.authenticators, this.options, context, this.getRequest(context), this.events);
  }

  protected requestFields(req: BastionRequest) {
    return { requestId: requestIdOf(req), method: req.method, route: requestPathOf(req), ip: clientIpOf(req) };
  }

  /** One event per rejection: `authentication.failed`, or the credential's own type (`signature.replayed`…). */
  private fail(req: BastionRequest, reason: string, claimed?: Record<string, string>, type: SecurityEventType = 'authentication.failed'): void {
    this.events.emit({ type, outcome: 'failure', reason, ...this.requestFields(req), claimed });
  }
}
