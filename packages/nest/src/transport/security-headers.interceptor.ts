import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { SECURITY_HEADERS_KEY } from './security-headers.decorator.js';
import type { SecurityHeadersOptions } from './transport-options.js';

interface AnyResponse {
  raw?: { setHeader(name: string, value: string): void; removeHeader(name: string): void };
  setHeader?(name: string, value: string): void;
  removeHeader?(name: string): void;
  header?(name: string, value: string): void;
}

/** Applies `@SecurityHeaders()` overrides once the route is known (the middleware ran before routing). */
@Injectable()
export class SecurityHeadersInterceptor implements NestInterceptor {
  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const overrides = this.reflector.getAllAndOverride<SecurityHeadersOptions | undefined>(SECURITY_HEADERS_KEY, [context.getHandler(), context.getClass()]);
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
