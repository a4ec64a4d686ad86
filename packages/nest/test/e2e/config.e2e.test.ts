import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Count every resolution of an option set (Issue 16: "resolved once").
const counts = vi.hoisted(() => ({ staticKeys: 0, throttle: 0, bruteForce: 0, transport: 0, proxies: 0 }));
vi.mock('../../src/authentication/jwt/verification-key.js', async (original) => {
  const mod = await original<typeof import('../../src/authentication/jwt/verification-key.js')>();
  return { ...mod, importStaticKeys: (...args: Parameters<typeof mod.importStaticKeys>) => (counts.staticKeys++, mod.importStaticKeys(...args)) };
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

const { Authenticated, BASTION_CONFIG, BastionModule, JwtVerifier, Public, generateEd25519Jwk } = await import('../../src/index.js');
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
      } finally {
        await running.close();
      }
    });
    afterAll(() => vi.restoreAllMocks());

    it('imports static keys, resolves throttle, brute-force and transport options and builds the proxy list once', () => {
      expect(delta()).toEqual({ staticKeys: 1, throttle: 1, bruteForce: 1, transport: 1, proxies: 1 });
    });

    it('hands every part the same resolved objects', () => {
      const source = config.jwt[0]!.source as { kind: 'keys'; keys: { key: unknown }[] };
      expect(source.kind).toBe('keys');
      // The verifier uses the keys imported at resolution, not a second import.
      expect((verifier.keySource(ISSUER) as unknown as { keys: { key: unknown }[] }).keys.map((k) => k.key)).toEqual(source.keys.map((k) => k.key));
      expect(config.trustedProxies.contains('127.0.0.1')).toBe(true);
      expect(config.throttle.principal).toEqual({ limit: 1_000, ttl: 60_000 });
    });

    it('is immutable', () => {
      expect(Object.isFrozen(config)).toBe(true);
      expect(Object.isFrozen(config.throttle)).toBe(true);
      expect(Object.isFrozen(config.transport.limits)).toBe(true);
      expect(Object.isFrozen(config.options)).toBe(true);
      expect(() => ((config.throttle as { enabled: boolean }).enabled = false)).toThrow(TypeError);
    });
  });
});
