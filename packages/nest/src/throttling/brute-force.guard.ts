import { Inject, Injectable, Logger, Optional, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import { contextOf } from '../contexts/context-of.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';
import { errorForContext } from '../errors/transport-error.js';
import { TracedStep, telemetryOf } from '../telemetry/traced-step.js';
import { BruteForceService } from './brute-force.service.js';
import { retryAfterSeconds } from './ratelimit-headers.js';
import { leftToHandlerChain } from '../authorization/handler-guards.js';

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
    if (leftToHandlerChain(context) || !this.config.bruteForce.enabled) return true;
    try {
      const verdict = this.check(context);
      return typeof verdict === 'boolean' ? verdict : await verdict;
    } catch (error) {
      throw await errorForContext(context, error);
    }
  }

  /**
   * The block check of `canActivate`, on any transport: synchronous when the security-state store
   * answers at once (memory), else a promise.
   */
  @TracedStep('block')
  protected check(context: ExecutionContext): boolean | Promise<boolean> {
    const ctx = contextOf(context, this.config);
    // A message from a broker has no client address; blocking "unknown" would block every such message.
    if (ctx.client.ip === 'unknown') return true;
    let blocked: number | Promise<number>;
    try {
      blocked = this.bruteForce.blockedNow(ctx.client.ip);
    } catch (error) {
      return this.storeFailed(error);
    }
    if (typeof blocked === 'number') return this.refuseWhileBlocked(context, blocked);
    return blocked.then(
      (ms) => this.refuseWhileBlocked(context, ms),
      (error: unknown) => this.storeFailed(error),
    );
  }

  /** Throws the 429 while the client is blocked (`blockedMs` > 0); `true` otherwise. */
  private refuseWhileBlocked(context: ExecutionContext, blockedMs: number): true {
    if (blockedMs <= 0) return true;
    const ctx = contextOf(context, this.config);
    // Like any 429, one event per refused request (the block itself was its own `client.blocked` event).
    this.routes?.routeOf(ctx, context);
    this.events?.emit({ type: 'request.throttled', outcome: 'denied', reason: 'ERR_CLIENT_BLOCKED', ...requestEventFields(ctx), details: { blockedMs } });
    throw new BastionException('ERR_CLIENT_BLOCKED', { reason: 'ERR_CLIENT_BLOCKED', headers: { 'Retry-After': retryAfterSeconds(blockedMs) } });
  }

  /** The store cannot answer: the throttle fail mode decides (logged). */
  private storeFailed(error: unknown): true {
    const failMode = this.config.throttle.failMode;
    telemetryOf(this)?.storeFailure('block', failMode, error);
    this.logger.error(`block check failed (${(error as Error)?.name ?? 'error'}); failing ${failMode}`);
    if (failMode === 'open') return true;
    throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_BLOCK_STORE_UNAVAILABLE', headers: { 'Retry-After': '5' } });
  }
}
