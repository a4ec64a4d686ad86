import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { httpContextOf } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { RawRequest, RawResponse } from './raw-http.js';
import { applyTransportPolicy } from './transport-policy.js';

/**
 * Module middleware for every route, registered only when `configureBastion(app)` was not applied
 * (`strict: false`): security headers, request id, HTTPS, CORS, `Accept`, content type and query limits.
 */
@Injectable()
export class TransportMiddleware implements NestMiddleware {
  constructor(@Inject(BASTION_CONFIG) private readonly config: BastionConfig) {}

  use(req: RawRequest, res: RawResponse, next: (error?: unknown) => void): void {
    if (applyTransportPolicy(httpContextOf(req, this.config), res, this.config.transport)) return;
    next();
  }
}
