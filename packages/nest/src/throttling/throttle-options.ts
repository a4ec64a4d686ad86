import type { Principal } from '../core/principal.js';

/** A budget: at most `limit` requests per `ttl` milliseconds (fixed window per tracker). */
export interface RateLimit {
  /** Requests allowed per window. */
  limit: number;
  /** Window length in milliseconds. */
  ttl: number;
}

/**
 * What an authenticated caller's budget is counted per:
 * - `'subject'` (default): the user — so users of one app never share a budget — except for
 *   client-credentials tokens (no `sub`, or `sub` equal to the client id), which count per client;
 * - `'client'`: the OAuth client (`client_id`/`azp`) whenever the token names one, else the subject;
 * - a function of the principal returning the key (hashed before it is stored).
 */
export type PrincipalKey = 'subject' | 'client' | ((principal: Principal) => string);

/**
 * Throttling options (`throttle` in {@link BastionOptions}). Throttling runs on `@nestjs/throttler`;
 * its `@Throttle()` and `@SkipThrottle()` decorators keep working (throttler name `default`).
 *
 * @example
 * ```ts
 * BastionModule.forRoot({
 *   throttle: {
 *     principal: { limit: 600, ttl: 60_000 },
 *     scopes: { internal: { limit: 10_000, ttl: 60_000 } },
 *     failMode: 'closed',
 *   },
 * });
 * ```
 */
export interface ThrottleOptions {
  /** Turns throttling off entirely. Default `true`. */
  enabled?: boolean;
  /** Budget per authenticated principal (see `principalKey`), across all routes. Default 1,000 per 60,000 ms. */
  principal?: RateLimit;
  /** What the principal budget is counted per. Default `'subject'` (users separately, client-credentials tokens per client). */
  principalKey?: PrincipalKey;
  /**
   * Budget per client IP for anonymous calls — and for calls whose credential fails — across all
   * routes. Default 300 per 60,000 ms.
   */
  anonymous?: RateLimit;
  /** Budgets for principals holding a scope; the most generous one held (highest rate) applies if it beats `principal`. Default none. */
  scopes?: Record<string, RateLimit>;
  /** Budgets for routes in a trust boundary (`@Boundary(name)`), counted per tracker per boundary. Default none. */
  boundaries?: Record<string, RateLimit>;
  /**
   * What to do when the store cannot answer (e.g. Redis down): `'open'` lets requests through, `'closed'`
   * answers 503 `ERR_SERVICE_UNAVAILABLE`. Either way the failure is logged. Default `'open'`.
   */
  failMode?: 'open' | 'closed';
  /** Send `RateLimit` / `RateLimit-Policy` headers (draft-ietf-httpapi-ratelimit-headers). Default `true`. */
  headers?: boolean;
}

/**
 * Brute-force protection (`bruteForce` in {@link BastionOptions}): failed authentications per client IP
 * in a sliding window; past the threshold the IP is refused before any credential is verified.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ bruteForce: { maxFailures: 10, windowMs: 600_000 } });
 * ```
 */
export interface BruteForceOptions {
  /** Turns brute-force blocking off. Default `true`. */
  enabled?: boolean;
  /** Failed authentications per IP within `windowMs` that trigger a block. Default 20. */
  maxFailures?: number;
  /** Sliding window for counting failures, ms. Default 300,000 (5 min). */
  windowMs?: number;
  /** First block, ms; each further block of the same IP within `maxBlockMs` doubles it. Default 300,000. */
  blockMs?: number;
  /** Cap on the block time, ms; also how long a previous block is remembered. Default 86,400,000 (24 h). */
  maxBlockMs?: number;
  /**
   * Failures per claimed identity (the `sub`/key id written into a bad credential) within `windowMs` that
   * raise an `alert.raised` event. Never blocks: anyone can name a victim. Default 10.
   */
  identityAlertThreshold?: number;
}

/** Throttle options with every default applied. */
export type ResolvedThrottleOptions = Required<Omit<ThrottleOptions, 'scopes' | 'boundaries'>> &
  Required<Pick<ThrottleOptions, 'scopes' | 'boundaries'>>;

/** Brute-force options with every default applied. */
export type ResolvedBruteForceOptions = Required<BruteForceOptions>;

export const THROTTLE_DEFAULTS: ResolvedThrottleOptions = {
  enabled: true,
  principal: { limit: 1_000, ttl: 60_000 },
  principalKey: 'subject',
  anonymous: { limit: 300, ttl: 60_000 },
  scopes: {},
  boundaries: {},
  failMode: 'open',
  headers: true,
};

export const BRUTE_FORCE_DEFAULTS: ResolvedBruteForceOptions = {
  enabled: true,
  maxFailures: 20,
  windowMs: 300_000,
  blockMs: 300_000,
  maxBlockMs: 86_400_000,
  identityAlertThreshold: 10,
};

export function resolveThrottleOptions(options: ThrottleOptions | undefined): ResolvedThrottleOptions {
  return { ...THROTTLE_DEFAULTS, ...stripUndefined(options) };
}

export function resolveBruteForceOptions(options: BruteForceOptions | undefined): ResolvedBruteForceOptions {
  return { ...BRUTE_FORCE_DEFAULTS, ...stripUndefined(options) };
}

function stripUndefined<T extends object>(value: T | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(value ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>;
}
