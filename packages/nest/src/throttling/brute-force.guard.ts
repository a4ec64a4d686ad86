import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { httpContextFrom } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';
import { TracedStep, telemetryOf } from '../telemetry/traced-step.js';
import { BruteForceService } from './brute-force.service.js';
import { retryAfterSeconds } from './ratelimit-headers.js';

/**
 * Global guard 0, registered before authentication: refuses every request from a blocked client IP with
 * 429 `ERR_CLIENT_BLOCKED` and `Retry-After`, before any credential is parsed or verified.
 */
@Injectable()
export class BruteForceGuard implements CanActivate {
  private readonly logger = new Logger('BastionBruteForce');

  constructor(
    @Inject(BASTION_CONFIG) protected readonly config: BastionConfig,
    protected readonly bruteForce: BruteForceService,
    /** Where each refused request is recorded (`request.throttled`, reason `ERR_CLIENT_BLOCKED`). */
    @Optional() protected readonly events?: SecurityEvents,
    /** Names the route of a refused request in its event (looked up only then). */
    @Optional() protected readonly routes?: RouteSecurityMap,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || !this.config.bruteForce.enabled) return true;
    return this.check(context);
  }

  @TracedStep('block')
  private async check(context: ExecutionContext): Promise<boolean> {
    const ctx = httpContextFrom(context, this.config);
    let blockedMs: number;
    try {
      blockedMs = await this.bruteForce.blockedFor(ctx.client.ip);
    } catch (error) {
      const failMode = this.config.throttle.failMode;
      telemetryOf(this)?.storeFailure('block', failMode, error);
      this.logger.error(`block check failed (${(error as Error)?.name ?? 'error'}); failing ${failMode}`);
      if (failMode === 'open') return true;
      throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_BLOCK_STORE_UNAVAILABLE', headers: { 'Retry-After': '5' } });
    }
    if (blockedMs > 0) {
      // Like any 429, one event per refused request (the block itself was its own `client.blocked` event).
      this.routes?.routeOf(ctx, context);
      this.events?.emit({ type: 'request.throttled', outcome: 'denied', reason: 'ERR_CLIENT_BLOCKED', ...requestEventFields(ctx), details: { blockedMs } });
      throw new BastionException('ERR_CLIENT_BLOCKED', { reason: 'ERR_CLIENT_BLOCKED', headers: { 'Retry-After': retryAfterSeconds(blockedMs) } });
    }
    return true;
  }
}
