import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, RequireScopes, SecurityEvents, type Principal, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { b64, nowSeconds } from '../authentication/support/forge.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

/**
 * Red team: JWT shapes the jwt-attacks suite does not cover — odd `kid`s, nested/encrypted tokens,
 * claim type confusion, extreme times, scope smuggling — every one signed by the real issuer key, so
 * only Bastion's checks stand between them and the handler.
 */
@Controller()
class ProbeController {
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject, scopes: [...principal.scopes].sort() };
  }

  @Get('admin')
  @RequireScopes('admin')
  admin() {
    return { secret: 'admin' };
  }
}

describe.each(ADAPTERS)('red team: JWT shapes (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];
  let reference: Record<string, unknown>;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({ imports: [BastionModule.forRoot({ realm: 'api', jwt: issuer.options(), bruteForce: { enabled: false } })], controllers: [ProbeController] })
    class AppModule {}
    running = await startApp(AppModule, adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
    expect((await call('/me', await issuer.sign())).status).toBe(200);
    const { requestId: _id, ...rest } = (await (await call('/me', await issuer.sign({}, { expiresIn: -3600 }))).json()) as Record<string, unknown>;
    reference = rest;
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const call = (path: string, token: string) => fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${token}` } });

  /** The uniform 401 (same body and challenge whatever the reason) and the audit reason behind it. */
  async function refused(token: string): Promise<string | undefined> {
    const before = events.length;
    const res = await call('/me', token);
    const body = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, body)).toEqual([]);
    const { requestId: _id, ...rest } = JSON.parse(body) as Record<string, unknown>;
    expect(rest).toEqual(reference);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    return events.slice(before).find((e) => e.type === 'authentication.failed')?.reason;
  }

  it.each([
    ['a path-traversal kid', { kid: '../../../../etc/passwd' }],
    ['an SQL-ish kid', { kid: "x' UNION SELECT 'secret' --" }],
    ['a URL kid', { kid: 'http://127.0.0.1:1/jwks' }],
    ['a numeric kid', { kid: 5 as unknown as string }],
    ['an object kid', { kid: null, header: { kid: { $ne: null } } }],
    ['cty JWT (nested token)', { header: { cty: 'JWT' } }],
    ['an empty crit', { header: { crit: [] } }],
    ['b64: false', { header: { b64: false, crit: ['b64'] } }],
    ['zip', { header: { zip: 'DEF' } }],
    ['enc (a JWE header on a JWS)', { header: { enc: 'A256GCM' } }],
    ['a numeric typ', { header: { typ: 1 } }],
  ] as const)('refuses %s in the header', async (_name, options) => {
    expect(await refused(await issuer.sign({ sub: 'mallory' }, options as Parameters<TestIssuer['sign']>[1]))).toMatch(/^ERR_/);
  });

  it('refuses a 4 KB kid, and a token of another issuer that names this issuer and its kid', async () => {
    expect(await refused(await issuer.sign({}, { kid: 'k'.repeat(4000) }))).toMatch(/^ERR_(TOKEN_MALFORMED|KEY_UNKNOWN)$/);
    const other = await TestIssuer.start();
    try {
      expect(await refused(await other.sign({ iss: issuer.issuer, aud: issuer.audience }, { kid: issuer.kid() }))).toBe('ERR_SIGNATURE_INVALID');
    } finally {
      await other.close();
    }
  });

  it.each([
    ['a JWE (5 segments)', `${b64({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })}.${b64('k')}.${b64('iv')}.${b64('ct')}.${b64('tag')}`],
    ['an alg array', `${b64({ alg: ['RS256'] })}.${b64({ sub: 'a' })}.c2ln`],
    ['a duplicated alg', `${b64('{"alg":"none","alg":"RS256"}')}.${b64({ sub: 'a' })}.c2ln`],
    ['a 5000-deep header', `${b64(`{"alg":"RS256","x":${'['.repeat(5000)}${']'.repeat(5000)}}`)}.${b64({ sub: 'a' })}.c2ln`],
    ['whitespace in a segment', `${b64({ alg: 'RS256' })}.${b64({ sub: 'a' })}. c2ln`.replace(' ', '')],
  ])('refuses %s', async (_name, token) => {
    expect(await refused(token)).toMatch(/^ERR_/);
  });

  it.each([
    ['aud: an object', { aud: { 0: 'bastion-test-api' } }],
    ['aud: a number', { aud: 5 }],
    ['aud: an empty array', { aud: [] }],
    ['aud: other audiences only', { aud: ['other-api', 'bastion-test-api.evil'] }],
    ['iss: an array', { iss: ['ISSUER'] }],
    ['iss with a trailing slash', { iss: 'ISSUER/' }],
    ['exp: a boolean', { exp: true }],
    ['exp: an array', { exp: ['EXP'] }],
    ['exp: 1e300 (lifetime)', { exp: 1e300 }],
    ['exp: past 2^53', { exp: 2 ** 53 + 2 }],
    ['exp: negative', { exp: -1 }],
    ['no iat and an exp ten years out', { iat: undefined, exp: nowSeconds() + 315_360_000 }],
    ['nbf: 1e300', { nbf: 1e300 }],
    ['nbf: a string', { nbf: '0' }],
    ['iat: a string', { iat: String(nowSeconds()) }],
    ['iat: 0 (lifetime)', { iat: 0 }],
    ['jti: a number', { jti: 5 }],
    ['jti: an object', { jti: { $gt: '' } }],
    ['sub: empty', { sub: '' }],
    ['sub: an object', { sub: { id: 'admin' } }],
    ['scope: an array', { scope: ['admin'] }],
    ['scope: an object', { scope: { admin: true } }],
    ['client_id: an object', { client_id: { id: 'svc' } }],
  ])('refuses %s', async (_name, claims) => {
    const resolved = Object.fromEntries(
      Object.entries(claims).map(([k, v]) => [k, v === 'ISSUER' ? issuer.issuer : v === 'ISSUER/' ? `${issuer.issuer}/` : Array.isArray(v) && v[0] === 'ISSUER' ? [issuer.issuer] : Array.isArray(v) && v[0] === 'EXP' ? [nowSeconds() + 300] : v]),
    );
    expect(await refused(await issuer.sign(resolved))).toMatch(/^ERR_/);
  });

  it('accepts an aud array that holds this audience among others (RFC 7519 §4.1.3)', async () => {
    expect((await call('/me', await issuer.sign({ aud: ['other-api', issuer.audience] }))).status).toBe(200);
  });

  it('scope smuggling never grants a scope: tabs, newlines, commas, case and lookalikes', async () => {
    for (const scope of ['read\tadmin', 'read\nadmin', 'read,admin', 'ADMIN', 'admin:', ' admin_', 'аdmin', 'admin\u0000']) {
      const res = await call('/admin', await issuer.sign({ sub: 'mallory', scope }));
      expect({ scope, status: res.status }).toEqual({ scope, status: 403 });
      expect(await res.text()).not.toContain('"secret"');
    }
    expect((await call('/admin', await issuer.sign({ sub: 'root', scope: 'read admin' }))).status).toBe(200);
  });

  it('a __proto__ claim neither pollutes nor grants anything', async () => {
    const token = await issuer.sign(JSON.parse('{"sub":"mallory","__proto__":{"scope":"admin","admin":true}}') as Record<string, unknown>);
    const me = await call('/me', token);
    expect(me.status).toBe(200);
    expect(await me.json()).toEqual({ subject: 'mallory', scopes: [] });
    expect((await call('/admin', token)).status).toBe(403);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
