import { parseIp } from './ip-address.js';
import type { TrustedProxies } from './trusted-proxies.js';

/** What a request says about its connection, before any trust decision. */
export interface ConnectionFacts {
  /** Address of the TCP peer (the socket's `remoteAddress`). */
  peer: string | undefined;
  /** True when the socket itself is TLS. */
  encrypted?: boolean;
  /** Every `X-Forwarded-For` header line, in order as received. */
  forwardedFor?: readonly string[];
  /** Every `X-Forwarded-Proto` header line, in order as received. */
  forwardedProto?: readonly string[];
}

/** The client as far as the trusted proxies vouch for it. */
export interface ClientAddress {
  /** Canonical client IP (right-most untrusted hop), or the peer. `'unknown'` only when the socket has no address. */
  ip: string;
  /** Scheme the client used to reach the first trusted hop (`X-Forwarded-Proto` only from trusted peers). */
  protocol: 'http' | 'https';
  /** Canonical address of the TCP peer. */
  peer: string;
  /** True when the peer is a trusted proxy (so forwarding headers were considered). */
  viaTrustedProxy: boolean;
}

function listOf(lines: readonly string[] | undefined): string[] {
  if (!lines) return [];
  return lines.flatMap((line) => line.split(',')).map((v) => v.trim());
}

function schemeOf(value: string | undefined): 'http' | 'https' | undefined {
  const v = value?.toLowerCase();
  return v === 'https' || v === 'http' ? v : undefined;
}

/**
 * Resolves the client behind a chain of proxies. Forwarding headers are believed only when the TCP peer
 * is a trusted proxy; then `X-Forwarded-For` is walked right to left, skipping trusted hops, and the
 * first untrusted hop is the client (everything left of it was written by the client and may be forged).
 * If every hop is trusted the left-most one is the client. A malformed hop stops the walk at the last
 * hop a trusted proxy vouched for.
 *
 * The protocol is the `X-Forwarded-Proto` entry written alongside the chosen hop when both headers have
 * one entry per hop, else the right-most entry (the nearest proxy's view; never a client-supplied one).
 */
export function resolveClient(facts: ConnectionFacts, trusted: TrustedProxies): ClientAddress {
  const peer = parseIp(facts.peer)?.address ?? 'unknown';
  const socketProtocol = facts.encrypted ? 'https' : 'http';
  if (peer === 'unknown' || !trusted.contains(peer)) {
    return { ip: peer, protocol: socketProtocol, peer, viaTrustedProxy: false };
  }
  const hops = listOf(facts.forwardedFor);
  let ip = peer;
  let index = hops.length;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i]);
    if (!hop) break;
    ip = hop.address;
    index = i;
    if (!trusted.contains(hop.address)) break;
  }
  const protos = listOf(facts.forwardedProto);
  const aligned = protos.length === hops.length && index < hops.length ? protos[index] : protos[protos.length - 1];
  const protocol = schemeOf(aligned) ?? socketProtocol;
  return { ip, protocol, peer, viaTrustedProxy: true };
}
