import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, CurrentPrincipal, type Principal } from '../../src/index.js';
import { TestCertificateAuthority, TestDpopClient, TestIssuer, type TestCertificate } from '../../src/testing/index.js';
import { auditOf, dpopModule } from '../authentication/dpop/fixture-app.js';
import { mtlsModule } from '../authentication/mtls/fixture-app.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { opensslAvailable } from '../support/openssl.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest } from '../transport/raw-request.js';

@Controller()
class MeController {
  @Get('me')
  @Authenticated()
  me(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, scopes: [...p.scopes] };
  }
}

/** Opaque access tokens (RFC 7662) bound to a DPoP key (RFC 9449 §6.2) or a client certificate (RFC 8705 §3.2). */
describe.each(ADAPTERS)('sender-constrained opaque tokens through introspection (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let bearerOnly: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  let bearerOnlyAudit: ReturnType<typeof auditOf>;
  let client: TestDpopClient;

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    recordSecret(issuer.introspection.clientSecret);
    client = await TestDpopClient.create();
    running = await startApp(dpopModule({ issuers: [issuer.introspectionOptions()], dpop: {}, bruteForce: { enabled: false } }, [MeController]), adapter);
    audit = auditOf(running);
    // No `dpop` option at all: a DPoP-bound token still is no bearer token.
    bearerOnly = await startApp(dpopModule({ issuers: [issuer.introspectionOptions()], bruteForce: { enabled: false } }, [MeController]), adapter);
    bearerOnlyAudit = auditOf(bearerOnly);
  });
  afterAll(async () => {
    await running?.close();
    await bearerOnly?.close();
    await issuer?.close();
  });

  const bearer = (app: RunningApp, token: string) => fetch(`${app.url}/me`, { headers: { authorization: `Bearer ${token}` } });

  it('accepts a DPoP-bound opaque token with a proof by its key (cnf.jkt from the introspection response)', async () => {
    const token = await issuer.opaqueToken({ sub: 'alice', scope: 'orders:read', cnf: { jkt: client.thumbprint } });
    const url = `${running.url}/me`;
    const res = await fetch(url, { headers: await client.headers('GET', url, token) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: 'alice', credential: 'dpop', scopes: ['orders:read'] });
    const other = await TestDpopClient.create();
    const stolen = await fetch(url, { headers: await other.headers('GET', url, token) });
    expect(stolen.status).toBe(401);
    expect(audit.reasonOf(stolen)).toBe('ERR_DPOP_BINDING_MISMATCH');
  });

  it('refuses a DPoP-bound opaque token presented as Bearer, whether the issuer says so by cnf.jkt or by token_type DPoP (RFC 9449 §7.2)', async () => {
    const byThumbprint = await issuer.opaqueToken({ sub: 'alice', cnf: { jkt: client.thumbprint } });
    const byType = await issuer.opaqueToken({ sub: 'alice', token_type: 'DPoP' });
    for (const [app, log] of [
      [running, audit],
      [bearerOnly, bearerOnlyAudit],
    ] as const) {
      for (const token of [byThumbprint, byType]) {
        const res = await bearer(app, token);
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
        expect(log.reasonOf(res)).toBe('ERR_DPOP_BOUND_AS_BEARER');
      }
    }
    // A plain opaque token of the same issuer is a bearer token.
    expect((await bearer(running, await issuer.opaqueToken({ sub: 'alice' }))).status).toBe(200);
  });

  it('refuses, with the DPoP scheme, an introspected DPoP token that names no key to check the proof against', async () => {
    const token = await issuer.opaqueToken({ sub: 'alice', token_type: 'DPoP' });
    const url = `${running.url}/me`;
    const res = await fetch(url, { headers: await client.headers('GET', url, token) });
    expect(res.status).toBe(401);
    expect(audit.reasonOf(res)).toBe('ERR_DPOP_TOKEN_UNBOUND');
  });
});

describe.runIf(opensslAvailable()).each(ADAPTERS)('certificate-bound opaque tokens through introspection (%s)', (adapter) => {
  let ca: TestCertificateAuthority;
  let issuer: TestIssuer;
  let running: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  let bound: TestCertificate;
  let other: TestCertificate;

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create();
    const server = await ca.issue({ commonName: '127.0.0.1', ips: ['127.0.0.1'], usage: ['serverAuth'] });
    bound = await ca.issue({ commonName: 'shop-web', dns: ['shop.internal'] });
    other = await ca.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
    for (const cert of [bound, other]) recordSecret(cert.privateKey);
    issuer = await TestIssuer.start();
    recordSecret(issuer.introspection.clientSecret);
    running = await startApp(
      mtlsModule({ issuers: [issuer.introspectionOptions()], mtls: { ca: ca.certificate, clients: [{ clientId: 'billing-worker', tls_client_auth_san_dns: 'billing.internal' }] } }),
      adapter,
      undefined,
      { key: server.privateKey, cert: server.certificate, ca: [ca.certificate], requestCert: true, rejectUnauthorized: false },
    );
    audit = auditOf(running);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
    await ca?.close();
  });

  const get = (token: string, cert?: TestCertificate) =>
    rawRequest(`${running.url}/whoami`, { method: 'GET', headers: { authorization: `Bearer ${token}` }, tls: { ca: ca.certificate, cert: cert?.certificate, key: cert?.privateKey } });

  it('accepts it only over a connection presenting that certificate (cnf.x5t#S256 from the introspection response)', async () => {
    const token = await issuer.opaqueToken({ sub: 'alice', cnf: { 'x5t#S256': bound.thumbprint } });
    const ok = await get(token, bound);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body)).toMatchObject({ subject: 'alice', credential: 'introspection' });
    const without = await get(token);
    expect(without.status).toBe(401);
    expect(audit.reasonOf({ headers: without.headers })).toBe('ERR_CERTIFICATE_MISSING');
    const wrong = await get(token, other);
    expect(wrong.status).toBe(401);
    expect(audit.reasonOf({ headers: wrong.headers })).toBe('ERR_CERTIFICATE_BINDING_MISMATCH');
  });
});
