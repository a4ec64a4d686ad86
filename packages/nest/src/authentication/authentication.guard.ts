import { Inject, Injectable, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { HttpAdapterHost, Reflector } from '@nestjs/core';
import { SecurityEvents } from '../audit/security-events.service.js';
import { AUTHENTICATORS, type Authenticator } from '../core/authenticator.js';
import { BASTION_OPTIONS, PRINCIPAL_KEY, PUBLIC_KEY } from '../core/constants.js';
import { clientIpOf, httpRequestOf, requestIdOf, requestPathOf, type BastionRequest } from '../core/http-request.js';
import { authenticatorsInBoundary } from '../authorization/boundary-authenticators.js';
import { BastionException, InvalidRequestException, UnauthenticatedException } from '../errors/bastion.exception.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { PRINCIPAL_CHECKS, type PrincipalCheck } from '../revocation/principal-check.js';
import { RequestTelemetry, TracedStep } from '../telemetry/request-telemetry.js';

/**
 * Global guard 1: resolves the caller's principal. Deny by default — only `@Public()` opts out — and
 * fail closed on execution contexts it does not understand. Subclass and override the protected hooks
 * to adapt it.
 */
@Injectable()
export class AuthenticationGuard implements CanActivate {
  /** Route templates for events, and the step's span. */
  @Optional() @Inject(RequestTelemetry) protected readonly telemetry?: RequestTelemetry;

  constructor(
    protected readonly reflector: Reflector,
    protected readonly adapterHost: HttpAdapterHost,
    protected readonly events: SecurityEvents,
    @Inject(BASTION_OPTIONS) protected readonly options: BastionOptions,
    @Inject(AUTHENTICATORS) protected readonly authenticators: Authenticator[],
    /** Checks after verification (revocation, token lifetime); a rejection is the uniform 401 with its own audit reason. */
    @Optional() @Inject(PRINCIPAL_CHECKS) protected readonly principalChecks: PrincipalCheck[] = [],
  ) {}

  @TracedStep('authenticate')
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
    if (presented.length > 1) {
      this.fail(req, context, 'ERR_MULTIPLE_CREDENTIALS');
      throw new InvalidRequestException('ERR_MULTIPLE_CREDENTIALS');
    }
    const authenticator = presented[0];
    if (!authenticator) {
      if (isPublic) return true;
      this.fail(req, context, 'ERR_CREDENTIAL_MISSING');
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
        ...this.requestFields(req, context),
        principal: { subject: principal.subject, clientId: principal.clientId, credential: principal.credential, keyId: principal.tokenId },
      });
      return true;
    } catch (error) {
      const reason = error instanceof BastionException ? (error.reason ?? error.code) : 'ERR_AUTHENTICATOR_FAILED';
      this.fail(req, context, reason, (error as { claimed?: Record<string, string> })?.claimed, { credential: authenticator.credential });
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

  protected requestFields(req: BastionRequest, context?: ExecutionContext) {
    const routeTemplate = context && this.telemetry?.template(context);
    return { requestId: requestIdOf(req), method: req.method, route: requestPathOf(req), ...(routeTemplate ? { routeTemplate } : {}), ip: clientIpOf(req) };
  }

  private fail(req: BastionRequest, context: ExecutionContext, reason: string, claimed?: Record<string, string>, details?: Record<string, unknown>): void {
    this.events.emit({ type: 'authentication.failed', outcome: 'failure', reason, ...this.requestFields(req, context), claimed, ...(details ? { details } : {}) });
  }
}
