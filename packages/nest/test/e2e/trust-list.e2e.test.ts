import { Controller, Get, Module } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, SecurityEvents, type Principal, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';

@Controller()
class WhoController {
  @Get('who')
  @Authenticated()
  who(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, iss: p.claims.iss, roles: [...p.roles] };
  }
}

describe.each(ADAPTERS)('a trust list of several issuers (%s)', (adapter) => {
  /** Tenant A: JWTs verified with its JWKS, audience `orders-api`, Keycloak-style roles. */
  let jwks: TestIssuer;
  /** Tenant B: opaque tokens introspected (no JWT key source), audience `billing-api`. */
  let opaque: TestIssuer;
  /** Tenant C: opaque tokens with the `c_` prefix, introspected at its own endpoint only. */
  let prefixed: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    [jwks, opaque, prefixed] = await Promise.all([TestIssuer.start({ path: '/realms/a', audience: 'orders-api' }), TestIssuer.start({ audience: 'billing-api' }), TestIssuer.start({ audience: 'orders-api' })]);
    for (const i of [opaque, prefixed]) recordSecret(i.introspection.clientSecret);
    const introspectionOnly = (issuer: TestIssuer, extra: Record<string, unknown> = {}) => {
      const { jwksUri: _unused, ...rest } = issuer.introspectionOptions();
      return { ...rest, introspection: { ...rest.introspection!, ...extra } };
    };
    @Module({
      imports: [
        BastionModule.forRoot({
          issuers: [
            { ...jwks.options(), claims: { roleClaims: ['realm_access.roles'] } },
            introspectionOnly(opaque),
            introspectionOnly(prefixed, { tokenPrefix: 'c_' }),
          ],
          bruteForce: { enabled: false },
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
    await Promise.all([jwks, opaque, prefixed].map((i) => i.close()));
  });

  const call = async (token: string) => {
    const before = events.length;
    const res = await fetch(`${running.url}/who`, { headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    if (res.status !== 200) expect(problemInvariants(res, text)).toEqual([]);
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, reason: events.slice(before).find((e) => e.type === 'authentication.failed')?.reason };
  };

  it('accepts each issuer’s tokens only with that issuer’s own audience', async () => {
    expect(await call(await jwks.sign({ sub: 'ann', realm_access: { roles: ['admin'] } }))).toMatchObject({ status: 200, body: { subject: 'ann', credential: 'jwt', roles: ['admin'] } });
    expect(await call(await jwks.sign({ aud: 'billing-api' }))).toMatchObject({ status: 401, reason: 'ERR_AUDIENCE_MISMATCH' });
    expect(await call(await opaque.opaqueToken({ sub: 'bea' }))).toMatchObject({ status: 200, body: { subject: 'bea', credential: 'introspection', iss: opaque.issuer } });
    expect(await call(await opaque.opaqueToken({ aud: 'orders-api' }))).toMatchObject({ status: 401, reason: 'ERR_AUDIENCE_MISMATCH' });
  });

  it('refuses a token that names one issuer but is signed with another issuer’s key', async () => {
    // Tenant B's signing key, claiming tenant A: B's kid is unknown to A's key set…
    expect(await call(await opaque.sign({ iss: jwks.issuer, aud: 'orders-api' }))).toMatchObject({ status: 401, reason: 'ERR_KEY_UNKNOWN' });
    // …and naming A's kid does not make B's signature A's.
    expect(await call(await opaque.sign({ iss: jwks.issuer, aud: 'orders-api' }, { kid: jwks.kid() }))).toMatchObject({ status: 401, reason: 'ERR_SIGNATURE_INVALID' });
  });

  it('a JWT of an issuer configured for introspection only is introspected, not verified with someone else’s keys', async () => {
    const before = opaque.introspection.requests;
    expect(await call(await opaque.sign({ aud: 'billing-api' }))).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE' });
    expect(opaque.introspection.requests).toBe(before + 1);
  });

  it('routes opaque tokens by prefix: a prefixed token goes to its issuer only, others to the issuers without a prefix', async () => {
    const [b0, c0] = [opaque.introspection.requests, prefixed.introspection.requests];
    expect(await call(await prefixed.opaqueToken({ sub: 'cid' }, { prefix: 'c_' }))).toMatchObject({ status: 200, body: { subject: 'cid', iss: prefixed.issuer } });
    expect([opaque.introspection.requests - b0, prefixed.introspection.requests - c0]).toEqual([0, 1]);
    expect((await call(await opaque.opaqueToken())).status).toBe(200);
    expect([opaque.introspection.requests - b0, prefixed.introspection.requests - c0]).toEqual([1, 1]);
    // A token of B dressed with C's prefix is only ever shown to C, which does not know it.
    expect(await call(await opaque.opaqueToken({}, { prefix: 'c_' }))).toMatchObject({ status: 401, reason: 'ERR_TOKEN_INACTIVE' });
    expect([opaque.introspection.requests - b0, prefixed.introspection.requests - c0]).toEqual([1, 2]);
  });
});
