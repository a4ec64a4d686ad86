import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, SecurityEvents, type Principal, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { AUDIENCE, CLIENTS, clientCredentialsToken, startProvider, type TestProvider } from '../support/oidc-provider.js';
import { recordSecret } from '../support/secrets.js';

@Controller()
class OrdersController {
  @Get('orders')
  @Authenticated()
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, clientId: p.clientId, credential: p.credential, scopes: [...p.scopes].sort(), aud: p.claims.aud };
  }
}

describe.each(ADAPTERS)('opaque access tokens of a real OpenID provider, introspected (%s)', (adapter) => {
  let op: TestProvider;
  let running: RunningApp;
  const events: SecurityEvent[] = [];
  const introspections = () => op.requests.get('/token/introspection') ?? 0;

  beforeAll(async () => {
    op = await startProvider({ accessTokenFormat: 'opaque' });
    recordSecret(CLIENTS.basic.client_secret);
    @Module({
      imports: [
        BastionModule.forRoot({
          issuers: [
            {
              issuer: op.issuer,
              audience: AUDIENCE,
              discovery: true,
              // The endpoint comes from discovery; Bastion authenticates with a signed assertion (RFC 7523).
              introspection: { clientId: CLIENTS.resourceServerJwt.client_id, privateKey: op.clientKey.privateKey, keyId: op.clientKey.kid, cache: { maxTtl: 1 } },
            },
          ],
          bruteForce: { enabled: false },
        }),
      ],
      controllers: [OrdersController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await running.close();
    await op.close();
  });

  const call = async (token: string) => {
    const before = events.length;
    const res = await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) expect(problemInvariants(res, text)).toEqual([]);
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, reason: events.slice(before).find((e) => e.type === 'authentication.failed')?.reason };
  };

  it('accepts an opaque client-credentials token: introspected once for concurrent requests, mapped to the principal', async () => {
    const token = await clientCredentialsToken(op.issuer, 'orders:read');
    expect(token.split('.')).toHaveLength(1);
    const before = introspections();
    const results = await Promise.all(Array.from({ length: 10 }, () => call(token)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(results[0]!.body).toEqual({ subject: CLIENTS.basic.client_id, clientId: CLIENTS.basic.client_id, credential: 'introspection', scopes: ['orders:read'], aud: AUDIENCE });
    expect(introspections() - before).toBe(1);
  });

  it('refuses a token the provider revoked (after the cached result ages out) and an unknown one, with the uniform 401', async () => {
    const token = await clientCredentialsToken(op.issuer, 'orders:read');
    expect((await call(token)).status).toBe(200);
    const revoked = await fetch(`${op.issuer}/token/revocation`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENTS.basic.client_id}:${CLIENTS.basic.client_secret}`).toString('base64')}` },
      body: new URLSearchParams({ token }),
    });
    expect(revoked.status).toBe(200);
    // cache.maxTtl is 1 s here: once it has passed (on the wall clock both share), the provider is asked again.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + 2_000 });
    expect(await call(token)).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE', body: { code: 'ERR_INVALID_TOKEN' } });
    expect(await call('0123456789abcdefghijklmnopqrstuvwxyzABCDEFG')).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE' });
  });
});
