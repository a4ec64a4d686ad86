import { X509Certificate } from 'node:crypto';
import type { RequestContext } from '../../core/request-context.js';
import { thumbprintOf } from './certificate-chain.js';
import { MalformedCertificateHeader, parseEscapedPem, parseRfc9440, type ForwardedCertificate } from './forwarded-certificate.js';
import type { MtlsConfig } from './mtls-config.js';

/** The certificate the client presented, from the TLS connection or from a trusted proxy's header. */
export interface PresentedCertificate {
  readonly source: 'tls' | 'header';
  readonly certificate: X509Certificate;
  /** Further certificates presented with it (intermediates), leaf excluded. */
  readonly chain: readonly X509Certificate[];
  /** For `tls`: the TLS server verified the chain against `httpsOptions.ca` (`socket.authorized`). */
  readonly tlsAuthorized: boolean;
  /** `x5t#S256`. */
  readonly thumbprint: string;
}

/**
 * What a request shows of a client certificate: none; one; a forwarded header that could not be read; or
 * a forwarded header from a peer that is not a trusted proxy (ignored: anyone can write a header).
 */
export type CertificateEvidence =
  | { readonly status: 'none' }
  | { readonly status: 'present'; readonly presented: PresentedCertificate }
  | { readonly status: 'malformed' }
  | { readonly status: 'ignored'; readonly header: string };

/** The TLS socket's view of the peer certificate (Node's `tls.TLSSocket`). */
interface TlsSocketLike {
  authorized?: boolean;
  getPeerCertificate?(detailed: true): PeerCertificateLike | null;
}

interface PeerCertificateLike {
  raw?: Buffer;
  issuerCertificate?: PeerCertificateLike;
}

/** Evidence per request, computed once (the authenticator and the token-binding check both read it). */
const evidenceByRequest = new WeakMap<RequestContext, CertificateEvidence>();

function fromTls(ctx: RequestContext): CertificateEvidence | undefined {
  const socket = ctx.tls as TlsSocketLike | undefined;
  if (typeof socket?.getPeerCertificate !== 'function') return undefined;
  const peer = socket.getPeerCertificate(true);
  if (!peer?.raw) return undefined;
  try {
    const certificate = new X509Certificate(peer.raw);
    const chain: X509Certificate[] = [];
    // The detailed form links each certificate to its issuer; a self-signed root links to itself.
    for (let link = peer.issuerCertificate, last = peer; link?.raw && link !== last && chain.length < 8; last = link, link = link.issuerCertificate) {
      chain.push(new X509Certificate(link.raw));
    }
    return { status: 'present', presented: { source: 'tls', certificate, chain, tlsAuthorized: socket.authorized === true, thumbprint: thumbprintOf(certificate) } };
  } catch {
    return { status: 'malformed' };
  }
}

function fromHeader(ctx: RequestContext, forwarded: NonNullable<MtlsConfig['forwarded']>): CertificateEvidence {
  const lines = ctx.headerLines(forwarded.header);
  if (lines.every((line) => line.trim() === '')) return { status: 'none' };
  // RFC 9440 §4: only a proxy that removed what the client sent may set these headers.
  if (!forwarded.trusted.contains(ctx.client.peer)) return { status: 'ignored', header: forwarded.header };
  let parsed: ForwardedCertificate | undefined;
  try {
    parsed = forwarded.format === 'rfc9440' ? parseRfc9440(lines, ctx.headerLines(forwarded.chainHeader)) : parseEscapedPem(lines);
  } catch (error) {
    if (error instanceof MalformedCertificateHeader) return { status: 'malformed' };
    throw error;
  }
  if (!parsed) return { status: 'none' };
  return { status: 'present', presented: { source: 'header', ...parsed, tlsAuthorized: false, thumbprint: thumbprintOf(parsed.certificate) } };
}

/**
 * The client certificate of a request, read once per request: the TLS connection's peer certificate if
 * there is one, else (with `mtls.forwarded`) the certificate a trusted proxy put in its header. The one
 * place Bastion reads client certificates from a request. `onIgnored` is called once per request when a
 * forwarded header came from a peer that is not a trusted proxy.
 */
export function clientCertificateOf(ctx: RequestContext, config: MtlsConfig | undefined, onIgnored?: (header: string) => void): CertificateEvidence {
  const cached = evidenceByRequest.get(ctx);
  if (cached) return cached;
  const evidence = fromTls(ctx) ?? (config?.forwarded ? fromHeader(ctx, config.forwarded) : { status: 'none' as const });
  evidenceByRequest.set(ctx, evidence);
  if (evidence.status === 'ignored') onIgnored?.(evidence.header);
  return evidence;
}
