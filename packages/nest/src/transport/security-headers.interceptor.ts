import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { httpContextFrom } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';

interface AnyResponse {
  raw?: { setHeader(name: string, value: string): void; removeHeader(name: string): void };
  setHeader?(name: string, value: string): void;
  removeHeader?(name: string): void;
}

/** Applies `@SecurityHeaders()` overrides once the route is known (the transport policy ran before routing). */
@Injectable()
export class SecurityHeadersInterceptor implements NestInterceptor {
  constructor(
    private readonly routes: RouteSecurityMap,
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const overrides = this.routes.routeOf(httpContextFrom(context, this.config), context).securityHeaders;
    if (overrides) {
      const res = context.switchToHttp().getResponse<AnyResponse>();
      // Fastify's reply wraps the Node response; Express's response is one.
      const raw = res.raw ?? (res as Required<Pick<AnyResponse, 'setHeader' | 'removeHeader'>>);
      for (const [name, value] of Object.entries(overrides)) {
        if (value === false) raw.removeHeader(name);
        else raw.setHeader(name, value);
      }
    }
    return next.handle();
  }
}
