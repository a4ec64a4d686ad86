import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Count every resolution of an option set (Issue 16: "resolved once").
const counts = vi.hoisted(() => ({ staticKeys: 0, issuers: 0, revocation: 0, throttle: 0, bruteForce: 0, transport: 0, proxies: 0 }));
vi.mock('../../src/authentication/jwt/verification-key.js', async (original) => {
  const mod = await original<typeof import('../../src/authentication/jwt/verification-key.js')>();
  return { ...mod, importStaticKeys: (...args: Parameters<typeof mod.importStaticKeys>) => (counts.staticKeys++, mod.importStaticKeys(...args)) };
});
vi.mock('../../src/authentication/issuers/resolve-issuers.js', async (original) => {
  const mod = await original<typeof import('../../src/authentication/issuers/resolve-issuers.js')>();
  return { ...mod, resolveIssuers: (...args: Parameters<typeof mod.resolveIssuers>) => (counts.issuers++, mod.resolveIssuers(...args)) };
});
vi.mock('../../src/revocation/revocation-settings.js', async (original) => {
  const mod = await original<typeof import('../../src/revocation/revocation-settings.js')>();
  return { ...mod, resolveRevocationSettings: (...args: Parameters<typeof mod.resolveRevocationSettings>) => (counts.revocation++, mod.resolveRevocationSettings(...args)) };
});
vi.mock('../../src/throttling/throttle-options.js', async (original) => {
  const mod = await original<typeof import('../../src/throttling/throttle-options.js')>();
  return {
    ...mod,
    resolveThrottleOptions: (...args: Parameters<typeof mod.resolveThrottleOptions>) => (counts.throttle++, mod.resolveThrottleOptions(...args)),
    resolveBruteForceOptions: (...args: Parameters<typeof mod.resolveBruteForceOptions>) => (counts.bruteForce++, mod.resolveBruteForceOptions(...args)),
  };
});
vi.mock('../../src/transport/resolved-transport.js', async (original) => {
  const mod = await original<typeof import('../../src/transport/resolved-transport.js')>();
  return { ...mod, resolveTransport: (...args: Parameters<typeof mod.resolveTransport>) => (counts.transport++, mod.resolveTransport(...args)) };
});
vi.mock('../../src/net/trusted-proxies.js', async (original) => {
  const mod = await original<typeof import('../../src/net/trusted-proxies.js')>();
  class CountedTrustedProxies extends mod.TrustedProxies {
    constructor(...args: ConstructorParameters<typeof mod.TrustedProxies>) {
      super(...args);
      counts.proxies++;
    }
  }
  return { ...mod, TrustedProxies: CountedTrustedProxies };
});

const { Authenticated, BASTION_CONFIG, BastionModule, JwtVerifier, MemorySecurityStore, MemoryStore, Public, RevocationService, generateEd25519Jwk } = await import('../../src/index.js');
const { resolveConfig } = await import('../../src/options/resolve-config.js');
type BastionConfig = import('../../src/index.js').BastionConfig;
const { ADAPTERS, startApp } = await import('../support/app.js');

@Controller()
class Routes {
  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('closed')
  @Authenticated()
  closed() {
    return { ok: true };
  }
}

const ISSUER = 'https://static.example.com';
const options = () => ({
  jwt: { issuer: ISSUER, audience: 'api', algorithms: ['EdDSA' as const], keys: [generateEd25519Jwk().publicJwk as never, generateEd25519Jwk().publicJwk as never] },
  trustedProxies: ['127.0.0.1'],
  store: { type: 'memory' as const, maxKeys: 5_000, maxSecurityEntries: { nonce: 1_000 } },
});

function moduleWith(bastion: DynamicModule): new () => unknown {
  @Module({ imports: [bastion], controllers: [Routes] })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('configuration resolved once (%s)', (adapter) => {
  describe.each([
    ['forRoot', () => BastionModule.forRoot(options())],
    ['forRootAsync', () => BastionModule.forRootAsync({ useFactory: async () => options() })],
  ])('%s', (_name, bastion) => {
    let config: BastionConfig;
    let verifier: InstanceType<typeof JwtVerifier>;
    let revocation: InstanceType<typeof RevocationService>;
    const before = { ...counts };
    const delta = () => Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, v - before[k as keyof typeof counts]]));

    beforeAll(async () => {
      Object.assign(before, counts);
      const running = await startApp(moduleWith(bastion()), adapter);
      try {
        // Requests through every layer (and a rejection through the filter) resolve nothing again.
        for (const path of ['/open', '/closed', '/nowhere', '/open']) await fetch(`${running.url}${path}`, { headers: { authorization: 'Bearer x.y.z' } });
        config = running.app.get(BASTION_CONFIG);
        verifier = running.app.get(JwtVerifier);
        revocation = running.app.get(RevocationService);
      } finally {
        await running.close();
      }
    });
    afterAll(() => vi.restoreAllMocks());

    it('imports static keys, resolves the trust list, revocation, throttle, brute-force and transport options and builds the proxy list once', () => {
      expect(delta()).toEqual({ staticKeys: 1, issuers: 1, revocation: 1, throttle: 1, bruteForce: 1, transport: 1, proxies: 1 });
    });

    it('hands every part the same resolved objects', () => {
      const source = config.issuers[0]!.source as { kind: 'keys'; keys: { key: unknown }[] };
      expect(source.kind).toBe('keys');
      // The verifier uses the keys imported at resolution, not a second import.
      expect((verifier.keySource(ISSUER) as unknown as { keys: { key: unknown }[] }).keys.map((k) => k.key)).toEqual(source.keys.map((k) => k.key));
      expect(config.trustedProxies.contains('127.0.0.1')).toBe(true);
      expect(config.throttle.principal).toEqual({ limit: 1_000, ttl: 60_000 });
      expect(revocation.settings).toBe(config.revocation);
      expect(config.revocation).toMatchObject({ enabled: true, maxLifetime: 3_600, issuerTolerance: 5 });
      expect(config.store).toEqual({ type: 'memory', maxKeys: 5_000, maxSecurityEntries: { nonce: 1_000 } });
    });

    it('is immutable', () => {
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.throttle)).toBe(true);
      expect(Object.isFrozen(config.transport.limits)).toBe(true);
      expect(Object.isFrozen(config.options)).toBe(true);
      expect(Object.isFrozen(config.store)).toBe(true);
      expect(Object.isFrozen(config.revocation)).toBe(true);
      expect(config.options.store).toBe(config.store);
      expect(() => ((config.throttle as { enabled: boolean }).enabled = false)).toThrow(TypeError);
    });
  });
});

describe('store settings', () => {
  it('keep the ports and clients passed in as the very objects given (never copied or frozen)', () => {
    // A port written as an object literal: a deep copy would be a different, frozen object.
    const inner = new MemoryStore();
    const counters = {
      increment: (key: string, ttlMs: number) => inner.increment(key, ttlMs),
      hitSliding: (key: string, windowMs: number) => inner.hitSliding(key, windowMs),
      get: (key: string) => inner.get(key),
      set: (key: string, value: string, ttlMs: number) => inner.set(key, value, ttlMs),
      setIfAbsent: (key: string, value: string, ttlMs: number) => inner.setIfAbsent(key, value, ttlMs),
      delete: (key: string) => inner.delete(key),
    };
    const security = new MemorySecurityStore();
    const config = resolveConfig({ store: { type: 'custom', store: counters, securityStore: security } });
    expect(config.store).toMatchObject({ type: 'custom' });
    expect((config.store as { store: unknown }).store).toBe(counters);
    expect((config.store as { securityStore: unknown }).securityStore).toBe(security);
    expect(Object.isFrozen(config.store)).toBe(true);
    expect(Object.isFrozen(counters)).toBe(false);
  });
});
