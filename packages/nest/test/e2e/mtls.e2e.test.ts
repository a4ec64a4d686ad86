import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion, RevocationService } from '../../src/index.js';
import { TestCertificateAuthority, TestIssuer, type TestCertificate } from '../../src/testing/index.js';
import { auditOf } from '../authentication/dpop/fixture-app.js';
import { mtlsModule } from '../authentication/mtls/fixture-app.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { opensslAvailable } from '../support/openssl.js';
import { recordSecret } from '../support/secrets.js';
import { rawProblemInvariants, rawRequest } from '../transport/raw-request.js';

describe.runIf(opensslAvailable()).each(ADAPTERS)('mutual TLS over real TLS (%s)', (adapter) => {
  let ca: TestCertificateAuthority;
  let intermediate: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  let issuer: TestIssuer;
  let running: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  const certs: Record<'billing' | 'reporting' | 'edge' | 'unknown' | 'foreign' | 'partner' | 'spare', TestCertificate> = {} as never;

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create();
    intermediate = await ca.intermediate();
    otherCa = await TestCertificateAuthority.create({ commonName: 'Other CA' });
    const server = await ca.issue({ commonName: '127.0.0.1', ips: ['127.0.0.1'], usage: ['serverAuth'] });
    certs.billing = await ca.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
    certs.reporting = await ca.issue({ commonName: 'reporting', organization: 'Acme' });
    certs.edge = await intermediate.issue({ commonName: 'edge', uris: ['spiffe://acme.example/edge'] });
    certs.unknown = await ca.issue({ commonName: 'stranger', dns: ['stranger.internal'] });
    certs.foreign = await otherCa.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
    certs.partner = await TestCertificateAuthority.selfSigned({ commonName: 'partner' });
    certs.spare = await ca.issue({ commonName: 'spare', dns: ['spare.internal'] });
    for (const cert of Object.values(certs)) recordSecret(cert.privateKey);
    issuer = await TestIssuer.start();
    running = await startApp(
      mtlsModule({
        jwt: issuer.options(),
        mtls: {
          ca: ca.certificate,
          clients: [
            { clientId: 'billing-worker', tls_client_auth_san_dns: 'billing.internal', scopes: ['invoices:write'] },
            { clientId: 'reporting', tls_client_auth_subject_dn: 'CN=reporting,O=Acme' },
            { clientId: 'edge', tls_client_auth_san_uri: 'spiffe://acme.example/edge' },
            { clientId: 'partner', thumbprint: certs.partner.thumbprint },
            { clientId: 'spare', tls_client_auth_san_dns: 'spare.internal' },
          ],
        },
      }),
      adapter,
      configureBastion,
      // rejectUnauthorized: false lets Bastion answer unknown or missing certificates with a 401 problem.
      { key: server.privateKey, cert: server.certificate, ca: [ca.certificate], requestCert: true, rejectUnauthorized: false },
    );
    audit = auditOf(running);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
    await ca?.close();
    await otherCa?.close();
  });

  const get = (path: string, cert?: TestCertificate, headers: Record<string, string> = {}, chain: string[] = []) =>
    rawRequest(`${running.url}${path}`, { method: 'GET', headers, tls: { ca: ca.certificate, cert: cert && cert.certificate + chain.join(''), key: cert?.privateKey } });

  it('authenticates a known client by SAN, subject DN, SAN URI through an intermediate, and a pinned self-signed certificate', async () => {
    const billing = await get('/whoami', certs.billing);
    expect(billing.status).toBe(200);
    expect(JSON.parse(billing.body)).toMatchObject({
      subject: 'billing-worker',
      clientId: 'billing-worker',
      credential: 'mtls',
      scopes: ['invoices:write'],
      tokenId: certs.billing.thumbprint,
      claims: { client_id: 'billing-worker', 'x5t#S256': certs.billing.thumbprint, subject_dn: 'CN=billing-worker' },
    });
    expect((await get('/invoices', certs.billing)).status).toBe(200);
    expect(JSON.parse((await get('/whoami', certs.reporting)).body).subject).toBe('reporting');
    expect(JSON.parse((await get('/whoami', certs.edge, {}, [intermediate.certificate])).body).subject).toBe('edge');
    expect(JSON.parse((await get('/whoami', certs.partner)).body).subject).toBe('partner');
    expect((await get('/internal', certs.billing)).status).toBe(200);
  });

  it.each([
    ['an unknown client certificate from the trusted CA', 'unknown', 'ERR_CERTIFICATE_UNKNOWN'],
    ['a certificate from another CA with a known name', 'foreign', 'ERR_CERTIFICATE_UNTRUSTED'],
  ] as const)('refuses %s with a uniform 401 and the thumbprint in the audit log', async (_what, name, reason) => {
    const res = await get('/whoami', certs[name]);
    expect(res.status).toBe(401);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect(JSON.parse(res.body).code).toBe('ERR_INVALID_TOKEN');
    expect(audit.reasonOf({ headers: res.headers })).toBe(reason);
    const event = audit.events.find((e) => e.requestId === res.headers['x-request-id']);
    expect(event?.claimed).toMatchObject({ keyId: certs[name].thumbprint, credential: 'mtls' });
    expect(JSON.stringify(event)).not.toContain('BEGIN CERTIFICATE');
  });

  it('treats a connection without a certificate as anonymous', async () => {
    const res = await get('/whoami');
    expect(res.status).toBe(401);
    expect(audit.reasonOf({ headers: res.headers })).toBe('ERR_CREDENTIAL_MISSING');
    expect((await get('/health')).status).toBe(200);
  });

  it('accepts a certificate-bound JWT only over the connection presenting that certificate (RFC 8705 §3)', async () => {
    const token = await issuer.signCertificateBound(certs.billing, { sub: 'alice' });
    const right = await get('/whoami', certs.billing, { authorization: `Bearer ${token}` });
    expect(right.status).toBe(200);
    expect(JSON.parse(right.body)).toMatchObject({ subject: 'alice', credential: 'jwt' });
    const wrong = await get('/whoami', certs.reporting, { authorization: `Bearer ${token}` });
    expect(wrong.status).toBe(401);
    expect(wrong.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(audit.reasonOf({ headers: wrong.headers })).toBe('ERR_CERTIFICATE_BINDING_MISMATCH');
    const none = await get('/whoami', undefined, { authorization: `Bearer ${token}` });
    expect(none.status).toBe(401);
    expect(audit.reasonOf({ headers: none.headers })).toBe('ERR_CERTIFICATE_MISSING');
    // An unbound token needs no certificate; a token bound by a method Bastion cannot check is refused.
    expect((await get('/whoami', undefined, { authorization: `Bearer ${await issuer.sign({ sub: 'bob' })}` })).status).toBe(200);
    const unsupported = await get('/whoami', certs.billing, { authorization: `Bearer ${await issuer.sign({ sub: 'bob', cnf: { jwk: { kty: 'EC' } } })}` });
    expect(audit.reasonOf({ headers: unsupported.headers })).toBe('ERR_CONFIRMATION_UNSUPPORTED');
    // A DPoP-bound token sent as Bearer is refused even by an app that does not configure DPoP.
    const dpopBound = await get('/whoami', undefined, { authorization: `Bearer ${await issuer.signDpopBound('0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I', { sub: 'bob' })}` });
    expect(audit.reasonOf({ headers: dpopBound.headers })).toBe('ERR_DPOP_BOUND_AS_BEARER');
  });

  it('keeps a valid user JWT out of an mtls-only boundary', async () => {
    expect((await get('/internal', undefined, { authorization: `Bearer ${await issuer.sign({ sub: 'alice' })}` })).status).toBe(403);
  });

  it('revokes a client certificate by its thumbprint (the principal tokenId)', async () => {
    expect((await get('/whoami', certs.spare)).status).toBe(200);
    await running.app.get(RevocationService).revokeToken(certs.spare.thumbprint, new Date(Date.now() + 3_600_000));
    const res = await get('/whoami', certs.spare);
    expect(res.status).toBe(401);
    expect(audit.reasonOf({ headers: res.headers })).toBe('ERR_TOKEN_REVOKED');
  });
});
