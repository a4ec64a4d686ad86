import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import { defer, from, switchMap, type Observable } from 'rxjs';
import { SecurityEvents } from '../audit/security-events.service.js';
import { responseHeadersOf } from '../authentication/response-headers.js';
import { enforceBodyPolicies } from '../authorization/body-policies.js';
import type { ResolvedRoute } from '../authorization/resolved-route.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { httpContextFrom } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { applyRouteHeaders } from '../transport/route-headers.js';

/**
 * Bastion's one interceptor, between the guards and the handler: writes the response headers
 * authentication asked for, runs the policies that need the validated body, then applies the route's
 * `@SecurityHeaders()` overrides (so a denied request keeps the preset). Routes with none of these pass
 * straight through.
 */
@Injectable()
export class RouteInterceptor implements NestInterceptor {
  constructor(
    private readonly routes: RouteSecurityMap,
    private readonly events: SecurityEvents,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType<string>() !== 'http') return next.handle();
    const ctx = httpContextFrom(context, this.config);
    const route = this.routes.routeOf(ctx, context);
    // Headers authentication asked for (a fresh DPoP nonce): the request got through every guard.
    const authenticationHeaders = responseHeadersOf(ctx);
    if (authenticationHeaders) applyRouteHeaders(context.switchToHttp().getResponse(), authenticationHeaders);
    const bodyPolicies = !route.decision.public && route.bodyPolicies.length > 0;
    if (!bodyPolicies) {
      if (route.securityHeaders) applyRouteHeaders(context.switchToHttp().getResponse(), route.securityHeaders);
      return next.handle();
    }
    return from(enforceBodyPolicies(ctx, route, this.routes.globalPipes(), this.events)).pipe(switchMap(() => this.handle(context, route, next)));
  }

  private handle(context: ExecutionContext, route: ResolvedRoute, next: CallHandler): Observable<unknown> {
    return defer(() => {
      if (route.securityHeaders) applyRouteHeaders(context.switchToHttp().getResponse(), route.securityHeaders);
      return next.handle();
    });
  }
}
