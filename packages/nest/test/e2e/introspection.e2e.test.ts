import { Controller, Get, Module } from '@nestjs/common';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, Boundary, CurrentPrincipal, RequireScopes, SecurityEvents, type BastionOptions, type IssuerOptions, type Principal, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type AdapterName } from '../support/app.js';
import { capturedLines } from '../support/log-capture.js';
import { recordSecret } from '../support/secrets.js';

@Controller()
class OrdersController {
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId, credential: p.credential, scopes: [...p.scopes].sort(), tokenId: p.tokenId, expiresAt: p.expiresAt?.toISOString(), cnf: p.claims.cnf };
  }

  @Get('orders')
  @RequireScopes('orders:read')
  orders() {
    return [];
  }

  @Get('jwt-only')
  @Boundary('jwtOnly')
  @Authenticated()
  jwtOnly() {
    return { ok: true };
  }

  @Get('opaque-only')
  @Boundary('opaqueOnly')
  @Authenticated()
  opaqueOnly() {
    return { ok: true };
  }
}

/** Moves the wall clock only (Date): app, verifier and test issuer share it; real timers keep HTTP working. */
function advance(ms: number): void {
  vi.setSystemTime(Date.now() + ms);
}

async function boot(adapter: AdapterName, issuers: IssuerOptions[], extra: Partial<BastionOptions> = {}) {
  @Module({
    imports: [
      BastionModule.forRoot({
        issuers,
        bruteForce: { enabled: false },
        boundaries: { jwtOnly: { accept: ['jwt'] }, opaqueOnly: { accept: ['introspection'] } },
        ...extra,
      }),
    ],
    controllers: [OrdersController],
  })
  class AppModule {}
  const running = await startApp(AppModule, adapter);
  const events: SecurityEvent[] = [];
  running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  const call = async (token: string, path = '/me') => {
    const before = events.length;
    const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status >= 400) expect(problemInvariants(res, text)).toEqual([]);
    const failure = events.slice(before).find((e) => e.type === 'authentication.failed' || e.type === 'authorization.denied');
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, reason: failure?.reason, challenge: res.headers.get('www-authenticate') };
  };
  return { running, call, events };
}

describe.each(ADAPTERS)('opaque tokens through introspection (RFC 7662) (%s)', (adapter) => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    for (const c of cleanup.splice(0)) await c();
  });

  async function setup(overrides: Partial<IssuerOptions> = {}, extra: Partial<BastionOptions> = {}) {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const issuer = await TestIssuer.start({ audience: 'orders-api' });
    recordSecret(issuer.introspection.clientSecret);
    const app = await boot(adapter, [issuer.introspectionOptions(overrides)], extra);
    cleanup.push(async () => {
      await app.running.close();
      await issuer.close();
    });
    return { issuer, ...app };
  }

  it('accepts an active opaque token and maps the response to the principal', async () => {
    const { issuer, call } = await setup();
    const token = await issuer.opaqueToken({ sub: 'alice', client_id: 'shop-web', scope: 'orders:read profile', cnf: { 'x5t#S256': 'thumb' } });
    const res = await call(token);
    // The response's cnf reaches the principal: this one binds the token to a certificate the request lacks.
    expect(res).toMatchObject({ status: 401, reason: 'ERR_CERTIFICATE_MISSING' });
    const plain = await issuer.opaqueToken({ sub: 'alice', client_id: 'shop-web', scope: 'orders:read profile' });
    const ok = await call(plain);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ subject: 'alice', clientId: 'shop-web', credential: 'introspection', scopes: ['orders:read', 'profile'] });
    expect(typeof ok.body.tokenId).toBe('string');
    expect(typeof ok.body.expiresAt).toBe('string');
    expect((await call(plain, '/orders')).status).toBe(200);
  });

  it('N concurrent requests with one token make ONE introspection call; later requests use the cached result', async () => {
    const { issuer, call } = await setup();
    const token = await issuer.opaqueToken({ scope: 'orders:read' });
    const results = await Promise.all(Array.from({ length: 25 }, () => call(token)));
    expect(results.map((r) => r.status)).toEqual(Array(25).fill(200));
    expect(issuer.introspection.requests).toBe(1);
    await call(token);
    expect(issuer.introspection.requests).toBe(1);
  });

  it('a cached active result expires at the token’s exp (then the server is asked again and says inactive)', async () => {
    const { issuer, call } = await setup();
    const token = await issuer.opaqueToken({}, { expiresIn: 20 });
    expect((await call(token)).status).toBe(200);
    advance(15_000);
    expect((await call(token)).status).toBe(200);
    expect(issuer.introspection.requests).toBe(1);
    advance(6_000);
    expect(await call(token)).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE' });
    expect(issuer.introspection.requests).toBe(2);
  });

  it('an inactive token gets the uniform 401 with its reason in the audit event, and is remembered briefly', async () => {
    const { issuer, call } = await setup();
    const res = await call('not-a-token-this-issuer-knows');
    expect(res).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE', body: { code: 'ERR_INVALID_TOKEN' } });
    expect(res.challenge).toContain('error="invalid_token"');
    await call('not-a-token-this-issuer-knows');
    expect(issuer.introspection.requests).toBe(1);
    advance(31_000);
    await call('not-a-token-this-issuer-knows');
    expect(issuer.introspection.requests).toBe(2);
  });

  it('a token revoked at the issuer stops working once the cached result is older than cache.maxTtl', async () => {
    const { issuer, call } = await setup({ introspection: { cache: { maxTtl: 10 } } } as Partial<IssuerOptions>);
    const token = await issuer.opaqueToken();
    expect((await call(token)).status).toBe(200);
    issuer.revokeOpaqueToken(token);
    expect((await call(token)).status).toBe(200);
    advance(11_000);
    expect(await call(token)).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE' });
  });

  it('endpoint down: 401 (fail closed), never 500; recovers when the endpoint does', async () => {
    const { issuer, call } = await setup();
    issuer.setDown(true);
    const token = await issuer.opaqueToken();
    expect(await call(token)).toMatchObject({ status: 401, reason: 'ERR_INTROSPECTION_UNAVAILABLE' });
    issuer.setDown(false);
    // An unavailable answer is not remembered: the next request asks again.
    expect((await call(token)).status).toBe(200);
  });

  it('endpoint slow: the call times out and the request gets a 401 without waiting for it', { timeout: 10_000 }, async () => {
    const { issuer, call } = await setup({ introspection: { timeout: 0.3 } } as Partial<IssuerOptions>);
    issuer.setDelay(5_000);
    const token = await issuer.opaqueToken();
    const results = await Promise.all(Array.from({ length: 5 }, () => call(token)));
    expect(results.map((r) => `${r.status} ${r.reason}`)).toEqual(Array(5).fill('401 ERR_INTROSPECTION_UNAVAILABLE'));
    expect(issuer.introspection.requests).toBe(1);
  });

  it('refuses an active token for another audience, and one whose response names another issuer', async () => {
    const { issuer, call } = await setup();
    expect(await call(await issuer.opaqueToken({ aud: 'billing-api' }))).toMatchObject({ status: 401, reason: 'ERR_AUDIENCE_MISMATCH' });
    expect(await call(await issuer.opaqueToken({ aud: undefined }))).toMatchObject({ status: 401, reason: 'ERR_AUDIENCE_MISSING' });
    expect(await call(await issuer.opaqueToken({ iss: 'https://other.example' }))).toMatchObject({ status: 401, reason: 'ERR_ISSUER_MISMATCH' });
  });

  it('JWTs and opaque tokens of the same issuer are mixed, and boundaries accept each credential distinctly', async () => {
    const { issuer, call } = await setup();
    const jwt = await issuer.sign({ sub: 'bob' });
    const opaque = await issuer.opaqueToken({ sub: 'carol' });
    expect((await call(jwt)).body).toMatchObject({ subject: 'bob', credential: 'jwt' });
    expect((await call(opaque)).body).toMatchObject({ subject: 'carol', credential: 'introspection' });
    expect(issuer.introspection.requests).toBe(1);
    expect((await call(jwt, '/jwt-only')).status).toBe(200);
    expect(await call(opaque, '/jwt-only')).toMatchObject({ status: 403, reason: 'ERR_BOUNDARY_DENIED' });
    expect((await call(opaque, '/opaque-only')).status).toBe(200);
    expect(await call(jwt, '/opaque-only')).toMatchObject({ status: 403, reason: 'ERR_BOUNDARY_DENIED' });
  });

  it('wrong client credentials: 401 for the caller and a warning for the operator that names no secret', async () => {
    const { issuer, call } = await setup({ introspection: { clientSecret: recordSecret('a-wrong-but-long-client-secret') } } as Partial<IssuerOptions>);
    expect(await call(await issuer.opaqueToken())).toMatchObject({ status: 401, reason: 'ERR_INTROSPECTION_UNAVAILABLE' });
    expect(capturedLines().some((l) => l.text.includes('introspection at') && l.text.includes('invalid_client'))).toBe(true);
  });
});
