import { X509Certificate } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkChain, thumbprintOf } from '../../../src/authentication/mtls/certificate-chain.js';
import type { PresentedCertificate } from '../../../src/authentication/mtls/client-certificate.js';
import { matchClient } from '../../../src/authentication/mtls/client-matcher.js';
import { MalformedCertificateHeader, parseEscapedPem, parseRfc9440 } from '../../../src/authentication/mtls/forwarded-certificate.js';
import { resolveMtlsConfig } from '../../../src/authentication/mtls/mtls-config.js';
import { TrustedProxies } from '../../../src/net/trusted-proxies.js';
import type { MtlsClientOptions } from '../../../src/authentication/mtls/mtls-options.js';
import { TestCertificateAuthority, type TestCertificate } from '../../../src/testing/index.js';
import { opensslAvailable } from '../../support/openssl.js';

const x509 = (pem: string) => new X509Certificate(pem);
const der = (pem: string) => x509(pem).raw;
const DAY = 86_400_000;

describe.runIf(opensslAvailable())('client certificates: chains, forwarded headers, client matching', () => {
  let ca: TestCertificateAuthority;
  let intermediate: TestCertificateAuthority;
  let otherCa: TestCertificateAuthority;
  let client: TestCertificate;
  let viaIntermediate: TestCertificate;
  let foreign: TestCertificate;
  let server: TestCertificate;
  let selfSigned: TestCertificate;
  beforeAll(async () => {
    ca = await TestCertificateAuthority.create();
    intermediate = await ca.intermediate();
    otherCa = await TestCertificateAuthority.create({ commonName: 'Other CA' });
    client = await ca.issue({ commonName: 'billing-worker', organization: 'Acme', dns: ['billing.internal'], uris: ['spiffe://acme.example/billing'], emails: ['ops@acme.example'], ips: ['10.0.0.7'] });
    viaIntermediate = await intermediate.issue({ commonName: 'edge', dns: ['edge.internal'] });
    foreign = await otherCa.issue({ commonName: 'billing-worker', dns: ['billing.internal'] });
    server = await ca.issue({ commonName: '127.0.0.1', usage: ['serverAuth'] });
    selfSigned = await TestCertificateAuthority.selfSigned({ commonName: 'partner' });
  });
  afterAll(async () => {
    await ca?.close();
    await otherCa?.close();
  });

  it('checks a chain to the anchors, through intermediates, with validity and client usage', () => {
    const now = Date.now();
    const anchors = [x509(ca.certificate)];
    expect(checkChain(x509(client.certificate), [], anchors, now)).toBe('trusted');
    expect(checkChain(x509(viaIntermediate.certificate), [x509(intermediate.certificate)], anchors, now)).toBe('trusted');
    expect(checkChain(x509(viaIntermediate.certificate), [], anchors, now)).toBe('untrusted');
    expect(checkChain(x509(foreign.certificate), [], anchors, now)).toBe('untrusted');
    expect(checkChain(x509(client.certificate), [], anchors, now + 3 * DAY)).toBe('expired');
    expect(checkChain(x509(server.certificate), [], anchors, now)).toBe('untrusted'); // serverAuth only
    expect(checkChain(x509(intermediate.certificate), [], anchors, now)).toBe('untrusted'); // a CA is no client
    expect(checkChain(x509(selfSigned.certificate), [x509(selfSigned.certificate)], anchors, now)).toBe('untrusted');
  });

  it('computes x5t#S256 as base64url SHA-256 of the DER certificate, as openssl does', () => {
    expect(thumbprintOf(x509(client.certificate))).toBe(client.thumbprint);
    expect(Buffer.from(client.thumbprint, 'base64url').toString('hex').toUpperCase()).toBe(x509(client.certificate).fingerprint256.replace(/:/g, ''));
  });

  it('reads RFC 9440 Client-Cert and Client-Cert-Chain byte sequences', () => {
    const header = `:${der(viaIntermediate.certificate).toString('base64')}:`;
    const parsed = parseRfc9440([header], [`:${der(intermediate.certificate).toString('base64')}:`])!;
    expect(thumbprintOf(parsed.certificate)).toBe(viaIntermediate.thumbprint);
    expect(parsed.chain.map(thumbprintOf)).toEqual([thumbprintOf(x509(intermediate.certificate))]);
    expect(parseRfc9440([], [])).toBeUndefined();
    expect(parseRfc9440([''], [])).toBeUndefined();
  });

  it.each([
    ['no colons', (b64: string) => [b64]],
    ['a URL-safe alphabet character', (b64: string) => [`:-_${b64.slice(2)}:`]],
    ['a truncated value', (b64: string) => [`:${b64.slice(0, -1)}:`]],
    ['not a certificate', () => [`:${Buffer.from('hello world!').toString('base64')}:`]],
    ['two header lines', (b64: string) => [`:${b64}:`, `:${b64}:`]],
  ])('refuses a Client-Cert with %s', (_what, make) => {
    expect(() => parseRfc9440(make(der(client.certificate).toString('base64')), [])).toThrow(MalformedCertificateHeader);
  });

  it('reads a URL-encoded PEM (nginx $ssl_client_escaped_cert) and refuses broken ones', () => {
    expect(thumbprintOf(parseEscapedPem([encodeURIComponent(client.certificate)])!.certificate)).toBe(client.thumbprint);
    expect(() => parseEscapedPem(['%E0%A4%A'])).toThrow(MalformedCertificateHeader);
    expect(() => parseEscapedPem([encodeURIComponent(client.certificate + client.certificate)])).toThrow(MalformedCertificateHeader);
    expect(() => parseEscapedPem([encodeURIComponent('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----')])).toThrow(MalformedCertificateHeader);
  });

  it('matches a verified certificate by each RFC 8705 §2.1.2 name, and a pinned one without a chain (§2.2)', () => {
    const match = (options: Partial<MtlsClientOptions>, presented: PresentedCertificate, ca_ = ca.certificate) => {
      const config = resolveMtlsConfig({ ca: ca_, clients: [{ clientId: 'c', ...options }] }, new TrustedProxies())!;
      const result = matchClient(presented, config, Date.now());
      return 'client' in result ? result.client.clientId : result.rejection;
    };
    const header = (pem: string, chain: string[] = []): PresentedCertificate => ({ source: 'header', certificate: x509(pem), chain: chain.map(x509), tlsAuthorized: false, thumbprint: thumbprintOf(x509(pem)) });
    const presented = header(client.certificate);
    expect(match({ tls_client_auth_subject_dn: 'CN=billing-worker,O=Acme' }, presented)).toBe('c');
    expect(match({ tls_client_auth_subject_dn: 'CN=billing-worker,O=Other' }, presented)).toBe('ERR_CERTIFICATE_UNKNOWN');
    expect(match({ tls_client_auth_san_dns: 'BILLING.internal' }, presented)).toBe('c');
    expect(match({ tls_client_auth_san_uri: 'spiffe://acme.example/billing' }, presented)).toBe('c');
    expect(match({ tls_client_auth_san_email: 'ops@ACME.example' }, presented)).toBe('c');
    expect(match({ tls_client_auth_san_ip: '10.0.0.7' }, presented)).toBe('c');
    expect(match({ tls_client_auth_san_dns: 'billing.internal' }, header(foreign.certificate))).toBe('ERR_CERTIFICATE_UNTRUSTED');
    expect(match({ tls_client_auth_san_dns: 'edge.internal' }, header(viaIntermediate.certificate, [intermediate.certificate]))).toBe('c');
    expect(match({ thumbprint: selfSigned.thumbprint }, header(selfSigned.certificate))).toBe('c');
    expect(match({ thumbprint: x509(selfSigned.certificate).fingerprint256 }, header(selfSigned.certificate))).toBe('c');
    // From the connection: the TLS server's verdict counts, and mtls.ca must still be reached.
    const tls = (pem: string, authorized: boolean): PresentedCertificate => ({ ...header(pem), source: 'tls', tlsAuthorized: authorized });
    expect(match({ tls_client_auth_san_dns: 'billing.internal' }, tls(client.certificate, true))).toBe('c');
    expect(match({ tls_client_auth_san_dns: 'billing.internal' }, tls(client.certificate, false))).toBe('ERR_CERTIFICATE_UNTRUSTED');
    expect(match({ tls_client_auth_san_dns: 'billing.internal' }, tls(foreign.certificate, true))).toBe('ERR_CERTIFICATE_UNTRUSTED');
  });

  it('refuses a certificate that matches two clients, and an expired pinned one', () => {
    const config = resolveMtlsConfig({ ca: ca.certificate, clients: [{ clientId: 'a', tls_client_auth_san_dns: 'billing.internal' }, { clientId: 'b', tls_client_auth_san_uri: 'spiffe://acme.example/billing' }] }, new TrustedProxies())!;
    const presented: PresentedCertificate = { source: 'header', certificate: x509(client.certificate), chain: [], tlsAuthorized: false, thumbprint: client.thumbprint };
    expect(matchClient(presented, config, Date.now())).toEqual({ rejection: 'ERR_CERTIFICATE_AMBIGUOUS' });
    const pinned = resolveMtlsConfig({ clients: [{ clientId: 'p', thumbprint: selfSigned.thumbprint }] }, new TrustedProxies())!;
    const self: PresentedCertificate = { ...presented, certificate: x509(selfSigned.certificate), thumbprint: selfSigned.thumbprint };
    expect(matchClient(self, pinned, Date.now() + 3 * DAY)).toEqual({ rejection: 'ERR_CERTIFICATE_EXPIRED' });
  });

  it('refuses a leaf certificate as mtls.ca', () => {
    expect(() => resolveMtlsConfig({ ca: client.certificate, clients: [{ clientId: 'c', thumbprint: client.thumbprint }] }, new TrustedProxies())).toThrow('"mtls.ca"');
  });
});
