import { macEquals } from '../../keys/hmac-key-ring.js';
import { checkChain } from './certificate-chain.js';
import type { PresentedCertificate } from './client-certificate.js';
import { certificateSubject, sameDistinguishedName } from './distinguished-name.js';
import type { MtlsConfig, ResolvedMtlsClient } from './mtls-config.js';
import { parseSubjectAltNames, sameEmail } from './subject-alt-names.js';

/** Why a certificate does not authenticate a client (audit reasons). */
export type CertificateRejection = 'ERR_CERTIFICATE_UNTRUSTED' | 'ERR_CERTIFICATE_EXPIRED' | 'ERR_CERTIFICATE_UNKNOWN' | 'ERR_CERTIFICATE_AMBIGUOUS';

/** The client a certificate authenticates, or why it authenticates none. */
export type ClientMatchResult = { readonly client: ResolvedMtlsClient } | { readonly rejection: CertificateRejection };

/**
 * Whether the certificate's chain is trusted: from the connection, the TLS server verified it (and, when
 * `mtls.ca` is set, it must also reach one of those CAs); from a proxy's header, Bastion checks it
 * against `mtls.ca` (the proxy's word alone is not enough).
 */
function chainStatus(presented: PresentedCertificate, config: MtlsConfig, nowMs: number) {
  if (presented.source === 'tls') {
    if (!presented.tlsAuthorized) return 'untrusted';
    if (config.anchors.length === 0) return 'trusted';
  }
  return checkChain(presented.certificate, presented.chain, config.anchors, nowMs);
}

function matchesByName(client: ResolvedMtlsClient, presented: PresentedCertificate): boolean {
  const match = client.match;
  if (match.kind === 'dn') {
    const subject = certificateSubject(presented.certificate.subject);
    return subject !== undefined && sameDistinguishedName(subject, match.dn);
  }
  if (match.kind === 'thumbprint') return false;
  const names = parseSubjectAltNames(presented.certificate.subjectAltName);
  if (!names) return false;
  if (match.kind === 'dns') return names.dns.some((n) => n.toLowerCase() === match.value);
  if (match.kind === 'uri') return names.uri.includes(match.value);
  if (match.kind === 'ip') return names.ip.includes(match.value);
  return names.email.some((n) => sameEmail(n, match.value));
}

/**
 * The configured client a certificate authenticates (RFC 8705 §2). A pinned thumbprint needs no chain
 * (§2.2, self-signed certificates); a subject DN or SAN counts only on a certificate whose chain is
 * trusted (§2.1). A certificate that matches two different clients authenticates neither.
 */
export function matchClient(presented: PresentedCertificate, config: MtlsConfig, nowMs: number): ClientMatchResult {
  const pinned = config.clients.find((c) => c.match.kind === 'thumbprint' && macEquals(c.match.value, presented.thumbprint));
  if (pinned) {
    // A pin replaces the chain, not the certificate's own validity period.
    const c = presented.certificate;
    return Date.parse(c.validFrom) <= nowMs && nowMs <= Date.parse(c.validTo) ? { client: pinned } : { rejection: 'ERR_CERTIFICATE_EXPIRED' };
  }
  const status = chainStatus(presented, config, nowMs);
  if (status === 'expired') return { rejection: 'ERR_CERTIFICATE_EXPIRED' };
  if (status !== 'trusted') return { rejection: 'ERR_CERTIFICATE_UNTRUSTED' };
  const matches = config.clients.filter((c) => matchesByName(c, presented));
  if (matches.length === 0) return { rejection: 'ERR_CERTIFICATE_UNKNOWN' };
  if (matches.length > 1) return { rejection: 'ERR_CERTIFICATE_AMBIGUOUS' };
  return { client: matches[0]! };
}
