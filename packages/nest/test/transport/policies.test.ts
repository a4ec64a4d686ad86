import { describe, expect, it } from 'vitest';
import { acceptsJson } from '../../src/transport/content-negotiation.js';
import { corsDecision, originMatches } from '../../src/transport/cors-policy.js';
import { httpsDecision } from '../../src/transport/https-policy.js';
import { parseMediaType } from '../../src/transport/media-type.js';
import { API_SECURITY_HEADERS, apiSecurityHeaders } from '../../src/transport/security-headers.js';
import type { ClientAddress } from '../../src/net/forwarded.js';

describe('acceptsJson', () => {
  it.each([
    [undefined, true],
    ['', true],
    ['*/*', true],
    ['application/*', true],
    ['application/json', true],
    ['application/problem+json', true],
    ['text/html, */*;q=0.1', true],
    ['text/html', false],
    ['application/json;q=0', false],
    ['application/*;q=0, application/json', true],
    ['*/*, application/json;q=0, application/problem+json;q=0', false],
  ])('%s → %s', (accept, expected) => {
    expect(acceptsJson(accept)).toBe(expected);
  });
});

describe('parseMediaType', () => {
  it('lower-cases the essence and unquotes parameters', () => {
    expect(parseMediaType('Application/JSON; Charset="utf-8"')).toEqual({ essence: 'application/json', parameters: { charset: 'utf-8' } });
    expect(parseMediaType('json')).toBeUndefined();
    expect(parseMediaType('a b/c')).toBeUndefined();
  });
});

describe('CORS', () => {
  const policy = {
    origins: ['https://app.example.com', 'https://*.example.org', /^https:\/\/ok\.test$/],
    credentials: true,
    methods: ['GET', 'POST'],
    allowedHeaders: ['Authorization', 'Content-Type'],
    exposedHeaders: ['X-Request-Id'],
    maxAge: 600,
  };

  it('matches exact origins, one-label wildcards and RegExps only', () => {
    expect(originMatches('https://a.example.org', 'https://*.example.org')).toBe(true);
    expect(originMatches('https://a.b.example.org', 'https://*.example.org')).toBe(false);
    expect(originMatches('https://example.org', 'https://*.example.org')).toBe(false);
    expect(originMatches('https://app.example.com.evil', 'https://app.example.com')).toBe(false);
    expect(originMatches('http://app.example.com', 'https://app.example.com')).toBe(false);
  });

  it('echoes an allowed origin with credentials and Vary, and answers its preflight', () => {
    const simple = corsDecision({ origin: 'https://app.example.com', method: 'GET', requestMethod: undefined, requestHeaders: undefined }, policy);
    expect(simple).toEqual({
      preflight: false,
      allowed: true,
      headers: { Vary: 'Origin', 'Access-Control-Allow-Origin': 'https://app.example.com', 'Access-Control-Allow-Credentials': 'true', 'Access-Control-Expose-Headers': 'X-Request-Id' },
    });
    const pre = corsDecision({ origin: 'https://ok.test', method: 'OPTIONS', requestMethod: 'POST', requestHeaders: 'content-type' }, policy);
    expect(pre.preflight).toBe(true);
    expect(pre.headers['Access-Control-Max-Age']).toBe('600');
    expect(pre.headers['Access-Control-Allow-Methods']).toBe('GET, POST');
  });

  it('gives a disallowed or opaque origin no CORS header at all', () => {
    for (const origin of ['https://evil.example', 'null', undefined]) {
      const d = corsDecision({ origin, method: 'GET', requestMethod: undefined, requestHeaders: undefined }, policy);
      expect(d.allowed).toBe(false);
      expect(Object.keys(d.headers)).toEqual(['Vary']);
    }
  });

  it('sends * only for a wildcard without credentials', () => {
    const d = corsDecision({ origin: 'https://any.site', method: 'GET', requestMethod: undefined, requestHeaders: undefined }, { ...policy, origins: ['*'], credentials: false });
    expect(d.headers['Access-Control-Allow-Origin']).toBe('*');
    expect(d.headers['Access-Control-Allow-Credentials']).toBeUndefined();
  });
});

describe('httpsDecision', () => {
  const policy = { enforce: true, redirectTo: undefined, allowLocal: true };
  const client = (over: Partial<ClientAddress>): ClientAddress => ({ ip: '127.0.0.1', peer: '127.0.0.1', protocol: 'http', host: undefined, viaTrustedProxy: true, forwardingHeaders: false, ...over });

  it('allows https, and plain local loopback traffic without forwarding headers', () => {
    expect(httpsDecision(client({ protocol: 'https', peer: '10.0.0.1', viaTrustedProxy: false }), 'GET', false, policy)).toBe('allow');
    expect(httpsDecision(client({}), 'POST', false, policy)).toBe('allow');
    expect(httpsDecision(client({ peer: '::1' }), 'GET', false, policy)).toBe('allow');
  });

  it('rejects forwarded plain HTTP, untrusted loopback peers and remote peers', () => {
    expect(httpsDecision(client({}), 'GET', true, policy)).toBe('reject');
    expect(httpsDecision(client({ viaTrustedProxy: false }), 'GET', false, policy)).toBe('reject');
    expect(httpsDecision(client({ peer: '203.0.113.1', viaTrustedProxy: false }), 'GET', false, policy)).toBe('reject');
    expect(httpsDecision(client({}), 'GET', false, { ...policy, allowLocal: false })).toBe('reject');
  });

  it('redirects only safe methods when configured, and can be disabled', () => {
    const redirect = { ...policy, redirectTo: 'https://api.example.com' };
    const remote = client({ peer: '203.0.113.1', viaTrustedProxy: false });
    expect(httpsDecision(remote, 'GET', false, redirect)).toBe('redirect');
    expect(httpsDecision(remote, 'HEAD', false, redirect)).toBe('redirect');
    expect(httpsDecision(remote, 'POST', false, redirect)).toBe('reject');
    expect(httpsDecision(remote, 'POST', false, { ...policy, enforce: false })).toBe('allow');
  });
});

describe('apiSecurityHeaders', () => {
  it('is the preset by default, merges overrides case-insensitively, drops false, and is empty for false', () => {
    expect(Object.fromEntries(apiSecurityHeaders(undefined))).toEqual(API_SECURITY_HEADERS);
    const merged = Object.fromEntries(apiSecurityHeaders({ 'x-frame-options': 'SAMEORIGIN', 'Permissions-Policy': false, 'X-Extra': '1' }));
    expect(merged['x-frame-options']).toBe('SAMEORIGIN');
    expect(merged['X-Frame-Options']).toBeUndefined();
    expect(merged['Permissions-Policy']).toBeUndefined();
    expect(merged['X-Extra']).toBe('1');
    expect(apiSecurityHeaders(false)).toEqual([]);
  });
});

describe('routerRejection', () => {
  it('flags over-long segments and malformed escapes in the path only', async () => {
    const { routerRejection } = await import('../../src/transport/fastify-router-guard.js');
    expect(routerRejection(`/o/${'a'.repeat(101)}`, 100)).toBe('ERR_URI_TOO_LONG');
    expect(routerRejection(`/o/${'a'.repeat(100)}`, 100)).toBeUndefined();
    expect(routerRejection('/o/%ZZ', 100)).toBe('ERR_BAD_REQUEST');
    expect(routerRejection('/o/%C3%A9?q=%ZZ', 100)).toBeUndefined();
    expect(routerRejection(`/o?q=${'a'.repeat(500)}`, 100)).toBeUndefined();
  });
});
