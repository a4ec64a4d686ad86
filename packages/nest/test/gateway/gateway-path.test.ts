import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeGatewayPath, underPrefix } from '../../src/gateway/gateway-path.js';
import { upstreamTarget } from '../../src/gateway/forward-request.js';

describe('isSafeGatewayPath', () => {
  it.each(['/orders', '/orders/', '/orders/42', '/orders/a-b_c.d~e', '/orders/%20x', '/orders/caf%C3%A9', '/orders/..x', '/orders/x..'])('accepts %s', (path) => {
    expect(isSafeGatewayPath(path)).toBe(true);
  });

  it.each([
    '/orders/..',
    '/orders/../admin',
    '/orders/.',
    '/orders/./x',
    '/orders//x',
    '/orders/%2e%2e/x',
    '/orders/%2E./x',
    '/orders/a%2fb',
    '/orders/a%2Fb',
    '/orders/%5c',
    '/orders/a\\b',
    '/orders/%252e%252e',
    '/orders/%00',
    '/orders/a b',
    '/orders/\u0001',
    'orders',
    '',
  ])('refuses %j', (path) => {
    expect(isSafeGatewayPath(path)).toBe(false);
  });

  it('never accepts a path whose RFC 3986 dot-segment removal or one decoding changes it', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', '.', '..', '%2e', '%2f', '%25', '%5c', '\\', '', 'b'), { maxLength: 6 }), (segments) => {
        const path = `/orders/${segments.join('/')}`;
        if (!isSafeGatewayPath(path)) return;
        const normalised = new URL(path, 'http://x').pathname;
        expect(normalised).toBe(path);
        expect(decodeURIComponent(path)).toBe(path);
      }),
    );
  });
});

describe('underPrefix and upstreamTarget', () => {
  it('matches the prefix itself and below it, ignoring case, never a longer name', () => {
    expect(underPrefix('/orders', '/orders')).toBe(true);
    expect(underPrefix('/Orders/1', '/orders')).toBe(true);
    expect(underPrefix('/ordersx', '/orders')).toBe(false);
  });

  it('appends the rest of the path to the base path and keeps the query', () => {
    expect(upstreamTarget('/orders/42?x=1', '/orders', '/api')).toBe('/api/42?x=1');
    expect(upstreamTarget('/orders', '/orders', '')).toBe('/');
    expect(upstreamTarget('/orders?q', '/orders', '/api')).toBe('/api?q');
  });
});
