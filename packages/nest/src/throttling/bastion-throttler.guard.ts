import { ExecutionContext, Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  normalizeIp,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { principalOf, requestIdOf, requestPathOf, type BastionRequest } from '../core/http-request.js';
import { BastionException } from '../errors/bastion.exception.js';
import { clientAddressOf, trustedProxiesOf } from '../net/client-address.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import { RequestTelemetry, TracedStep } from '../telemetry/request-telemetry.js';
import { rateLimitHeaders, retryAfterSeconds, type QuotaState } from './ratelimit-headers.js';
import { boundaryOf } from './throttler-config.js';
import { resolveThrottleOptions, type ResolvedThrottleOptions } from './throttle-options.js';
import { ipTracker, principalTracker } from './tracker.js';

// @nestjs/throttler's metadata keys (`THROTTLER:LIMIT<name>`…), not exported by the package.
const ROUTE_LIMIT = 'THROTTLER:LIMIT';
const ROUTE_TTL = 'THROTTLER:TTL';
const QUOTAS_KEY = Symbol('bastionQuotas');

/**
 * Global guard 2: `@nestjs/throttler`'s guard with Bastion's tracker (principal, else proxy-aware client
 * IP), budgets (principal / anonymous / scope / boundary), IETF `RateLimit` headers, problem+json 429s
 * with `Retry-After`, `request.throttled` events and a fail mode for store outages. Runs after
 * authentication, so the principal is known; anonymous calls are counted before authentication by
 * {@link AnonymousThrottlerGuard}, a subclass. Subclass and override the protected hooks to adapt it.
 */
@Injectable()
export class BastionThrottlerGuard extends ThrottlerGuard {
  protected readonly throttle: ResolvedThrottleOptions;
  /** Route templates for events, the step's span, and fail-mode reports. */
  @Optional() @Inject(RequestTelemetry) protected readonly telemetry?: RequestTelemetry;
  private readonly failLogger = new Logger('BastionThrottle');
  private lastFailureLog = 0;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(BASTION_OPTIONS) protected readonly bastionOptions: BastionOptions,
    protected readonly events: SecurityEvents,
  ) {
    super(options, storage, reflector);
    this.throttle = resolveThrottleOptions(bastionOptions.throttle);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (!this.throttle.enabled || context.getType() !== 'http') return true;
    // Calls without a principal were already counted per IP before authentication (AnonymousThrottlerGuard).
    return principalOf(context.switchToHttp().getRequest<BastionRequest>()) === undefined;
  }

  /** Principal tracker for authenticated calls, client IP (IPv6 per /64) for anonymous ones. */
  protected override async getTracker(req: Record<string, any>): Promise<string> {
    const request = req as BastionRequest;
    const principal = principalOf(request);
    if (principal) return principalTracker(principal);
    const { ip } = clientAddressOf(request, trustedProxiesOf(this.bastionOptions));
    return ipTracker(normalizeIp(ip, this.ipv6SubnetPrefix));
  }

  /**
   * One budget per tracker across the whole API (per boundary when the boundary has its own budget);
   * a route with its own `@Throttle()` limit counts separately, so a strict login limit does not eat
   * into the general budget.
   */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    const targets = [context.getHandler(), context.getClass()];
    const ownLimit =
      this.reflector.getAllAndOverride(ROUTE_LIMIT + name, targets) !== undefined || this.reflector.getAllAndOverride(ROUTE_TTL + name, targets) !== undefined;
    const boundary = boundaryOf(this.reflector, context, this.bastionOptions);
    const scope = ownLimit
      ? `route:${context.getClass().name}.${context.getHandler().name}`
      : boundary !== undefined && this.throttle.boundaries[boundary]
        ? `boundary:${boundary}`
        : 'api';
    return createHash('sha256').update(`${name}|${scope}|${tracker}`).digest('base64url');
  }

  @TracedStep('throttle', (props: ThrottlerRequest) => props.context)
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = props;
    const { req, res } = this.getRequestResponse(context);
    const ignored = throttler.ignoreUserAgents ?? this.commonOptions.ignoreUserAgents;
    if (ignored?.some((pattern) => pattern.test(String(req.headers['user-agent'] ?? '')))) return true;
    const name = throttler.name ?? 'default';
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, name);
    let record;
    try {
      record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    } catch (error) {
      return this.onStoreFailure(error, context);
    }
    const resetMs = (record.isBlocked ? record.timeToBlockExpire : record.timeToExpire) * 1000;
    if (this.throttle.headers) this.addQuota(req, res, { name, limit, windowMs: ttl, remaining: limit - record.totalHits, resetMs });
    if (record.isBlocked) {
      await this.throwThrottlingException(context, { ...record, limit, ttl, key, tracker });
    }
    return true;
  }

  /** Accumulates one quota per throttler on the request and (re)writes both headers. */
  protected addQuota(req: Record<string | symbol, any>, res: any, quota: QuotaState): void {
    const quotas: QuotaState[] = (req[QUOTAS_KEY] ??= []);
    quotas.push(quota);
    for (const [header, value] of Object.entries(rateLimitHeaders(quotas))) this.setResponseHeader(res, header, value);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const req = context.switchToHttp().getRequest<BastionRequest>();
    const principal = principalOf(req);
    this.events.emit({
      type: 'request.throttled',
      outcome: 'denied',
      reason: 'ERR_RATE_LIMITED',
      requestId: requestIdOf(req),
      method: req.method,
      route: requestPathOf(req),
      routeTemplate: this.telemetry?.template(context),
      ip: clientAddressOf(req, trustedProxiesOf(this.bastionOptions)).ip,
      principal: principal ? { subject: principal.subject, clientId: principal.clientId, credential: principal.credential } : undefined,
      details: { limit: detail.limit, windowMs: detail.ttl },
    });
    throw new BastionException('ERR_RATE_LIMITED', {
      reason: 'ERR_RATE_LIMITED',
      headers: { 'Retry-After': retryAfterSeconds(detail.timeToBlockExpire * 1000) },
    });
  }

  /** Store unavailable: let the request through (`failMode: 'open'`) or refuse it with 503 (`'closed'`). Logged. */
  protected onStoreFailure(error: unknown, _context: ExecutionContext): boolean {
    this.telemetry?.storeFailure('throttle', this.throttle.failMode, error);
    const now = Date.now();
    if (now - this.lastFailureLog > 10_000) {
      this.lastFailureLog = now;
      this.failLogger.error(`throttle store unavailable (${(error as Error)?.name ?? 'error'}); failing ${this.throttle.failMode}`);
    }
    if (this.throttle.failMode === 'open') return true;
    throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_THROTTLE_STORE_UNAVAILABLE', cause: error, headers: { 'Retry-After': '5' } });
  }
}
