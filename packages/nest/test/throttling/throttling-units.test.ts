import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Principal } from '../../src/core/principal.js';
import { validateOptions } from '../../src/options/validate-options.js';
import { resolveConfig } from '../../src/options/resolve-config.js';
import { MemoryStore } from '../../src/stores/memory.store.js';
import { BastionThrottlerStorage } from '../../src/throttling/bastion-throttler.storage.js';
import { blockDurationMs } from '../../src/throttling/brute-force.policy.js';
import { rateLimitHeaders, retryAfterSeconds } from '../../src/throttling/ratelimit-headers.js';
import { resolveThrottleOptions } from '../../src/throttling/throttle-options.js';
import { ipTracker, principalTracker, selectBudget } from '../../src/throttling/tracker.js';

const principal = (over: Partial<Principal> = {}): Principal => ({
  subject: 'alice',
  scopes: new Set(),
  roles: new Set(),
  credential: 'jwt',
  claims: { iss: 'https://id.example.com' },
  ...over,
});

describe('rateLimitHeaders (draft-ietf-httpapi-ratelimit-headers)', () => {
  it('formats named policies and states, windows and resets in seconds', () => {
    const headers = rateLimitHeaders([
      { name: 'default', limit: 1000, windowMs: 60_000, remaining: 998, resetMs: 41_200 },
      { name: 'we"ird\\', limit: 5, windowMs: 1_500, remaining: -3, resetMs: 0 },
    ]);
    expect(headers['RateLimit-Policy']).toBe('"default";q=1000;w=60, "we\\"ird\\\\";q=5;w=2');
    expect(headers.RateLimit).toBe('"default";r=998;t=42, "we\\"ird\\\\";r=0;t=0');
  });

  it('never tells a client to retry at once', () => {
    expect(retryAfterSeconds(0)).toBe('1');
    expect(retryAfterSeconds(1_001)).toBe('2');
  });
});

describe('trackers', () => {
  it('counts the users of one client separately by default (principalKey "subject")', () => {
    const u1 = principalTracker(principal({ subject: 'u1', clientId: 'app-a' }));
    expect(u1).toBe(principalTracker(principal({ subject: 'u1', clientId: 'app-a', tokenId: 'other' })));
    expect(u1).not.toBe(principalTracker(principal({ subject: 'u2', clientId: 'app-a' })));
  });

  it('counts a client-credentials token (no subject of its own) per client', () => {
    const cc = principalTracker(principal({ subject: 'app-a', clientId: 'app-a' }));
    expect(cc).toBe(principalTracker(principal({ subject: 'app-a', clientId: 'app-a', tokenId: 'other' }), 'subject'));
    expect(cc).toBe(principalTracker(principal({ subject: 'u1', clientId: 'app-a' }), 'client'));
  });

  it('gives every token of one client one tracker with principalKey "client", and two clients two', () => {
    const a1 = principalTracker(principal({ subject: 'u1', clientId: 'app-a' }), 'client');
    const a2 = principalTracker(principal({ subject: 'u2', clientId: 'app-a', tokenId: 'other' }), 'client');
    const b = principalTracker(principal({ subject: 'u1', clientId: 'app-b' }), 'client');
    expect(a1).toBe(a2);
    expect(a1).not.toBe(b);
  });

  it('keeps a tracker per verified claim set, never for other principal fields or another key', () => {
    // A cached token's principals share its frozen claims object.
    const claims = Object.freeze({ iss: 'https://id.example.com' });
    const fresh = (over: Partial<Principal>) => principalTracker(principal({ ...over, claims: { iss: 'https://id.example.com' } }));
    const u1 = principalTracker(principal({ subject: 'u1', clientId: 'app-a', claims }));
    expect(principalTracker(principal({ subject: 'u1', clientId: 'app-a', claims }))).toBe(u1);
    expect(u1).toBe(fresh({ subject: 'u1', clientId: 'app-a' }));
    expect(principalTracker(principal({ subject: 'u2', clientId: 'app-a', claims }))).toBe(fresh({ subject: 'u2', clientId: 'app-a' }));
    const byClient = principalTracker(principal({ subject: 'u1', clientId: 'app-a', claims }), 'client');
    expect(byClient).not.toBe(u1);
    expect(byClient).toBe(principalTracker(principal({ subject: 'x', clientId: 'app-a' }), 'client'));
    expect(principalTracker(principal({ subject: 'u1', clientId: 'app-a', credential: 'api-key', claims }))).not.toBe(u1);
    expect(principalTracker(principal({ subject: 'u1', clientId: 'app-a', claims }))).toBe(u1);
  });

  it('uses a function key, hashed, and the subject when it fails', () => {
    const byTenant = (p: Principal) => String(p.claims['tenant'] ?? '');
    const t1 = principalTracker(principal({ subject: 'u1', claims: { tenant: 't1' } }), byTenant);
    expect(t1).toBe(principalTracker(principal({ subject: 'u2', claims: { tenant: 't1' } }), byTenant));
    expect(t1).not.toContain('t1');
    expect(principalTracker(principal({ subject: 'u1', claims: {} }), byTenant)).toBe(principalTracker(principal({ subject: 'u1', claims: {} })));
    const throwing = () => {
      throw new Error('boom');
    };
    expect(principalTracker(principal({ subject: 'u1', claims: {} }), throwing)).toBe(principalTracker(principal({ subject: 'u1', claims: {} })));
  });

  it('falls back to the subject, separates issuers, and hides identifiers', () => {
    const alice = principalTracker(principal());
    expect(alice).not.toBe(principalTracker(principal({ subject: 'bob' })));
    expect(alice).not.toBe(principalTracker(principal({ claims: { iss: 'https://other.example.com' } })));
    expect(alice).not.toContain('alice');
    expect(ipTracker('192.0.2.1')).toBe('ip:192.0.2.1');
  });
});

describe('selectBudget', () => {
  const options = resolveThrottleOptions({
    scopes: { internal: { limit: 10_000, ttl: 60_000 }, tiny: { limit: 1, ttl: 60_000 } },
    boundaries: { partner: { limit: 50, ttl: 60_000 } },
  });

  it('has defaults a normal client never meets', () => {
    expect(selectBudget(options, principal(), undefined)).toEqual({ limit: 1_000, ttl: 60_000, source: 'principal' });
    expect(selectBudget(options, undefined, undefined)).toEqual({ limit: 300, ttl: 60_000, source: 'anonymous' });
  });

  it('gives a scope its higher budget but never lowers the principal one', () => {
    expect(selectBudget(options, principal({ scopes: new Set(['internal']) }), undefined).limit).toBe(10_000);
    expect(selectBudget(options, principal({ scopes: new Set(['tiny']) }), undefined).limit).toBe(1_000);
  });

  it('applies a boundary budget to every caller of its routes', () => {
    expect(selectBudget(options, principal({ scopes: new Set(['internal']) }), 'partner')).toEqual({ limit: 50, ttl: 60_000, source: 'boundary' });
    expect(selectBudget(options, undefined, 'unlisted').source).toBe('anonymous');
  });
});

describe('blockDurationMs', () => {
  it('doubles per repeat block and caps', () => {
    const o = { blockMs: 300_000, maxBlockMs: 3_600_000 };
    expect([0, 1, 2, 3, 4, 99].map((level) => blockDurationMs(level, o))).toEqual([300_000, 600_000, 1_200_000, 2_400_000, 3_600_000, 3_600_000]);
  });
});

describe('BastionThrottlerStorage', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('allows exactly limit hits per window, then blocks until the window resets', async () => {
    const storage = new BastionThrottlerStorage(new MemoryStore());
    const records = [];
    for (let i = 0; i < 4; i++) records.push(await storage.increment('k', 10_000, 3, 10_000, 'default'));
    expect(records.map((r) => r.isBlocked)).toEqual([false, false, false, true]);
    expect(records[3]).toMatchObject({ totalHits: 4, timeToBlockExpire: 10 });
    vi.setSystemTime(Date.now() + 10_001);
    expect((await storage.increment('k', 10_000, 3, 10_000, 'default')).isBlocked).toBe(false);
  });

  it('keeps a longer blockDuration after the window resets, without extending it', async () => {
    const storage = new BastionThrottlerStorage(new MemoryStore());
    await storage.increment('k', 1_000, 1, 30_000, 'default');
    expect((await storage.increment('k', 1_000, 1, 30_000, 'default')).timeToBlockExpire).toBe(30);
    vi.setSystemTime(Date.now() + 5_000);
    expect(await storage.increment('k', 1_000, 1, 30_000, 'default')).toMatchObject({ isBlocked: true, timeToBlockExpire: 25 });
    vi.setSystemTime(Date.now() + 25_001);
    expect((await storage.increment('k', 1_000, 1, 30_000, 'default')).isBlocked).toBe(false);
  });

  it('propagates store failures (the guard applies the fail mode)', async () => {
    const broken = new MemoryStore();
    broken.increment = () => Promise.reject(new Error('down'));
    await expect(new BastionThrottlerStorage(broken).increment('k', 1_000, 1, 1_000, 'default')).rejects.toThrow('down');
  });
});

describe('options validation', () => {
  it.each([
    [{ throttle: { principal: { limit: 0, ttl: 60_000 } } }, '"throttle.principal.limit"'],
    [{ throttle: { anonymous: { limit: 1.5, ttl: 60_000 } } }, '"throttle.anonymous.limit"'],
    [{ throttle: { scopes: { internal: { limit: 10 } } } }, '"throttle.scopes.internal.ttl"'],
    [{ throttle: { failMode: 'maybe' } }, '"throttle.failMode"'],
    [{ throttle: { principalKey: 'tenant' } }, '"throttle.principalKey"'],
    [{ bruteForce: { maxFailures: -1 } }, '"bruteForce.maxFailures"'],
    [{ bruteForce: { blockMs: 10_000, maxBlockMs: 1_000 } }, '"bruteForce.maxBlockMs"'],
    [{ trustedProxies: ['loopback', '10.0.0.0/99'] }, '"trustedProxies[1]"'],
    [{ trustedProxies: '127.0.0.1' }, '"trustedProxies"'],
    [{ store: { type: 'redis' } }, '"store"'],
    [{ store: { type: 'redis', url: 'http://x' } }, '"store.url"'],
    [{ store: { type: 'memcached' } }, '"store.type"'],
    [{ store: { type: 'memory', maxKeys: 0 } }, '"store.maxKeys"'],
  ])('refuses %j at boot naming the option', (options, name) => {
    expect(() => resolveConfig(options as never)).toThrow(name);
  });

  it('accepts a full, valid configuration', () => {
    expect(() =>
      validateOptions({
        trustedProxies: ['loopback', '10.0.0.0/8'],
        throttle: { principal: { limit: 10, ttl: 1_000 }, failMode: 'closed', scopes: { internal: { limit: 100, ttl: 1_000 } } },
        bruteForce: { maxFailures: 5, windowMs: 60_000 },
        store: { type: 'redis', url: 'redis://127.0.0.1:6379', keyPrefix: 'app:' },
      }),
    ).not.toThrow();
  });
});
