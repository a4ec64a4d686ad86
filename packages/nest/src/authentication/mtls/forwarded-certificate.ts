import { X509Certificate } from 'node:crypto';

/** A certificate (and chain) as a proxy forwarded it, parsed; undefined when the header is absent or empty. */
export interface ForwardedCertificate {
  readonly certificate: X509Certificate;
  readonly chain: readonly X509Certificate[];
}

/** Thrown for a forwarded certificate header that cannot be read (the request is refused, never 5xx). */
export class MalformedCertificateHeader extends Error {
  constructor(what: string) {
    super(`malformed ${what}`);
    this.name = 'MalformedCertificateHeader';
  }
}

/** RFC 8941 §3.3.5 byte sequence: `:` base64 (standard alphabet, padded) `:`. */
const BYTE_SEQUENCE = /^:([A-Za-z0-9+/]*={0,2}):$/;
const MAX_CHAIN = 8;

function byteSequence(item: string, what: string): Buffer {
  const match = BYTE_SEQUENCE.exec(item.trim());
  if (!match || match[1]!.length % 4 !== 0) throw new MalformedCertificateHeader(what);
  const der = Buffer.from(match[1]!, 'base64');
  // Non-canonical base64 decodes to the same bytes: re-encoding exposes it.
  if (der.length === 0 || der.toString('base64') !== match[1]) throw new MalformedCertificateHeader(what);
  return der;
}

function certificate(input: Buffer | string, what: string): X509Certificate {
  try {
    return new X509Certificate(input);
  } catch {
    throw new MalformedCertificateHeader(what);
  }
}

/**
 * RFC 9440 §2: `Client-Cert` holds one byte sequence (the DER certificate), `Client-Cert-Chain` a list of
 * them (the chain, leaf excluded). One line each at most: a repeated header is malformed.
 */
export function parseRfc9440(certLines: readonly string[], chainLines: readonly string[]): ForwardedCertificate | undefined {
  if (certLines.length > 1) throw new MalformedCertificateHeader('repeated certificate header');
  const value = certLines[0]?.trim();
  if (!value) return undefined;
  const leaf = certificate(byteSequence(value, 'certificate header'), 'certificate header');
  const items = chainLines.flatMap((line) => line.split(',')).filter((item) => item.trim() !== '');
  if (items.length > MAX_CHAIN) throw new MalformedCertificateHeader('certificate chain header');
  return { certificate: leaf, chain: items.map((item) => certificate(byteSequence(item, 'certificate chain header'), 'certificate chain header')) };
}

/** A URL-encoded PEM certificate (nginx `$ssl_client_escaped_cert`); one line at most. */
export function parseEscapedPem(certLines: readonly string[]): ForwardedCertificate | undefined {
  if (certLines.length > 1) throw new MalformedCertificateHeader('repeated certificate header');
  const value = certLines[0]?.trim();
  if (!value) return undefined;
  let pem: string;
  try {
    pem = decodeURIComponent(value);
  } catch {
    throw new MalformedCertificateHeader('certificate header');
  }
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  if (!blocks || blocks.length !== 1) throw new MalformedCertificateHeader('certificate header');
  return { certificate: certificate(blocks[0]!, 'certificate header'), chain: [] };
}
