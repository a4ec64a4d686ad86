import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { BASTION_OPTIONS } from '../core/constants.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import type { RawRequest, RawResponse } from './raw-http.js';
import { resolveTransport } from './resolved-transport.js';
import { applyTransportPolicy } from './transport-policy.js';

/**
 * Module middleware for every route: security headers, HTTPS, CORS, `Accept`, content type and query
 * limits. With `configureBastion(app)` the same policy has already run before body parsing and this is
 * a no-op; without it, an app still gets the request-level rules.
 */
@Injectable()
export class TransportMiddleware implements NestMiddleware {
  constructor(@Inject(BASTION_OPTIONS) private readonly options: BastionOptions) {}

  use(req: RawRequest, res: RawResponse, next: (error?: unknown) => void): void {
    if (applyTransportPolicy(req, res, resolveTransport(this.options))) return;
    next();
  }
}
