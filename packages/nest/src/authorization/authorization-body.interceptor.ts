import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { SecurityEvents } from '../audit/security-events.service.js';
import { httpContextFrom } from '../contexts/http/http-context.js';
import type { HttpRequestContext } from '../contexts/http/http-request-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { UnauthenticatedException } from '../errors/bastion.exception.js';
import { deny, policyDenial } from './deny.js';
import { policyContextOf } from './policy.js';
import type { ResolvedRoute } from './resolved-route.js';
import { RouteSecurityMap } from './route-security-map.service.js';
import { validatedBody } from './validated-body.js';

/**
 * Runs the policies that declare `needsValidatedBody` once the body has been through the global
 * pipes, before the handler. Nest runs pipes inside the handler call, after every interceptor, so the
 * body is validated here with the same pipes (an invalid body gets their 400 before any policy runs);
 * the handler's own pass then validates it again, which only routes with such policies pay for.
 */
@Injectable()
export class AuthorizationBodyInterceptor implements NestInterceptor {
  constructor(
    private readonly routeMap: RouteSecurityMap,
    private readonly events: SecurityEvents,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'http') return next.handle();
    const ctx = httpContextFrom(context, this.config);
    const route = this.routeMap.routeOf(ctx, context);
    if (route.decision.public || route.bodyPolicies.length === 0) return next.handle();
    return from(this.evaluate(ctx, route)).pipe(switchMap(() => next.handle()));
  }

  private async evaluate(ctx: HttpRequestContext, route: ResolvedRoute): Promise<void> {
    const principal = ctx.principal;
    if (!principal) throw new UnauthenticatedException({ reason: 'ERR_PRINCIPAL_MISSING' });
    const body = await validatedBody(ctx.body, route.bodyParam, this.routeMap.globalPipes());
    const policyContext = policyContextOf(ctx, principal, route.name, body);
    for (const policy of route.bodyPolicies) {
      if ((await policy.evaluate(policyContext)) !== true) deny(this.events, ctx, route, policyDenial(policy));
    }
  }
}
