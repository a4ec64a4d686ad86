import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { contextOf } from '../contexts/context-of.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';
import { errorForContext } from '../errors/transport-error.js';
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (leftToHandlerChain(context)) return true;
    try {
      return await this.check(context);
    } catch (error) {
      throw await errorForContext(context, error);
    }
  }

  /** The block check of {@link canActivate}, on any transport. */
  protected async check(context: ExecutionContext): Promise<boolean> {
    if (!this.config.bruteForce.enabled) return true;
    const { ip } = contextOf(context, this.config).client;
    // A message from a broker has no client address; blocking "unknown" would block every such message.
    if (ip === 'unknown') return true;
    let blockedMs: number;
    try {
      blockedMs = await this.bruteForce.blockedFor(ip);
    } catch (error) {
      const failMode = this.config.throttle.failMode;
      this.logger.error(`block check failed (${(error as Error)?.name ?? 'error'}); failing ${failMode}`);
      if (failMode === 'open') return true;
      throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_BLOCK_STORE_UNAVAILABLE', headers: { 'Retry-After': '5' } });
    }
    if (blockedMs > 0) {
      throw new BastionException('ERR_CLIENT_BLOCKED', { reason: 'ERR_CLIENT_BLOCKED', headers: { 'Retry-After': retryAfterSeconds(blockedMs) } });
    }
    return true;
  }
}
