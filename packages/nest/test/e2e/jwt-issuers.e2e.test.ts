import { createHmac } from 'node:crypto';
import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, SecurityEvents, type Principal, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { b64, nowSeconds } from '../authentication/support/forge.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';

const SECRET = 'an-hs256-secret-of-at-least-32-bytes!!';
const HS_ISSUER = 'https://internal.example';

@Controller()
class WhoController {
  @Get('who')
  @Authenticated()
  who(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, iss: p.claims.iss };
  }
}

function hs256(claims: Record<string, unknown>): string {
  const input = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(claims)}`;
  return `${input}.${createHmac('sha256', SECRET).update(input).digest('base64url')}`;
}

describe.each(ADAPTERS)('several issuers at once (%s)', (adapter) => {
  let viaJwks: TestIssuer;
  let viaPem: TestIssuer;
  let viaDiscovery: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    viaJwks = await TestIssuer.start({ audience: 'orders-api' });
    viaPem = await TestIssuer.start({ algorithm: 'ES256', audience: 'orders-api' });
    viaDiscovery = await TestIssuer.start({ algorithm: 'EdDSA', audience: 'orders-api', path: '/realms/test' });
    @Module({
      imports: [
        BastionModule.forRoot({
          bruteForce: { enabled: false },
          jwt: [
            viaJwks.options(),
            viaPem.options({ keys: [await viaPem.publicKeyPem('ES256')] }),
            viaDiscovery.options({ discovery: true }),
            { issuer: HS_ISSUER, audience: ['orders-api', 'billing-api'], algorithms: ['HS256'], secret: SECRET },
          ],
        }),
      ],
      controllers: [WhoController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await running.close();
    await Promise.all([viaJwks.close(), viaPem.close(), viaDiscovery.close()]);
  });

  const call = async (token: string, path = '/who') => {
    const before = events.length;
    const res = await fetch(`${running.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (res.status !== 200) expect(problemInvariants(res, body)).toEqual([]);
    return { status: res.status, body: res.status === 200 ? (JSON.parse(body) as Record<string, unknown>) : undefined, reason: events.slice(before).find((e) => e.type === 'authentication.failed')?.reason };
  };

  it('picks each token’s issuer by its iss: JWKS, static PEM, OIDC discovery, HS256 secret', async () => {
    expect((await call(await viaJwks.sign({ sub: 'a' }))).body).toEqual({ subject: 'a', iss: viaJwks.issuer });
    expect((await call(await viaPem.sign({ sub: 'b' }))).body).toEqual({ subject: 'b', iss: viaPem.issuer });
    expect((await call(await viaDiscovery.sign({ sub: 'c' }))).body).toEqual({ subject: 'c', iss: viaDiscovery.issuer });
    expect(viaDiscovery.discoveryRequests).toBe(1);
    const now = nowSeconds();
    expect((await call(hs256({ iss: HS_ISSUER, aud: 'billing-api', sub: 'd', iat: now, exp: now + 60 }))).body).toEqual({ subject: 'd', iss: HS_ISSUER });
    expect(viaPem.jwksRequests).toBe(0);
  });

  it('refuses a token whose iss names another trusted issuer than its signer', async () => {
    expect(await call(await viaJwks.sign({ iss: viaPem.issuer }))).toMatchObject({ status: 401, reason: 'ERR_KEY_REJECTED' });
    expect(await call(await viaPem.sign({ iss: viaJwks.issuer }, { algorithm: 'ES256' }))).toMatchObject({ status: 401, reason: 'ERR_KEY_UNKNOWN' });
  });

  it('refuses an unknown issuer and an HS256 token with the wrong secret', async () => {
    expect(await call(await viaJwks.sign({ iss: 'https://unknown.example' }))).toMatchObject({ status: 401, reason: 'ERR_ISSUER_UNKNOWN' });
    const now = nowSeconds();
    const forged = hs256({ iss: HS_ISSUER, aud: 'orders-api', sub: 'x', exp: now + 60 }).replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect(await call(forged)).toMatchObject({ status: 401 });
  });
});
