import type { X509Certificate } from 'node:crypto';
import { BastionConfigError, assertNonEmptyString, assertOneOf, assertOptionalObject, isPlainObject } from '../../options/assert.js';
import { InvalidProxyRangeError, TrustedProxies } from '../../net/trusted-proxies.js';
import { parsePemCertificates } from './certificate-chain.js';
import { parseDistinguishedName, type DistinguishedName } from './distinguished-name.js';
import type { ForwardedCertificateOptions, MtlsOptions } from './mtls-options.js';
import { canonicalIp } from './subject-alt-names.js';

/** How a configured client is recognised. */
export type ClientMatch =
  | { readonly kind: 'thumbprint'; readonly value: string }
  | { readonly kind: 'dn'; readonly dn: DistinguishedName }
  | { readonly kind: 'dns' | 'uri' | 'ip' | 'email'; readonly value: string };

/** One configured client, validated: scopes, roles and how its certificate is recognised. */
export interface ResolvedMtlsClient {
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly roles: readonly string[];
  readonly match: ClientMatch;
}

/** `mtls` validated and resolved once at boot. */
export interface MtlsConfig {
  readonly anchors: readonly X509Certificate[];
  readonly clients: readonly ResolvedMtlsClient[];
  readonly forwarded: { readonly format: 'rfc9440' | 'pem'; readonly header: string; readonly chainHeader: string; readonly trusted: TrustedProxies } | undefined;
}

const MATCHERS = ['thumbprint', 'tls_client_auth_subject_dn', 'tls_client_auth_san_dns', 'tls_client_auth_san_uri', 'tls_client_auth_san_ip', 'tls_client_auth_san_email'] as const;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function stringList(value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new BastionConfigError(path, 'must be an array of strings');
  value.forEach((v, i) => assertNonEmptyString(v, `${path}[${i}]`));
  return [...value];
}

/** A thumbprint as base64url SHA-256 (43 characters), from base64url or hex (colons allowed, as `openssl x509 -fingerprint` prints). */
function normalizeThumbprint(value: unknown, path: string): string {
  if (typeof value === 'string') {
    const hex = value.replace(/:/g, '');
    if (/^[0-9A-Fa-f]{64}$/.test(hex)) return Buffer.from(hex, 'hex').toString('base64url');
    if (/^[A-Za-z0-9_-]{43}$/.test(value) && Buffer.from(value, 'base64url').toString('base64url') === value) return value;
  }
  throw new BastionConfigError(path, 'must be a SHA-256 certificate thumbprint: base64url (x5t#S256) or hex');
}

function matchOf(client: Record<string, unknown>, path: string): ClientMatch {
  const given = MATCHERS.filter((m) => client[m] !== undefined);
  if (given.length !== 1) throw new BastionConfigError(path, `must set exactly one of ${MATCHERS.join(', ')}`);
  const name = given[0]!;
  const value = client[name];
  const at = `${path}.${name}`;
  if (name === 'thumbprint') return { kind: 'thumbprint', value: normalizeThumbprint(value, at) };
  assertNonEmptyString(value, at);
  if (name === 'tls_client_auth_subject_dn') {
    const dn = parseDistinguishedName(value);
    if (!dn || dn.length === 0) throw new BastionConfigError(at, 'must be an RFC 4514 distinguished name such as "CN=svc,O=Acme,C=US"');
    return { kind: 'dn', dn };
  }
  if (name === 'tls_client_auth_san_ip') {
    const ip = canonicalIp(value);
    if (!ip) throw new BastionConfigError(at, 'must be an IP address');
    return { kind: 'ip', value: ip };
  }
  const kind = name === 'tls_client_auth_san_dns' ? 'dns' : name === 'tls_client_auth_san_uri' ? 'uri' : 'email';
  return { kind, value: kind === 'dns' ? value.toLowerCase() : value };
}

function anchorsOf(ca: unknown): X509Certificate[] {
  if (ca === undefined) return [];
  const entries = typeof ca === 'string' ? [ca] : Array.isArray(ca) ? ca : undefined;
  if (!entries || entries.length === 0) throw new BastionConfigError('mtls.ca', 'must be a PEM certificate or an array of them');
  return entries.flatMap((entry, i) => {
    const path = typeof ca === 'string' ? 'mtls.ca' : `mtls.ca[${i}]`;
    let certs: X509Certificate[];
    try {
      certs = typeof entry === 'string' ? parsePemCertificates(entry) : [];
    } catch {
      throw new BastionConfigError(path, 'holds a certificate that cannot be parsed');
    }
    if (certs.length === 0) throw new BastionConfigError(path, 'must hold at least one PEM certificate');
    if (certs.some((c) => !c.ca)) throw new BastionConfigError(path, 'must hold CA certificates only (basicConstraints CA:TRUE)');
    return certs;
  });
}

/**
 * Validates `mtls` and resolves it once at boot (`BastionConfig.mtls`); undefined when mutual TLS is not
 * configured. `appTrustedProxies` (the app's `trustedProxies`, built) vouch for forwarded certificates
 * unless `mtls.forwarded.trustedProxies` names others.
 */
export function resolveMtlsConfig(input: unknown, appTrustedProxies: TrustedProxies): MtlsConfig | undefined {
  assertOptionalObject(input, 'mtls');
  if (input === undefined) return undefined;
  const options = input as unknown as MtlsOptions;
  if (!Array.isArray(options.clients) || options.clients.length === 0) throw new BastionConfigError('mtls.clients', 'must be a non-empty array of clients');
  const ids = new Set<string>();
  const clients = options.clients.map((client, i) => {
    const path = `mtls.clients[${i}]`;
    if (!isPlainObject(client)) throw new BastionConfigError(path, 'must be an object');
    assertNonEmptyString(client.clientId, `${path}.clientId`);
    if (ids.has(client.clientId)) throw new BastionConfigError(`${path}.clientId`, `repeats "${client.clientId}"`);
    ids.add(client.clientId);
    return { clientId: client.clientId, scopes: stringList(client.scopes, `${path}.scopes`), roles: stringList(client.roles, `${path}.roles`), match: matchOf(client, path) };
  });
  const pins = clients.flatMap((c) => (c.match.kind === 'thumbprint' ? [c.match.value] : []));
  if (new Set(pins).size !== pins.length) throw new BastionConfigError('mtls.clients', 'pin the same thumbprint for two clients');
  const anchors = anchorsOf(options.ca);
  const f = options.forwarded as ForwardedCertificateOptions | undefined;
  assertOptionalObject(f as unknown, 'mtls.forwarded');
  let forwarded: MtlsConfig['forwarded'];
  if (f) {
    // The proxy vouches for the certificate; Bastion still checks its chain, so it needs the CAs.
    if (anchors.length === 0) throw new BastionConfigError('mtls.ca', 'is required with "mtls.forwarded": forwarded certificates are checked against it');
    const format = f.format ?? 'rfc9440';
    assertOneOf(format, ['rfc9440', 'pem'], 'mtls.forwarded.format');
    const header = f.header ?? 'Client-Cert';
    if (typeof header !== 'string' || !HEADER_NAME.test(header)) throw new BastionConfigError('mtls.forwarded.header', 'must be an HTTP header name');
    let trusted: TrustedProxies;
    try {
      trusted = f.trustedProxies === undefined ? appTrustedProxies : new TrustedProxies(f.trustedProxies);
    } catch (error) {
      if (error instanceof InvalidProxyRangeError) throw new BastionConfigError(`mtls.forwarded.trustedProxies[${error.index}]`, error.message);
      throw new BastionConfigError('mtls.forwarded.trustedProxies', 'must be an array of addresses, CIDR ranges or range names');
    }
    forwarded = { format, header: header.toLowerCase(), chainHeader: `${header.toLowerCase()}-chain`, trusted };
  }
  return { anchors, clients, forwarded };
}
