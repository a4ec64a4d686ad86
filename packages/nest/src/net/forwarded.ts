import { MALFORMED, parseForwarded } from './forwarded-header.js';
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
  /** Every `X-Forwarded-Host` header line, in order as received. */
  forwardedHost?: readonly string[];
  /** Every RFC 7239 `Forwarded` header line, in order as received. */
  forwarded?: readonly string[];
  /** The request's own `Host` header (or HTTP/2 `:authority`). */
  host?: string;
}

/** The client as far as the trusted proxies vouch for it. */
export interface ClientAddress {
  /** Canonical client IP (right-most untrusted hop), or the peer. `'unknown'` only when the socket has no address. */
  ip: string;
  /** Scheme the client used to reach the first trusted hop (forwarded only by trusted peers). */
  protocol: 'http' | 'https';
  /**
   * Host (authority, lower-case, with any port) the client addressed: what the trusted proxy reports
   * (`X-Forwarded-Host`, `Forwarded: host=`), else the request's `Host`. Undefined when absent or malformed.
   */
  host: string | undefined;
  /** Canonical address of the TCP peer. */
  peer: string;
  /** True when the peer is a trusted proxy (so forwarding headers were considered). */
  viaTrustedProxy: boolean;
  /** True when the request carried any forwarding header at all, believed or not. */
  forwardingHeaders: boolean;
}

/** One hop as a proxy describes it: the address it received the request from, and what it saw. */
interface Hop {
  address: string | undefined;
  proto: string | undefined;
  host: string | undefined;
}

const HOST = /^(?:[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

function hostOf(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase();
  return v && v.length <= 255 && HOST.test(v) ? v : undefined;
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
 * `X-Forwarded-For` gives the hops; `-Proto` and `-Host` are paired with them entry by entry when the
 * lists have one entry per hop, else only their right-most entry (the nearest proxy's view) is used.
 */
function xForwardedHops(facts: ConnectionFacts): { hops: Hop[]; nearest: Hop } {
  const fors = listOf(facts.forwardedFor);
  const protos = listOf(facts.forwardedProto);
  const hosts = listOf(facts.forwardedHost);
  const hops = fors.map((address, i) => ({
    address,
    proto: protos.length === fors.length ? protos[i] : undefined,
    host: hosts.length === fors.length ? hosts[i] : undefined,
  }));
  return { hops, nearest: { address: undefined, proto: protos[protos.length - 1], host: hosts[hosts.length - 1] } };
}

/** RFC 7239: each element carries `for`, `proto` and `host` of one hop together. */
function forwardedHops(facts: ConnectionFacts): { hops: Hop[]; nearest: Hop } {
  const hops = parseForwarded(facts.forwarded ?? []).map((e) =>
    e === MALFORMED ? { address: undefined, proto: undefined, host: undefined } : { address: e.for ?? '', proto: e.proto, host: e.host },
  );
  return { hops, nearest: hops[hops.length - 1] ?? { address: undefined, proto: undefined, host: undefined } };
}

/**
 * Resolves the client behind a chain of proxies. Forwarding headers are believed only when the TCP peer
 * is a trusted proxy; then the hops are walked right to left, skipping trusted ones, and the first
 * untrusted hop is the client (everything left of it was written by the client and may be forged). If
 * every hop is trusted the left-most one is the client. A hop that is not an IP address — malformed,
 * RFC 7239 `unknown` or an obfuscated identifier (`_hidden`) — stops the walk at the last hop a trusted
 * proxy vouched for: attacker-chosen text never becomes a client address.
 *
 * Precedence: `X-Forwarded-For`/`-Proto`/`-Host` when the request carries any of them, else RFC 7239
 * `Forwarded`. Most proxies write `X-Forwarded-*` and pass a client's own `Forwarded` through untouched,
 * so preferring `Forwarded` would let any client choose its address behind them.
 *
 * The protocol and host are those recorded for the chosen hop (so the scheme the client used at the
 * edge), else the nearest proxy's; never a value written by the client alone.
 */
export function resolveClient(facts: ConnectionFacts, trusted: TrustedProxies): ClientAddress {
  const peer = parseIp(facts.peer)?.address ?? 'unknown';
  const socketProtocol = facts.encrypted ? 'https' : 'http';
  const xForwarded = (facts.forwardedFor?.length ?? 0) + (facts.forwardedProto?.length ?? 0) + (facts.forwardedHost?.length ?? 0) > 0;
  const forwardingHeaders = xForwarded || (facts.forwarded?.length ?? 0) > 0;
  if (peer === 'unknown' || !trusted.contains(peer)) {
    return { ip: peer, protocol: socketProtocol, host: hostOf(facts.host), peer, viaTrustedProxy: false, forwardingHeaders };
  }
  const { hops, nearest } = xForwarded ? xForwardedHops(facts) : forwardedHops(facts);
  let ip = peer;
  let index = hops.length;
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = parseIp(hops[i]!.address);
    if (!hop) break;
    ip = hop.address;
    index = i;
    if (!trusted.contains(hop.address)) break;
  }
  const chosen = hops[index];
  const protocol = schemeOf(chosen?.proto ?? nearest.proto) ?? socketProtocol;
  const host = hostOf(chosen?.host ?? nearest.host) ?? hostOf(facts.host);
  return { ip, protocol, host, peer, viaTrustedProxy: true, forwardingHeaders };
}
