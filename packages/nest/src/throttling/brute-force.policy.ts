import type { ResolvedBruteForceOptions } from './throttle-options.js';

/**
 * Block time for the `level`-th block of one IP (0 for the first): `blockMs` doubled per earlier block
 * that is still remembered, capped at `maxBlockMs`. Pure, so the growth is unit-tested without a store.
 */
export function blockDurationMs(level: number, options: Pick<ResolvedBruteForceOptions, 'blockMs' | 'maxBlockMs'>): number {
  const safeLevel = Math.max(0, Math.min(Math.floor(level), 40));
  return Math.min(options.blockMs * 2 ** safeLevel, options.maxBlockMs);
}

/** Store keys of the brute-force state of one IP or claimed identity. */
export const bruteForceKeys = {
  failures: (ip: string) => `bf:fail:${ip}`,
  block: (ip: string) => `bf:block:${ip}`,
  level: (ip: string) => `bf:level:${ip}`,
  claimed: (identityDigest: string) => `bf:claimed:${identityDigest}`,
} as const;
