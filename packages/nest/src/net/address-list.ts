import { parseIp } from './ip-address.js';
import { TrustedProxies } from './trusted-proxies.js';

/**
 * True when `ip` is in `allowed` (addresses, CIDR ranges or the range names `loopback`, `linklocal`,
 * `uniquelocal`). An unreadable list or address allows nothing (fail closed).
 */
export function addressAllowed(allowed: readonly string[], ip: string | undefined): boolean {
  if (!parseIp(ip)) return false;
  try {
    // The same address-range set as the trusted-proxy list (node:net BlockList).
    return new TrustedProxies(allowed).contains(ip);
  } catch {
    return false;
  }
}
