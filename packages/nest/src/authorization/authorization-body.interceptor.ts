import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, switchMap, type Observable } from 'rxjs';
import { SecurityEvents } from '../audit/security-events.service.js';
import { httpRequestOf, principalOf } from '../core/http-request.js';
import { UnauthenticatedException } from '../errors/bastion.exception.js';
import { deny, policyDenial } from './deny.js';
import { policyContextOf } from './policy.js';
import { RouteSecurityMap, type ResolvedRoute } from './route-security-map.service.js';
import { bodyParamOf, validatedBody } from './validated-body.js';

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
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'http') return next.handle();
    const controller = context.getClass();
    const route = this.routeMap.resolve(context.getHandler(), controller);
    if (route.decision.public || !route.policies.some((p) => p.needsValidatedBody === true)) return next.handle();
    return from(this.evaluate(context, route, controller)).pipe(switchMap(() => next.handle()));
  }

  private async evaluate(context: ExecutionContext, route: ResolvedRoute, controller: { prototype: object }): Promise<void> {
    const req = httpRequestOf(context);
    const principal = principalOf(req);
    if (!principal) throw new UnauthenticatedException({ reason: 'ERR_PRINCIPAL_MISSING' });
    const body = await validatedBody(req.body, bodyParamOf(controller, route.methodName), this.routeMap.globalPipes());
    const policyContext = policyContextOf(req, principal, route.name, body);
    for (const policy of route.policies) {
      if (policy.needsValidatedBody !== true) continue;
      if ((await policy.evaluate(policyContext)) !== true) deny(this.events, req, principal, route, policyDenial(policy));
    }
  }
}
