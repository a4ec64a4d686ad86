import { afterEach, describe, expect, it, vi } from 'vitest';
import { endpointHealth, keySetHealth, storeHealth } from '../../src/health/dependency-health.js';
import { MemoryStore } from '../../src/stores/memory.store.js';

const MIN = 60_000;
const fetch = (lastSuccess?: number, lastFailure?: number, lastError?: string) => ({ lastSuccess, lastFailure, lastError, successes: lastSuccess ? 1 : 0, failures: lastFailure ? 1 : 0 });
const remote = (f: ReturnType<typeof fetch>, keys = 2) => ({ source: 'remote' as const, keys, fetch: f, maxAge: 10 * MIN, maxStale: 60 * MIN });

describe('keySetHealth', () => {
  const now = Date.parse('2026-01-01T12:00:00Z');

  it('is up and fresh within maxAge', () => {
    expect(keySetHealth(remote(fetch(now - MIN)), now)).toEqual({
      status: 'up', source: 'remote', keys: 2, ageSeconds: 60, stale: false, expired: false, lastSuccess: '2026-01-01T11:59:00.000Z', lastFailure: undefined, lastError: undefined,
    });
  });

  it('is up but stale past maxAge, with the failing refresh on record', () => {
    expect(keySetHealth(remote(fetch(now - 30 * MIN, now - MIN, 'HTTP 503')), now)).toMatchObject({ status: 'up', stale: true, expired: false, lastFailure: '2026-01-01T11:59:00.000Z', lastError: 'HTTP 503' });
  });

  it('is down past maxAge + maxStale (every token of the issuer is refused) and when never fetched', () => {
    expect(keySetHealth(remote(fetch(now - 70 * MIN, now - MIN, 'timed out after 5000 ms')), now)).toMatchObject({ status: 'down', stale: true, expired: true, lastError: 'timed out after 5000 ms' });
    expect(keySetHealth(remote(fetch(undefined, now - MIN, 'HTTP 404'), 0), now)).toMatchObject({ status: 'down', expired: true, keys: 0, lastError: 'HTTP 404' });
  });

  it('is always up for keys from the options', () => {
    expect(keySetHealth({ source: 'static', keys: 1 }, now)).toEqual({ status: 'up', source: 'static', keys: 1 });
  });

  it('reports the discovery document the JWKS is found through', () => {
    const status = { ...remote(fetch(now - MIN)), discovery: fetch(now - 2 * MIN, now - MIN, 'HTTP 500') };
    expect(keySetHealth(status, now).discovery).toEqual({ lastSuccess: '2026-01-01T11:58:00.000Z', lastFailure: '2026-01-01T11:59:00.000Z', lastError: 'HTTP 500' });
  });
});

describe('endpointHealth', () => {
  it('is down while the last call failed and none succeeded since; up otherwise (no call yet included)', () => {
    expect(endpointHealth(fetch(100, 200, 'HTTP 401')).status).toBe('down');
    expect(endpointHealth(fetch(undefined, 200, 'timed out after 5000 ms')).status).toBe('down');
    expect(endpointHealth(fetch(300, 200, 'HTTP 401')).status).toBe('up');
    expect(endpointHealth(fetch()).status).toBe('up');
  });
});

describe('storeHealth', () => {
  afterEach(() => vi.useRealTimers());

  it('is up with the round-trip time of the memory store', async () => {
    const store = new MemoryStore();
    expect(await storeHealth('memory', () => store.get('health:ping'), 1_000)).toMatchObject({ status: 'up', type: 'memory', latencyMs: expect.any(Number) });
  });

  it('is down with the failure code, never its message', async () => {
    const health = await storeHealth('custom', () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED redis://:pw@10.0.0.5'), { code: 'ECONNREFUSED' })), 1_000);
    expect(health).toEqual({ status: 'down', type: 'custom', error: 'ECONNREFUSED' });
    expect(JSON.stringify(health)).not.toContain('pw@');
  });

  it('is down when the store does not answer in time', async () => {
    vi.useFakeTimers();
    const pending = storeHealth('custom', () => new Promise(() => undefined), 2_000);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await pending).toEqual({ status: 'down', type: 'custom', error: 'timeout' });
  });
});
