import { createHash, X509Certificate } from 'node:crypto';

/** RFC 5280 §4.2.1.12: the extended key usage a client certificate may carry. */
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const ANY_EXTENDED_KEY_USAGE = '2.5.29.37.0';
const MAX_CHAIN = 8;

/** Outcome of checking a certificate against trust anchors. */
export type ChainStatus = 'trusted' | 'expired' | 'untrusted';

/** `x5t#S256` (RFC 8705 §3.1): base64url SHA-256 of the DER certificate. */
export function thumbprintOf(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest('base64url');
}

function validAt(certificate: X509Certificate, nowMs: number): boolean {
  return Date.parse(certificate.validFrom) <= nowMs && nowMs <= Date.parse(certificate.validTo);
}

function issuedBy(child: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return child.checkIssued(issuer) && child.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * Checks that `leaf` is a client certificate (not a CA; extended key usage, when present, allows client
 * authentication) valid now, issued — directly or through `intermediates` that are CAs valid now — by
 * one of `anchors`. Each link is the issuer's name and key identifier (`checkIssued`) and its signature
 * (`verify`). Revocation (CRL, OCSP) is not checked.
 */
export function checkChain(leaf: X509Certificate, intermediates: readonly X509Certificate[], anchors: readonly X509Certificate[], nowMs: number): ChainStatus {
  if (leaf.ca) return 'untrusted';
  const usages = leaf.keyUsage;
  if (usages !== undefined && !usages.includes(CLIENT_AUTH) && !usages.includes(ANY_EXTENDED_KEY_USAGE)) return 'untrusted';
  if (!validAt(leaf, nowMs)) return 'expired';
  let current = leaf;
  for (let depth = 0; depth < MAX_CHAIN; depth++) {
    if (anchors.some((anchor) => validAt(anchor, nowMs) && issuedBy(current, anchor))) return 'trusted';
    const next = intermediates.find((c) => c !== current && c.ca && validAt(c, nowMs) && issuedBy(current, c));
    if (!next) return 'untrusted';
    current = next;
  }
  return 'untrusted';
}

/** Every PEM certificate in `text` (a bundle may hold several). */
export function parsePemCertificates(text: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}
