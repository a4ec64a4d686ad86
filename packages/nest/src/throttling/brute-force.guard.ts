import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import { httpContextFrom } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { BastionException } from '../errors/bastion.exception.js';
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
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http' || !this.config.bruteForce.enabled) return true;
    const { ip } = httpContextFrom(context, this.config).client;
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
