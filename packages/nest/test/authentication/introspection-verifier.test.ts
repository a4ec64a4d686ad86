import { describe, expect, it } from 'vitest';
import { IntrospectionVerifier } from '../../src/authentication/introspection/introspection-verifier.js';
import { resolveIssuers } from '../../src/authentication/issuers/resolve-issuers.js';
import { JwtRejection } from '../../src/authentication/jwt/jwt-errors.js';
import type { IssuerOptions } from '../../src/index.js';

const SECRET = 'a-client-secret-long-enough';
const now = () => Date.now();

/** Introspection endpoints double: per host, a state (active, inactive, down) and the calls seen. */
class Endpoints {
  state: Record<string, 'active' | 'inactive' | 'down'> = {};
  calls: string[] = [];
  bodies: URLSearchParams[] = [];
  fetch: typeof fetch = async (url, init) => {
    const host = new URL(String(url)).host;
    this.calls.push(host);
    if (String(url).endsWith('openid-configuration')) return Response.json({ issuer: `https://${host}`, introspection_endpoint: `https://${host}/moved/introspect` });
    this.bodies.push(new URLSearchParams(String(init?.body)));
    const state = this.state[host] ?? 'inactive';
    if (state === 'down') return new Response('down', { status: 503 });
    if (state === 'inactive') return Response.json({ active: false });
    return Response.json({ active: true, iss: `https://${host}`, aud: 'api', sub: `user-of-${host}`, exp: Math.floor(Date.now() / 1000) + 60 });
  };
}

function issuer(host: string, extra: Record<string, unknown> = {}): IssuerOptions {
  return { issuer: `https://${host}`, audience: 'api', introspection: { endpoint: `https://${host}/introspect`, clientId: 'api', clientSecret: SECRET, ...extra } };
}

async function reason(promise: Promise<unknown>): Promise<string> {
  try {
    return `ok ${((await promise) as { subject: string }).subject}`;
  } catch (error) {
    return error instanceof JwtRejection ? error.reason : `other: ${String(error)}`;
  }
}

describe('IntrospectionVerifier', () => {
  it('asks the issuers without a prefix in order: the first active wins; unavailable is never "inactive"', async () => {
    const endpoints = new Endpoints();
    const v = new IntrospectionVerifier(resolveIssuers({ issuers: [issuer('a.example'), issuer('b.example')] }), { fetch: endpoints.fetch, now });
    endpoints.state = { 'a.example': 'inactive', 'b.example': 'active' };
    expect(await reason(v.verify('token-1'))).toBe('ok user-of-b.example');
    expect(endpoints.calls).toEqual(['a.example', 'b.example']);
    endpoints.state = { 'a.example': 'down', 'b.example': 'inactive' };
    expect(await reason(v.verify('token-2'))).toBe('ERR_INTROSPECTION_UNAVAILABLE');
    endpoints.state = { 'a.example': 'down', 'b.example': 'active' };
    expect(await reason(v.verify('token-3'))).toBe('ok user-of-b.example');
    endpoints.state = { 'a.example': 'inactive', 'b.example': 'inactive' };
    expect(await reason(v.verify('token-4'))).toBe('ERR_TOKEN_INACTIVE');
  });

  it('sends the token in the form body with token_type_hint, never in the URL', async () => {
    const endpoints = new Endpoints();
    const v = new IntrospectionVerifier(resolveIssuers({ issuers: [issuer('a.example')] }), { fetch: endpoints.fetch, now });
    await reason(v.verify('the-opaque-token'));
    expect(Object.fromEntries(endpoints.bodies[0]!)).toEqual({ token: 'the-opaque-token', token_type_hint: 'access_token' });
  });

  it('a prefixed token goes to its issuer only; a token no issuer claims makes no call', async () => {
    const endpoints = new Endpoints();
    endpoints.state = { 'a.example': 'active', 'b.example': 'active' };
    const v = new IntrospectionVerifier(resolveIssuers({ issuers: [issuer('a.example', { tokenPrefix: 'a_' }), issuer('b.example', { tokenPrefix: 'b_' })] }), { fetch: endpoints.fetch, now });
    expect(await reason(v.verify('b_123'))).toBe('ok user-of-b.example');
    expect(await reason(v.verify('c_123'))).toBe('ERR_ISSUER_UNKNOWN');
    expect(endpoints.calls).toEqual(['b.example']);
  });

  it('finds the endpoint in the discovery document', async () => {
    const endpoints = new Endpoints();
    endpoints.state = { 'a.example': 'active' };
    const [config] = resolveIssuers({ issuers: [{ issuer: 'https://a.example', audience: 'api', discovery: true, introspection: { clientId: 'api', clientSecret: SECRET } }] });
    const seen: string[] = [];
    const v = new IntrospectionVerifier([config!], { fetch: (url, init) => (seen.push(String(url)), endpoints.fetch(url, init)), now });
    expect(await reason(v.verify('t'))).toBe('ok user-of-a.example');
    expect(seen).toEqual(['https://a.example/.well-known/openid-configuration', 'https://a.example/moved/introspect']);
  });

  it('refuses oversized tokens without a call', async () => {
    const endpoints = new Endpoints();
    const v = new IntrospectionVerifier(resolveIssuers({ issuers: [issuer('a.example')] }), { fetch: endpoints.fetch, now });
    expect(await reason(v.verify('x'.repeat(20_000)))).toBe('ERR_TOKEN_TOO_LARGE');
    expect(endpoints.calls).toEqual([]);
  });
});
