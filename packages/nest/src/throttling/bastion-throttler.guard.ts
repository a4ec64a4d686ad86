import { Inject, Injectable, Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  normalizeIp,
  type ThrottlerGenerateKeyFunction,
  type ThrottlerGetTrackerFunction,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { requestEventFields } from '../audit/request-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { AuthenticatorRegistry } from '../authentication/authenticator-registry.js';
import { presentedAuthenticators } from '../authentication/presented.js';
import { RouteSecurityMap } from '../authorization/route-security-map.service.js';
import type { BastionRequestContext } from '../contexts/bastion-context.js';
import { contextOf } from '../contexts/context-of.js';
import { httpContextOf } from '../contexts/http/http-context.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import type { RequestContext } from '../core/request-context.js';
import { sha256 } from '../core/sha256.js';
import { LruCache } from '../authentication/jwt/token-cache.js';
import { BastionException } from '../errors/bastion.exception.js';
import { errorForContext } from '../errors/transport-error.js';
import { TracedStep, telemetryOf } from '../telemetry/traced-step.js';
import type { ThrottleValue } from '../nest-internals.js';
import type { FailedCredentialLimit } from './failed-credential-limit.js';
import { rateLimitHeaders, retryAfterSeconds, type QuotaState } from './ratelimit-headers.js';
import type { ResolvedThrottleOptions } from './throttle-options.js';
import { OperationContext } from '../contexts/operation-context.js';
import { BASTION_THROTTLER } from './throttler-config.js';
import { ipTracker, principalTracker, selectBudget } from './tracker.js';
import { leftToHandlerChain } from '../authorization/handler-guards.js';

const THROTTLER = { name: BASTION_THROTTLER, limit: 0, ttl: 0 };
/** Store keys remembered per guard (about 1 MB at most). */
const STORE_KEY_MEMO = 8_192;

async function valueOf(value: ThrottleValue, context: ExecutionContext): Promise<number> {
  return typeof value === 'function' ? await value(context as never) : value;
}

/**
 * Global guard 2, registered twice: before authentication it counts calls that present no credential
 * against their client IP (so anonymous floods of protected routes are limited, not only answered
 * 401); after authentication it counts each principal against its budget. A call whose credential
 * fails is counted against its client IP when authentication rejects it
 * (`chargeFailedCredential`), so a flood of bad tokens meets the anonymous limit too.
 *
 * `@nestjs/throttler`'s guard with Bastion's tracker (`throttle.principalKey`, else the proxy-aware
 * client IP, IPv6 per /64), budgets (principal / anonymous / scope / boundary; route `@Throttle()`),
 * IETF `RateLimit` headers, problem+json 429s with `Retry-After`, `request.throttled` events and a fail
 * mode for store outages. Route metadata is read once per route, not per request. Subclass and
 * override the protected hooks (`getTracker`, `generateKey`, `handleRequest`…), then register the
 * subclass with the `guards.throttler` option.
 */
@Injectable()
export class BastionThrottlerGuard extends ThrottlerGuard implements FailedCredentialLimit {
  protected readonly throttle: ResolvedThrottleOptions;
  private readonly failLogger = new Logger('BastionThrottle');
  private lastFailureLog = 0;
  private readonly trackerOf: ThrottlerGetTrackerFunction = (req, context) => this.getTracker(req, context);
  /** Store keys of recent trackers (a hash per request otherwise); bounded, and only a memo: dropping one costs a hash. */
  private readonly storeKeys = new LruCache<string>(STORE_KEY_MEMO);
  private readonly keyOf: ThrottlerGenerateKeyFunction = (context, tracker, name) => this.generateKey(context, tracker, name);

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @Inject(BASTION_CONFIG) protected readonly config: BastionConfig,
    protected readonly events: SecurityEvents,
    protected readonly authenticators: AuthenticatorRegistry,
    protected readonly routes: RouteSecurityMap,
  ) {
    super(options, storage, reflector);
    this.throttle = config.throttle;
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (leftToHandlerChain(context)) return true;
    try {
      return await this.count(context);
    } catch (error) {
      throw await errorForContext(context, error);
    }
  }

  /** Counts one request or message against its budgets; throws the 429 once one is spent. */
  protected async count(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) return true;
    const ctx = contextOf(context, this.config);
    const route = this.routes.routeOf(ctx, context);
    const own = route.throttle;
    if (own.skip) return true;
    ctx.counted = true;
    const budget = selectBudget(this.throttle, ctx.principal, route.boundary?.name);
    const limit = own.limit !== undefined ? await valueOf(own.limit, context) : budget.limit;
    const ttl = own.ttl !== undefined ? await valueOf(own.ttl, context) : budget.ttl;
    const blockDuration = own.blockDuration !== undefined ? await valueOf(own.blockDuration, context) : ttl;
    await this.handleRequest({ context, limit, ttl, blockDuration, throttler: THROTTLER, getTracker: this.trackerOf, generateKey: this.keyOf });
    // A WebSocket connection has its own message budget besides its principal's (or its address's).
    const connection = this.throttle.connection;
    if (ctx.transport === 'ws' && connection && ctx instanceof OperationContext) {
      const tracker = `conn:${ctx.parent.id}`;
      await this.handleRequest({ context, limit: connection.limit, ttl: connection.ttl, blockDuration: connection.ttl, throttler: THROTTLER, getTracker: async () => tracker, generateKey: this.keyOf });
    }
    return true;
  }

  /**
   * Counts a request whose credential was just rejected against its client's anonymous budget; resolves
   * to the 429 to answer with once that budget is spent. Called by the authentication guard, which
   * records the request's one audit event (`authentication.failed`, with `details.throttled`).
   */
  async chargeFailedCredential(context: ExecutionContext): Promise<BastionException | undefined> {
    try {
      await this.count(context);
      return undefined;
    } catch (error) {
      if (error instanceof BastionException) return error;
      throw error;
    }
  }

  /**
   * Which of the two positions counts this request: before authentication, calls without a credential;
   * after it, authenticated calls and (through `chargeFailedCredential`) failed ones.
   */
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (!this.throttle.enabled) return true;
    const ctx = contextOf(context, this.config);
    // A GraphQL field or a WebSocket message counts once, at the first position that sees it settled.
    if (ctx.counted || ctx.passThrough) return true;
    switch (ctx.authentication) {
      case 'pending':
        return presentedAuthenticators(ctx, this.routes.routeOf(ctx, context), this.authenticators.all()).length > 0;
      case 'anonymous':
        return true;
      default:
        return false;
    }
  }

  /** Bastion's context of a request (principal, client address, route…), for overrides of the hooks. */
  protected requestContext(req: Record<string, any>, context?: ExecutionContext): RequestContext {
    return context && context.getType() !== 'http' ? contextOf(context, this.config) : httpContextOf(req, this.config);
  }

  /** The principal (`throttle.principalKey`) for authenticated calls, the client IP (IPv6 per /64) otherwise. */
  protected override async getTracker(req: Record<string, any>, context?: ExecutionContext): Promise<string> {
    const ctx = this.requestContext(req, context);
    if (ctx.principal) return principalTracker(ctx.principal, this.throttle.principalKey);
    // Messages from a broker (Redis) have no client address: anonymous ones share one budget.
    if (ctx.client.ip === 'unknown') return `anonymous:${ctx.transport}`;
    return ipTracker(normalizeIp(ctx.client.ip, this.ipv6SubnetPrefix));
  }

  /**
   * One budget per tracker across the whole API (per boundary when the boundary has its own budget);
   * a route with its own `@Throttle()` limit counts separately.
   */
  protected override generateKey(context: ExecutionContext, tracker: string, name: string): string {
    const scope = contextOf(context, this.config).route?.throttle.scope ?? 'api';
    const input = `${name}|${scope}|${tracker}`;
    let key = this.storeKeys.get(input);
    if (key === undefined) this.storeKeys.set(input, (key = sha256(input)), Infinity);
    return key;
  }

  @TracedStep('throttle', (props: ThrottlerRequest) => props.context)
  protected override async handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration, getTracker, generateKey } = props;
    const { req, res } = context.getType() === 'http' ? this.getRequestResponse(context) : { req: {}, res: undefined };
    const name = throttler.name ?? BASTION_THROTTLER;
    const tracker = await getTracker(req, context);
    const key = generateKey(context, tracker, name);
    let record;
    try {
      record = await this.storageService.increment(key, ttl, limit, blockDuration, name);
    } catch (error) {
      return this.onStoreFailure(error, context);
    }
    const resetMs = (record.isBlocked ? record.timeToBlockExpire : record.timeToExpire) * 1000;
    if (this.throttle.headers && res !== undefined) this.addQuota(req, res, { name, limit, windowMs: ttl, remaining: limit - record.totalHits, resetMs });
    if (record.isBlocked) {
      await this.throwThrottlingException(context, { ...record, limit, ttl, key, tracker });
    }
    return true;
  }

  /** The HTTP request and response: arguments 0 and 1 (`switchToHttp()` would build three closures per call). */
  protected override getRequestResponse(context: ExecutionContext): { req: Record<string, any>; res: Record<string, any> } {
    return { req: context.getArgByIndex(0), res: context.getArgByIndex(1) };
  }

  /** Accumulates one quota per throttler on the request and (re)writes both headers. */
  protected addQuota(req: Record<string | symbol, any>, res: any, quota: QuotaState): void {
    // On the request's context (a field it always has), not added to the framework request.
    const ctx = httpContextOf(req, this.config);
    const quotas = (ctx.quotas ??= []);
    quotas.push(quota);
    const headers = rateLimitHeaders(quotas);
    this.setResponseHeader(res, 'RateLimit-Policy', headers['RateLimit-Policy']);
    this.setResponseHeader(res, 'RateLimit', headers.RateLimit);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const ctx: BastionRequestContext = contextOf(context, this.config);
    // A failed credential's 429 is recorded by authentication, in the request's one event.
    if (ctx.authentication !== 'failed') {
      this.events.emit({ type: 'request.throttled', outcome: 'denied', reason: 'ERR_RATE_LIMITED', ...requestEventFields(ctx), details: { limit: detail.limit, windowMs: detail.ttl } });
    }
    throw new BastionException('ERR_RATE_LIMITED', {
      reason: 'ERR_RATE_LIMITED',
      headers: { 'Retry-After': retryAfterSeconds(detail.timeToBlockExpire * 1000) },
    });
  }

  /** Store unavailable: let the request through (`failMode: 'open'`) or refuse it with 503 (`'closed'`). Logged. */
  protected onStoreFailure(error: unknown, _context: ExecutionContext): boolean {
    telemetryOf(this)?.storeFailure('throttle', this.throttle.failMode, error);
    const now = Date.now();
    if (now - this.lastFailureLog > 10_000) {
      this.lastFailureLog = now;
      this.failLogger.error(`throttle store unavailable (${(error as Error)?.name ?? 'error'}); failing ${this.throttle.failMode}`);
    }
    if (this.throttle.failMode === 'open') return true;
    throw new BastionException('ERR_SERVICE_UNAVAILABLE', { reason: 'ERR_THROTTLE_STORE_UNAVAILABLE', cause: error, headers: { 'Retry-After': '5' } });
  }
}
