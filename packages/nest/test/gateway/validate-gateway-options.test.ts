import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { GatewayUpstream } from '../../src/gateway/gateway-options.js';
import { signatureUpstream } from '../../src/gateway/signature-upstream.js';
import { mergeGatewaySettings, resolveGatewayOptions, resolveGatewayRoutes } from '../../src/gateway/validate-gateway-options.js';
import { BastionConfigError } from '../../src/options/assert.js';

const base: GatewayUpstream = { url: 'https://orders.internal/api', prefix: '/orders', scopes: ['orders:read'], credential: 'none' };
const refused = (upstream: Partial<GatewayUpstream> & Record<string, unknown>, more: Record<string, GatewayUpstream> = {}) => {
  try {
    resolveGatewayOptions({ upstreams: { orders: { ...base, ...upstream } as GatewayUpstream, ...more } });
  } catch (error) {
    expect(error).toBeInstanceOf(BastionConfigError);
    return (error as Error).message;
  }
  throw new Error('accepted');
};

const ed25519Pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();

describe('resolveGatewayOptions', () => {
  it.each([
    ['a key that is not a key', { keyid: 'gw', alg: 'ed25519', key: 'not a pem' }, 'gateway.upstreams.orders.credential'],
    ['an empty keyid', { keyid: '', alg: 'ed25519', key: ed25519Pem }, 'gateway.upstreams.orders.credential'],
    ['a short HMAC secret', { keyid: 'gw', alg: 'hmac-sha256', key: Buffer.alloc(8) }, 'gateway.upstreams.orders.credential'],
    ['an unknown algorithm', { keyid: 'gw', alg: 'md5', key: ed25519Pem }, 'gateway.upstreams.orders.credential.alg'],
    ['digest: false', { keyid: 'gw', alg: 'ed25519', key: ed25519Pem, digest: false }, 'gateway.upstreams.orders.credential.digest'],
    ['its own components', { keyid: 'gw', alg: 'ed25519', key: ed25519Pem, components: ['@method'] }, 'gateway.upstreams.orders.credential.components'],
  ])('refuses a signatureUpstream with %s at boot, naming the option', (_label, options, path) => {
    expect(refused({ credential: signatureUpstream(options as never) })).toContain(`"${path}"`);
  });

  it('accepts a signatureUpstream with a fitting key', () => {
    const [u] = resolveGatewayOptions({ upstreams: { orders: { ...base, credential: signatureUpstream({ keyid: 'gw', alg: 'ed25519', key: ed25519Pem }) } } }).upstreams;
    expect(u!.credential).toMatchObject({ needsBody: true, signsTarget: true });
  });

  it('applies the documented defaults', () => {
    const [u] = resolveGatewayOptions({ upstreams: { orders: base } }).upstreams;
    expect(u).toMatchObject({ origin: 'https://orders.internal', basePath: '/api', prefix: '/orders', methods: ['GET'], timeoutMs: 10_000, maxRequestBytes: 10 * 1024 * 1024, maxResponseBytes: 10 * 1024 * 1024, concurrency: 64, retryAttempts: 0, breakerFailures: 5, breakerOpenMs: 30_000, allowSetCookie: false, credential: undefined });
    expect([...u!.retryMethods]).toEqual(['GET', 'HEAD', 'OPTIONS']);
  });

  it.each([
    [{ url: 'http://orders.internal' }, 'url'],
    [{ url: 'https://orders.internal/?a=1' }, 'url'],
    [{ url: 'https://user:pw@orders.internal' }, 'url'],
    [{ prefix: '/orders/../admin' }, 'prefix'],
    [{ prefix: 'orders' }, 'prefix'],
    [{ methods: ['TRACE'] }, 'methods'],
    [{ scopes: [] }, 'must state who may call it'],
    [{ public: true }, 'public'],
    [{ credential: undefined }, 'credential'],
    [{ credential: { token: 'x' } }, 'credential'],
    [{ retry: { attempts: 2, methods: ['POST'] } }, 'retry.methods'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ maxResponseBytes: -1 }, 'maxResponseBytes'],
  ])('refuses %j naming the option', (upstream, named) => {
    expect(refused(upstream as Partial<GatewayUpstream>)).toContain(named);
  });

  it('refuses overlapping prefixes', () => {
    expect(refused({}, { admin: { ...base, prefix: '/orders/admin' } })).toContain('overlaps');
  });
});

describe('forRootAsync: resolveGatewayRoutes and mergeGatewaySettings', () => {
  const routes = { orders: { prefix: '/Orders/', methods: ['GET', 'POST'], scopes: ['orders:read'] } } as const;
  const settings = { upstreams: { orders: { url: 'https://orders.internal/api', credential: 'none' as const, timeoutMs: 2500 } }, stripRequestHeaders: ['X-Tenant-Key'] };

  it('routes and settings resolve exactly as the same options given to forRoot', () => {
    const merged = resolveGatewayOptions(mergeGatewaySettings(structuredClone(routes) as never, settings));
    const direct = resolveGatewayOptions({ upstreams: { orders: { ...settings.upstreams.orders, ...structuredClone(routes.orders) } as never }, stripRequestHeaders: ['X-Tenant-Key'] });
    expect(merged).toEqual(direct);
    expect(merged.upstreams[0]).toMatchObject({ prefix: '/orders', methods: ['GET', 'POST'], origin: 'https://orders.internal', basePath: '/api', timeoutMs: 2500 });
  });

  it('the routes alone give the controllers their prefix, methods and access', () => {
    expect(resolveGatewayRoutes(structuredClone(routes) as never)).toMatchObject([{ name: 'orders', prefix: '/orders', methods: ['GET', 'POST'], scopes: ['orders:read'] }]);
  });

  it.each([
    [{ upstreams: { orders: { ...settings.upstreams.orders, prefix: '/x' } } }, 'gateway.upstreams.orders.prefix'],
    [{ upstreams: { orders: settings.upstreams.orders, billing: settings.upstreams.orders } }, 'gateway.upstreams.billing'],
    [{ upstreams: {} }, 'gateway.upstreams.orders'],
    [{}, 'gateway.upstreams'],
  ])('refuses settings %j naming %s', (bad, path) => {
    expect(() => mergeGatewaySettings(structuredClone(routes) as never, bad as never)).toThrow(`"${path}"`);
  });
});
