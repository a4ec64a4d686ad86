import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion, type MtlsClientOptions } from '../../src/index.js';
import { TestCertificateAuthority, TestIssuer, type TestCertificate } from '../../src/testing/index.js';
import { auditOf } from '../authentication/dpop/fixture-app.js';
import { mtlsModule } from '../authentication/mtls/fixture-app.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { opensslAvailable } from '../support/openssl.js';
import { rawProblemInvariants, rawRequest } from '../transport/raw-request.js';

// The TLS-terminating proxy is 127.0.0.1 (a trusted proxy); 127.0.0.2 plays any other peer.
const PROXY = '127.0.0.1';
const PEER = '127.0.0.2';
const byteSequence = (pem: string) => `:${new X509Certificate(pem).raw.toString('base64')}:`;
const CLIENTS: MtlsClientOptions[] = [
  { clientId: 'billing-worker', tls_client_auth_san_dns: 'billing.internal' },
  { clientId: 'edge', tls_client_auth_san_dns: 'edge.internal' },
];

describe.runIf(opensslAvailable()).each(ADAPTERS)('client certificate forwarded by a TLS-terminating proxy (%s)', (adapter) => {
  let ca: TestCertificateAuthority;
  let intermediate: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  let issuer: TestIssuer;
  let rfc9440: RunningApp;
  let nginx: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  let billing: TestCertificate;
  let edge: TestCertificate;
  let foreign: TestCertificate;

  beforeAll(async () => {
    ca = await TestCertificateAuthority.create();
    intermediate = await ca.intermediate();
    otherCa = await TestCertificateAuthority.create({ commonName: 'Other CA' });
    billing = await ca.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
    edge = await intermediate.issue({ commonName: 'edge', dns: ['edge.internal'] });
    foreign = await otherCa.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
    issuer = await TestIssuer.start();
    // HTTPS enforcement off: here the app only sees the proxy's plain-HTTP leg, and the untrusted peer
    // must reach authentication for the header rule to be what is tested.
    const base = { jwt: issuer.options(), https: { enforce: false } };
    rfc9440 = await startApp(mtlsModule({ ...base, mtls: { ca: ca.certificate, clients: CLIENTS, forwarded: {} } }), adapter, configureBastion);
    nginx = await startApp(
      mtlsModule({ ...base, mtls: { ca: ca.certificate, clients: CLIENTS, forwarded: { format: 'pem', header: 'X-SSL-Client-Cert', trustedProxies: [PROXY] } } }),
      adapter,
      configureBastion,
    );
    audit = auditOf(rfc9440);
  });
  afterAll(async () => {
    await rfc9440?.close();
    await nginx?.close();
    await issuer?.close();
    await ca?.close();
    await otherCa?.close();
  });

  const from = (app: RunningApp, peer: string, headers: Record<string, string>) => rawRequest(`${app.url}/whoami`, { method: 'GET', localAddress: peer, headers });

  it('authenticates the client whose certificate a trusted proxy forwards in Client-Cert (RFC 9440), with its chain', async () => {
    const res = await from(rfc9440, PROXY, { 'client-cert': byteSequence(billing.certificate) });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ subject: 'billing-worker', credential: 'mtls', tokenId: billing.thumbprint });
    const chained = await from(rfc9440, PROXY, { 'client-cert': byteSequence(edge.certificate), 'client-cert-chain': byteSequence(intermediate.certificate) });
    expect(JSON.parse(chained.body).subject).toBe('edge');
  });

  it('ignores the header from any other peer, and records why', async () => {
    const res = await from(rfc9440, PEER, { 'client-cert': byteSequence(billing.certificate) });
    expect(res.status).toBe(401);
    expect(audit.reasonOf({ headers: res.headers })).toBe('ERR_CREDENTIAL_MISSING');
    const ignored = audit.events.find((e) => e.requestId === res.headers['x-request-id'] && e.type === 'credential.ignored');
    expect(ignored).toMatchObject({ outcome: 'info', reason: 'ERR_CERTIFICATE_HEADER_UNTRUSTED', ip: PEER, details: { header: 'client-cert' } });
    // A token bound to that certificate does not get through with it either.
    const token = await issuer.signCertificateBound(billing, { sub: 'alice' });
    const bound = await from(rfc9440, PEER, { 'client-cert': byteSequence(billing.certificate), authorization: `Bearer ${token}` });
    expect(bound.status).toBe(401);
    expect(audit.reasonOf({ headers: bound.headers })).toBe('ERR_CERTIFICATE_MISSING');
  });

  it.each([
    ['not a byte sequence', 'MIIB'],
    ['not a certificate', `:${Buffer.from('not a certificate').toString('base64')}:`],
    ['non-canonical base64', ':QQ=:'],
  ])('answers a trusted header that fails to parse (%s) with 401, never 500', async (_what, value) => {
    const res = await from(rfc9440, PROXY, { 'client-cert': value });
    expect(res.status).toBe(401);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect(audit.reasonOf({ headers: res.headers })).toBe('ERR_CERTIFICATE_MALFORMED');
    const token = await issuer.signCertificateBound(billing, { sub: 'alice' });
    const bound = await from(rfc9440, PROXY, { 'client-cert': value, authorization: `Bearer ${token}` });
    expect(bound.status).toBe(401);
    expect(audit.reasonOf({ headers: bound.headers })).toBe('ERR_CERTIFICATE_MALFORMED');
  });

  it("checks the forwarded certificate's chain itself: a proxy's word alone is not enough", async () => {
    const res = await from(rfc9440, PROXY, { 'client-cert': byteSequence(foreign.certificate) });
    expect(res.status).toBe(401);
    expect(audit.reasonOf({ headers: res.headers })).toBe('ERR_CERTIFICATE_UNTRUSTED');
  });

  it('binds a certificate-bound JWT to the forwarded certificate', async () => {
    const token = await issuer.signCertificateBound(billing, { sub: 'alice' });
    const right = await from(rfc9440, PROXY, { 'client-cert': byteSequence(billing.certificate), authorization: `Bearer ${token}` });
    expect(right.status).toBe(200);
    expect(JSON.parse(right.body)).toMatchObject({ subject: 'alice', credential: 'jwt' });
    const wrong = await from(rfc9440, PROXY, { 'client-cert': byteSequence(edge.certificate), authorization: `Bearer ${token}` });
    expect(wrong.status).toBe(401);
    expect(audit.reasonOf({ headers: wrong.headers })).toBe('ERR_CERTIFICATE_BINDING_MISMATCH');
  });

  it('reads the URL-encoded PEM nginx sends in a configured header, from the configured proxy only', async () => {
    const header = { 'x-ssl-client-cert': encodeURIComponent(billing.certificate) };
    const res = await from(nginx, PROXY, header);
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).subject).toBe('billing-worker');
    expect((await from(nginx, PEER, header)).status).toBe(401);
    // nginx sends an empty value when the client presented no certificate.
    expect((await from(nginx, PROXY, { 'x-ssl-client-cert': '' })).status).toBe(401);
  });
});
