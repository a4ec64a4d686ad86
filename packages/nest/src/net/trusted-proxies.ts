import { BlockList } from 'node:net';
import { parseIp } from './ip-address.js';

/**
 * Named ranges accepted in a trusted-proxy list, as Express's `trust proxy` names them.
 * (The default list is narrower than `loopback`: see {@link DEFAULT_TRUSTED_PROXIES}.)
 */
export const PROXY_RANGE_NAMES = {
  loopback: ['127.0.0.0/8', '::1/128'],
  linklocal: ['169.254.0.0/16', 'fe80::/10'],
  uniquelocal: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
} as const satisfies Record<string, readonly string[]>;

/**
 * Default trusted proxies: the host's own proxy on 127.0.0.1 / ::1. Not all of 127.0.0.0/8: other loopback
 * addresses are ordinary peers (tests and sidecars bind them), and trusting them would let any local process
 * choose its client IP through `X-Forwarded-For`. Name `loopback` to trust the whole range.
 */
export const DEFAULT_TRUSTED_PROXIES: readonly string[] = ['127.0.0.1', '::1'];

const MEMO_SIZE = 1024;

/** Thrown for an entry of a trusted-proxy list that is neither an address, a CIDR range nor a range name. */
export class InvalidProxyRangeError extends Error {
  constructor(readonly index: number, entry: unknown) {
    super(`is not an IP address, CIDR range or one of ${Object.keys(PROXY_RANGE_NAMES).join(', ')}: ${JSON.stringify(entry)}`);
    this.name = 'InvalidProxyRangeError';
  }
}

/**
 * The set of peers whose `X-Forwarded-*` headers are believed. Built once from a list of addresses,
 * CIDR ranges (`10.0.0.0/8`, `2001:db8::/32`) and range names (`loopback`, `linklocal`, `uniquelocal`),
 * backed by Node's `net.BlockList`. An empty list trusts no one.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  /** Answers for recent addresses: a request's peer is looked up on every request, and peers repeat. */
  private readonly memo = new Map<string, boolean>();
  readonly entries: readonly string[];

  constructor(entries: readonly string[] = DEFAULT_TRUSTED_PROXIES) {
    this.entries = [...entries];
    entries.forEach((entry, index) => {
      if (typeof entry !== 'string') throw new InvalidProxyRangeError(index, entry);
      const named = PROXY_RANGE_NAMES[entry as keyof typeof PROXY_RANGE_NAMES];
      for (const range of named ?? [entry]) this.add(range, index, entry);
    });
  }

  private add(range: string, index: number, entry: string): void {
    const slash = range.indexOf('/');
    const ip = parseIp(slash === -1 ? range : range.slice(0, slash));
    if (!ip) throw new InvalidProxyRangeError(index, entry);
    const max = ip.family === 'ipv4' ? 32 : 128;
    const prefix = slash === -1 ? max : Number(range.slice(slash + 1));
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (slash !== -1 && !/^\d+$/.test(range.slice(slash + 1)))) {
      throw new InvalidProxyRangeError(index, entry);
    }
    this.list.addSubnet(ip.address, prefix, ip.family);
  }

  /** True when `address` (any textual form, IPv4-mapped included) lies in a trusted range. */
  contains(address: string | undefined): boolean {
    if (address === undefined) return false;
    let trusted = this.memo.get(address);
    if (trusted === undefined) {
      const ip = parseIp(address);
      trusted = ip !== undefined && this.list.check(ip.address, ip.family);
      // Bounded: many distinct peers only cost the look-ups they would have cost anyway.
      if (this.memo.size >= MEMO_SIZE) this.memo.clear();
      this.memo.set(address, trusted);
    }
    return trusted;
  }
}
