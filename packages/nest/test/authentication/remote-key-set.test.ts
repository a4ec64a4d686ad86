import { generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import { DiscoveryDocument } from '../../src/authentication/jwt/discovery-document.js';
import { RemoteKeySet, type RemoteKeySetOptions } from '../../src/authentication/jwt/remote-key-set.js';

function jwk(kid: string, bits = 2048) {
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { ...publicKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

const KEY_A = jwk('a');
const KEY_B = jwk('b');

/** A JWKS endpoint double: counts fetches, can be down, slow (never answers until aborted), or change keys. */
class Endpoint {
  keys: unknown[] = [KEY_A];
  calls = 0;
  down = false;
  hang = false;
  fetch: typeof fetch = async (_url, init) => {
    this.calls++;
    if (this.hang) {
      return new Promise<Response>((_resolve, rejectFetch) => {
        init?.signal?.addEventListener('abort', () => rejectFetch(new DOMException('aborted', 'AbortError')));
      });
    }
    await Promise.resolve();
    if (this.down) return new Response('down', { status: 503 });
    return Response.json({ keys: this.keys });
  };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof JwtRejection ? error.reason : `other: ${String(error)}`;
  }
}

describe('RemoteKeySet', () => {
  let endpoint: Endpoint;
  let now: number;
  let set: RemoteKeySet;
  const make = (extra: Partial<RemoteKeySetOptions> = {}) =>
    new RemoteKeySet({ jwksUri: 'https://id.example/jwks', maxAge: 600_000, cooldown: 30_000, timeout: 1_000, maxStale: 3_600_000, fetch: endpoint.fetch, now: () => now, ...extra });

  beforeEach(() => {
    endpoint = new Endpoint();
    now = 1_000_000;
    set = make();
  });

  it('fetches once for concurrent first callers (one in-flight fetch shared)', async () => {
    const keys = await Promise.all(Array.from({ length: 50 }, () => set.getKey('a', 'RS256')));
    expect(endpoint.calls).toBe(1);
    expect(new Set(keys).size).toBe(1);
  });

  it('imports each key once and reuses it across refreshes', async () => {
    const first = await set.getKey('a', 'RS256');
    now += 700_000;
    await set.refresh();
    expect(endpoint.calls).toBe(2);
    expect(await set.getKey('a', 'RS256')).toBe(first);
    expect(set.isCurrent(first)).toBe(true);
  });

  it('a flood of unknown kids causes at most one fetch per cooldown', async () => {
    await set.getKey('a', 'RS256');
    const reasons = await Promise.all(Array.from({ length: 200 }, (_, i) => reason(set.getKey(`random-${i}`, 'RS256'))));
    expect(new Set(reasons)).toEqual(new Set(['ERR_KEY_UNKNOWN']));
    // The first unknown kid is at most one cooldown after the initial fetch: still within it, no refetch.
    expect(endpoint.calls).toBe(1);
    now += 30_000;
    await Promise.all(Array.from({ length: 200 }, (_, i) => reason(set.getKey(`again-${i}`, 'RS256'))));
    expect(endpoint.calls).toBe(2);
    now += 10_000;
    await reason(set.getKey('more', 'RS256'));
    expect(endpoint.calls).toBe(2);
  });

  it('accepts a newly published key within one cooldown, even right after a flood', async () => {
    await set.getKey('a', 'RS256');
    now += 30_000;
    await Promise.all(Array.from({ length: 100 }, (_, i) => reason(set.getKey(`flood-${i}`, 'RS256'))));
    expect(endpoint.calls).toBe(2);
    endpoint.keys = [KEY_A, KEY_B];
    expect(await reason(set.getKey('b', 'RS256'))).toBe('ERR_KEY_UNKNOWN');
    now += 30_000;
    expect((await set.getKey('b', 'RS256')).kid).toBe('b');
    expect(endpoint.calls).toBe(3);
  });

  it('serves cached keys while the endpoint is down, within maxAge + maxStale, then refuses', async () => {
    const key = await set.getKey('a', 'RS256');
    endpoint.down = true;
    now += 600_000 + 1;
    expect(await set.getKey('a', 'RS256')).toBe(key);
    now += 3_000_000;
    expect(await set.getKey('a', 'RS256')).toBe(key);
    now += 600_000;
    expect(await reason(set.getKey('a', 'RS256'))).toBe('ERR_JWKS_UNAVAILABLE');
    endpoint.down = false;
    now += 30_000;
    expect(await set.getKey('a', 'RS256')).toBe(key);
  });

  it('times out a hanging endpoint (AbortController) and reports the JWKS as unavailable', async () => {
    endpoint.hang = true;
    set = make({ timeout: 50 });
    expect(await reason(set.getKey('a', 'RS256'))).toBe('ERR_JWKS_UNAVAILABLE');
    // Failed attempts are rate limited by the cooldown as well.
    expect(await reason(set.getKey('a', 'RS256'))).toBe('ERR_JWKS_UNAVAILABLE');
    expect(endpoint.calls).toBe(1);
  });

  it('ignores keys that are weak, not for signatures, or symmetric', async () => {
    endpoint.keys = [jwk('weak', 1024), { ...jwk('enc'), use: 'enc' }, { kty: 'oct', k: 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0', kid: 'oct' }, KEY_A];
    expect((await set.getKey('a', 'RS256')).kid).toBe('a');
    expect(await reason(set.getKey('weak', 'RS256'))).toBe('ERR_KEY_REJECTED');
    expect(await reason(set.getKey('enc', 'RS256'))).toBe('ERR_KEY_REJECTED');
    expect(await reason(set.getKey('oct', 'HS256'))).toBe('ERR_KEY_REJECTED');
  });

  it('never lets an RSA key verify another algorithm family (no RS→HS confusion)', async () => {
    expect(await reason(set.getKey('a', 'HS256'))).toBe('ERR_KEY_REJECTED');
    expect(await reason(set.getKey('a', 'ES256'))).toBe('ERR_KEY_REJECTED');
    // The JWK pins RS256: PS256 with the same key is refused too.
    expect(await reason(set.getKey('a', 'PS256'))).toBe('ERR_KEY_REJECTED');
  });

  it('drops keys the issuer removed (isCurrent false)', async () => {
    const a = await set.getKey('a', 'RS256');
    endpoint.keys = [KEY_B];
    now += 30_000;
    await set.getKey('b', 'RS256');
    expect(set.isCurrent(a)).toBe(false);
  });

  it('checks the discovered issuer', async () => {
    const fetchDoc: typeof fetch = async (url) => {
      endpoint.calls++;
      return String(url).endsWith('openid-configuration') ? Response.json({ issuer: 'https://evil.example', jwks_uri: 'https://id.example/jwks' }) : Response.json({ keys: [KEY_A] });
    };
    const discovery = new DiscoveryDocument({ url: 'https://id.example/.well-known/openid-configuration', issuer: 'https://id.example', allowInsecureHttp: false, maxAge: 600_000, cooldown: 30_000, timeout: 1_000, fetch: fetchDoc, now: () => now });
    set = make({ jwksUri: undefined, discovery, fetch: fetchDoc });
    expect(await reason(set.getKey('a', 'RS256'))).toBe('ERR_JWKS_UNAVAILABLE');
  });

  it('re-reads the discovery document after maxAge and follows a moved jwks_uri', async () => {
    let jwksUri = 'https://id.example/jwks-1';
    const served: string[] = [];
    const fetchAll: typeof fetch = async (url) => {
      served.push(String(url));
      if (String(url).endsWith('openid-configuration')) return Response.json({ issuer: 'https://id.example', jwks_uri: jwksUri });
      return Response.json({ keys: String(url).endsWith('-1') ? [KEY_A] : [KEY_B] });
    };
    const discovery = new DiscoveryDocument({ url: 'https://id.example/.well-known/openid-configuration', issuer: 'https://id.example', allowInsecureHttp: false, maxAge: 600_000, cooldown: 30_000, timeout: 1_000, fetch: fetchAll, now: () => now });
    set = make({ jwksUri: undefined, discovery, fetch: fetchAll });
    expect(await reason(set.getKey('a', 'RS256'))).toBe('resolved');
    jwksUri = 'https://id.example/jwks-2';
    now += 600_000;
    await set.refresh();
    expect(served.filter((u) => u.endsWith('openid-configuration'))).toHaveLength(2);
    expect(await reason(set.getKey('b', 'RS256'))).toBe('resolved');
    expect(served.at(-1)).toBe('https://id.example/jwks-2');
  });

  it('exposes the last successful fetch and the last failure, and refreshes only when due', async () => {
    expect(set.status()).toMatchObject({ source: 'remote', keys: 0, fetch: { lastSuccess: undefined, lastFailure: undefined, successes: 0, failures: 0 } });
    await set.refreshIfStale();
    expect(set.status()).toMatchObject({ keys: 1, fetch: { lastSuccess: 1_000_000, successes: 1, failures: 0 }, maxAge: 600_000, maxStale: 3_600_000 });
    await set.refreshIfStale();
    expect(endpoint.calls).toBe(1);
    now += 600_000;
    endpoint.down = true;
    await set.refreshIfStale();
    expect(endpoint.calls).toBe(2);
    expect(set.status().fetch).toEqual({ lastSuccess: 1_000_000, lastFailure: 1_600_000, lastError: 'HTTP 503', successes: 1, failures: 1 });
    // The stale keys stay in use while the endpoint is down.
    expect(set.status().keys).toBe(1);
  });

  it('reports the discovery document it reads the JWKS URI from', async () => {
    let discoveryDown = false;
    const fetchAll: typeof fetch = async (url) => {
      if (String(url).endsWith('openid-configuration')) {
        return discoveryDown ? new Response('', { status: 500 }) : Response.json({ issuer: 'https://id.example', jwks_uri: 'https://id.example/jwks' });
      }
      return Response.json({ keys: [KEY_A] });
    };
    const discovery = new DiscoveryDocument({ url: 'https://id.example/.well-known/openid-configuration', issuer: 'https://id.example', allowInsecureHttp: false, maxAge: 600_000, cooldown: 30_000, timeout: 1_000, fetch: fetchAll, now: () => now });
    set = make({ jwksUri: undefined, discovery, fetch: fetchAll });
    await set.refresh();
    expect(set.status().discovery).toMatchObject({ lastSuccess: 1_000_000, successes: 1, failures: 0 });
    discoveryDown = true;
    now += 600_000;
    await set.refresh();
    // The last good document keeps serving, and its failed refresh is on record.
    expect(set.status().discovery).toMatchObject({ lastSuccess: 1_000_000, lastFailure: 1_600_000, lastError: 'HTTP 500', failures: 1 });
    expect(set.status().fetch).toMatchObject({ successes: 2, failures: 0 });
  });
});
