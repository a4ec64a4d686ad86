import { describe, expect, it } from 'vitest';
import type { GatewayUpstream } from '../../src/gateway/gateway-options.js';
import { resolveGatewayOptions } from '../../src/gateway/validate-gateway-options.js';
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

describe('resolveGatewayOptions', () => {
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
