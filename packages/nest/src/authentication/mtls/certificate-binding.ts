import { macEquals } from '../../keys/hmac-key-ring.js';
import type { CertificateEvidence } from './client-certificate.js';

/** Audit reasons of a certificate-bound token refused. */
export type CertificateBindingRejection = 'ERR_CERTIFICATE_MISSING' | 'ERR_CERTIFICATE_MALFORMED' | 'ERR_CERTIFICATE_BINDING_MISMATCH';

/**
 * RFC 8705 §3: a token whose `cnf` carries `x5t#S256` is accepted only over a connection presenting that
 * certificate (the TLS handshake proved the key; no chain is needed). Returns the reason to refuse, or
 * undefined. The thumbprints are compared in constant time.
 */
export function certificateBindingViolation(expected: unknown, evidence: CertificateEvidence): CertificateBindingRejection | undefined {
  if (evidence.status === 'malformed') return 'ERR_CERTIFICATE_MALFORMED';
  if (evidence.status !== 'present') return 'ERR_CERTIFICATE_MISSING';
  if (typeof expected !== 'string') return 'ERR_CERTIFICATE_BINDING_MISMATCH';
  return macEquals(expected, evidence.presented.thumbprint) ? undefined : 'ERR_CERTIFICATE_BINDING_MISMATCH';
}
