import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { httpRequestOf, requestIdOf, requestPathOf, type BastionRequest } from '../core/http-request.js';
import { BastionException } from '../errors/bastion.exception.js';
import { clientAddressOf, trustedProxiesOf } from '../net/client-address.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { RequestTelemetry, TracedStep } from '../telemetry/request-telemetry.js';
import { BruteForceService } from './brute-force.service.js';
import { retryAfterSeconds } from './ratelimit-headers.js';
import { resolveThrottleOptions } from './throttle-options.js';

/**
 * Global guard 0, registered before authentication: refuses every request from a blocked client IP with
 * 429 `ERR_CLIENT_BLOCKED` and `Retry-After`, before any credential is parsed or verified. Also resolves
 * the client address once (through the trusted proxies) for every later layer.
 */
@Injectable()
export class BruteForceGuard implements CanActivate {
  private readonly logger = new Logger('BastionBruteForce');
  private readonly failMode: 'open' | 'closed';
  /** Route templates for events, the step's span, and fail-mode reports. */
  @Optional() @Inject(RequestTelemetry) protected readonly telemetry?: RequestTelemetry;

  constructor(
    @Inject(BASTION_OPTIONS) protected readonly options: BastionOptions,
    protected readonly bruteForce: BruteForceService,
    /** Where each refused request is recorded (`request.throttled`, reason `ERR_CLIENT_BLOCKED`). */
    @Optional() protected readonly events?: SecurityEvents,
  ) {
    this.failMode = resolveThrottleOptions(options.throttle).failMode;
  }

  @TracedStep('block')
  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = this.getRequest(context);
    const { ip } = clientAddressOf(req, trustedProxiesOf(this.options));
    let blockedMs: number;
    try {
      blockedMs = await this.bruteForce.blockedFor(ip);
    } catch (error) {
      this.telemetry?.storeFailure('block', this.failMode, error);
      this.logger.error(`block check failed (${(error as Error)?.name ?? 'error'}); failing ${this.failMode}`);
      if (this.failMode === 'open') return true;
      throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_BLOCK_STORE_UNAVAILABLE', headers: { 'Retry-After': '5' } });
    }
    if (blockedMs > 0) {
      // Like any 429, one event per refused request (the block itself was its own `client.blocked` event).
      this.events?.emit({
        type: 'request.throttled',
        outcome: 'denied',
        reason: 'ERR_CLIENT_BLOCKED',
        requestId: requestIdOf(req),
        method: req.method,
        route: requestPathOf(req),
        routeTemplate: this.telemetry?.template(context),
        ip,
        details: { blockedMs },
      });
      throw new BastionException('ERR_CLIENT_BLOCKED', { reason: 'ERR_CLIENT_BLOCKED', headers: { 'Retry-After': retryAfterSeconds(blockedMs) } });
    }
    return true;
  }

  protected getRequest(context: ExecutionContext): BastionRequest {
    return httpRequestOf(context);
  }
}
