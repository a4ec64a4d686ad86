import { normalizeIp } from '@nestjs/throttler';
import type { ResolvedBruteForceOptions } from './throttle-options.js';

/**
 * Block time for the `level`-th block of one client (0 for the first): `blockMs` doubled per earlier
 * block that is still remembered, capped at `maxBlockMs`. Pure, so the growth is unit-tested without a store.
 */
export function blockDurationMs(level: number, options: Pick<ResolvedBruteForceOptions, 'blockMs' | 'maxBlockMs'>): number {
  const safeLevel = Math.max(0, Math.min(Math.floor(level), 40));
  return Math.min(options.blockMs * 2 ** safeLevel, options.maxBlockMs);
}

/**
 * Who brute-force counting and blocking tracks for a client address: the IPv4 address, or the IPv6 /64
 * (`2001:db8::/64`) — the throttler's grouping, since one subscriber line or host usually gets a whole
 * /64 and could otherwise rotate addresses past every limit.
 */
export function bruteForceClient(ip: string): string {
  return normalizeIp(ip);
}

/** Counter-store keys (evictable windows) of one client or claimed identity. */
export const bruteForceKeys = {
  failures: (client: string) => `bf:fail:${client}`,
  claimed: (identityDigest: string) => `bf:claimed:${identityDigest}`,
} as const;

/**
 * A block as kept in security state (kind `block`, keyed by client): when it ends and how many blocks
 * the client has had. One entry per blocked client, kept for `maxBlockMs` so that repeat blocks double.
 */
export interface BlockRecord {
  /** Epoch ms the current block ends (in the past once it is over). */
  until: number;
  /** Blocks so far (1 for the first). */
  level: number;
}

export function formatBlock(record: BlockRecord): string {
  return `${record.until}:${record.level}`;
}

/** Parses a stored block; `undefined` for garbage (treated as "no block" by readers, overwritten by the next block). */
export function parseBlock(value: string | undefined): BlockRecord | undefined {
  if (value === undefined) return undefined;
  const [until, level] = value.split(':').map(Number);
  return Number.isFinite(until) && Number.isInteger(level) ? { until: until!, level: level! } : undefined;
}
