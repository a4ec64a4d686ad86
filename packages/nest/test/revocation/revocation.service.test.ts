import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SecurityEvent } from '../../src/audit/security-event.js';
import { SecurityEvents } from '../../src/audit/security-events.service.js';
import type { Principal } from '../../src/core/principal.js';
import { InvalidTokenException } from '../../src/errors/bastion.exception.js';
import type { BastionOptions } from '../../src/options/bastion-options.interface.js';
import { resolveConfig } from '../../src/options/resolve-config.js';
import { RevocationService } from '../../src/revocation/revocation.service.js';
import { TokenChecks } from '../../src/revocation/token-checks.js';
import { MemorySecurityStore } from '../../src/stores/memory-security.store.js';
import type { SecurityStateStore } from '../../src/stores/security-state.interface.js';

const principal = (over: Partial<Principal> = {}): Principal => {
  const now = Math.floor(Date.now() / 1000);
  return { subject: 'alice', credential: 'jwt', scopes: new Set(), roles: new Set(), tokenId: 'j1', claims: { iat: now, exp: now + 300, jti: 'j1' }, ...over };
};

function setup(options: BastionOptions = {}) {
  const store = new MemorySecurityStore();
  const seen: SecurityEvent[] = [];
  const events = new SecurityEvents(null);
  events.subscribe((e) => void seen.push(e));
  const service = new RevocationService(store, events, resolveConfig(options));
  return { store, service, seen, checks: new TokenChecks(service) };
}

describe('RevocationService', () => {
  afterEach(() => vi.useRealTimers());

  it('revokes a jti until the token expires, then forgets it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { service, seen } = setup({ revocation: { clockTolerance: 0 } });
    await service.revokeToken('j1', new Date(Date.now() + 10_000));
    expect(await service.isRevoked(principal())).toBe(true);
    expect(await service.isRevoked(principal({ tokenId: 'j2' }))).toBe(false);
    expect(seen.map((e) => [e.type, e.reason])).toEqual([['token.revoked', 'REVOKED_TOKEN']]);
    vi.setSystemTime(Date.now() + 10_001);
    expect(await service.isRevoked(principal())).toBe(false);
  });

  it('keeps the latest subject cut-off when called twice (an earlier one never undoes a later one)', async () => {
    const { service } = setup();
    const now = Date.now();
    await service.revokeSubject('alice', new Date(now));
    await service.revokeSubject('alice', new Date(now - 3_600_000));
    expect(await service.isRevoked(principal({ claims: { iat: Math.floor(now / 1000) - 60 } }))).toBe(true);
  });

  it('applies subject and client cut-offs to tokens only, not to API keys', async () => {
    const { service } = setup();
    await service.revokeSubject('alice');
    expect(await service.isRevoked(principal({ credential: 'api-key', tokenId: undefined, claims: {} }))).toBe(false);
    expect(await service.isRevoked(principal({ claims: {} }))).toBe(true); // no iat: cannot prove it is newer
  });

  it('refuses empty ids', async () => {
    const { service } = setup();
    await expect(service.revokeToken('')).rejects.toThrow(TypeError);
    await expect(service.revokeSubject('')).rejects.toThrow(TypeError);
  });
});

describe('TokenChecks', () => {
  it('rejects with the uniform invalid-token exception and the precise reason, claimed identity attached', async () => {
    const { checks, service, store } = setup({ tokens: { requireJti: true } });
    const reasonOf = (p: Principal) => (async () => checks.check(p))().then(() => 'ok', (e: InvalidTokenException) => [e.code, e.reason, (e as unknown as { claimed: object }).claimed]);
    expect(await reasonOf(principal())).toBe('ok');
    const now = Math.floor(Date.now() / 1000);
    expect((await reasonOf(principal({ claims: { iat: now, exp: now + 3601 } })))).toEqual(['ERR_INVALID_TOKEN', 'ERR_TOKEN_LIFETIME', { subject: 'alice', credential: 'jwt', keyId: 'j1' }]);
    expect((await reasonOf(principal({ tokenId: undefined, claims: { iat: now, exp: now + 60 } })))[1]).toBe('ERR_TOKEN_ID_MISSING');
    await service.revokeToken('j1');
    expect((await reasonOf(principal()))[1]).toBe('ERR_TOKEN_REVOKED');
    // The memory store answers synchronously (getNow); a store that cannot answer fails closed either way.
    store.getNow = () => {
      throw new Error('ECONNREFUSED');
    };
    expect((await reasonOf(principal({ tokenId: 'j3' })))[1]).toBe('ERR_REVOCATION_UNAVAILABLE');
    // A shared store (Redis) has no synchronous read: its rejection fails closed too.
    Object.assign(store, { getNow: undefined, get: () => Promise.reject(new Error('ECONNREFUSED')) });
    expect((await reasonOf(principal({ tokenId: 'j4' })))[1]).toBe('ERR_REVOCATION_UNAVAILABLE');
  });

  it('reads revocations through a store without a synchronous read (Redis-shaped), and sees each at once', async () => {
    const memory = new MemorySecurityStore();
    const shared: SecurityStateStore = {
      get: (kind, key) => memory.get(kind, key),
      put: (kind, key, value, ttlMs) => memory.put(kind, key, value, ttlMs),
      putIfAbsent: (kind, key, value, ttlMs) => memory.putIfAbsent(kind, key, value, ttlMs),
      delete: (kind, key) => memory.delete(kind, key),
    };
    const service = new RevocationService(shared, new SecurityEvents(null), resolveConfig({}));
    const checks = new TokenChecks(service);
    const reasonOf = (p: Principal) => (async () => checks.check(p))().then(() => 'ok', (e: InvalidTokenException) => e.reason);
    const claims = principal().claims;
    expect(service.revokedNow(principal({ claims }))).toBeInstanceOf(Promise);
    expect(await reasonOf(principal({ claims }))).toBe('ok');
    await service.revokeToken('j1');
    expect(await reasonOf(principal({ claims }))).toBe('ERR_TOKEN_REVOKED');
  });

  it('keeps the keys per verified claim set but never reuses them for other principal fields', async () => {
    const { service } = setup();
    // One cached token's principals share its frozen claims object.
    const claims = principal().claims;
    expect(await service.isRevoked(principal({ claims }))).toBe(false);
    await service.revokeToken('other-jti');
    expect(await service.isRevoked(principal({ claims }))).toBe(false);
    expect(await service.isRevoked(principal({ claims, tokenId: 'other-jti' }))).toBe(true);
    await service.revokeSubject('bob', new Date(Date.now() + 1_000));
    expect(await service.isRevoked(principal({ claims }))).toBe(false);
    expect(await service.isRevoked(principal({ claims, subject: 'bob' }))).toBe(true);
    // Cut-offs apply to tokens only: the same claims under an API key principal read no subject cut-off.
    expect(await service.isRevoked(principal({ claims, subject: 'bob', tokenId: undefined, credential: 'api-key' }))).toBe(false);
  });

  it('skips store lookups when revocation is disabled, but keeps lifetime rules', async () => {
    const { checks, store } = setup({ revocation: { enabled: false } });
    store.get = () => Promise.reject(new Error('must not be called'));
    store.getNow = () => {
      throw new Error('must not be called');
    };
    await expect((async () => checks.check(principal()))()).resolves.toBeUndefined();
    const now = Math.floor(Date.now() / 1000);
    await expect((async () => checks.check(principal({ claims: { iat: now, exp: now + 7200 } })))()).rejects.toBeInstanceOf(InvalidTokenException);
  });
});

describe('RevocationService and clock skew', () => {
  afterEach(() => vi.useRealTimers());
  const jwt = (clockTolerance: number) => ({ issuer: 'https://id.example.com', audience: 'api', jwksUri: 'https://id.example.com/jwks', clockTolerance });

  it('keeps a revoked jti while the verifier still accepts the token: until exp plus the largest issuer tolerance', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    // revocation.clockTolerance 60 (default) < jwt[1].clockTolerance 300: the larger one counts.
    const { service } = setup({ jwt: [jwt(5), { ...jwt(300), issuer: 'https://other.example.com' }] });
    const exp = Date.now() + 10_000;
    await service.revokeToken('j1', new Date(exp));
    vi.setSystemTime(exp + 300_000 - 1);
    expect(await service.isRevoked(principal())).toBe(true);
    vi.setSystemTime(exp + 300_000 + 1);
    expect(await service.isRevoked(principal())).toBe(false);
  });

  it('refuses tokens whose iat is up to the issuer tolerance after a subject cut-off (an issuer clock running ahead)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const { service } = setup({ jwt: jwt(30) });
    const cutoff = Math.floor(Date.now() / 1000);
    await service.revokeSubject('alice', new Date(cutoff * 1000));
    expect(await service.isRevoked(principal({ tokenId: undefined, claims: { iat: cutoff + 30, exp: cutoff + 600 } }))).toBe(true);
    expect(await service.isRevoked(principal({ tokenId: undefined, claims: { iat: cutoff + 31, exp: cutoff + 600 } }))).toBe(false);
  });

  it('keeps a subject cut-off until every token it refuses has expired, skew included', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const { service } = setup({ jwt: jwt(300), tokens: { maxLifetime: 600 } });
    const cutoff = Math.floor(Date.now() / 1000);
    await service.revokeSubject('alice');
    // The last token it refuses: iat = cut-off + 300, exp = iat + 600, accepted until exp + 300.
    const last = principal({ tokenId: undefined, claims: { iat: cutoff + 300, exp: cutoff + 900 } });
    vi.setSystemTime((cutoff + 1_200) * 1000 - 1);
    expect(await service.isRevoked(last)).toBe(true);
    vi.setSystemTime((cutoff + 1_200) * 1000 + 1);
    expect(await service.isRevoked(last)).toBe(false);
  });
});
