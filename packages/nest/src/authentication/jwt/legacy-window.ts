import { BastionConfigError, isPlainObject } from '../../options/assert.js';
import type { LegacyWindowOptions } from './jwt-options.js';

/** A validated migration window (see {@link LegacyWindowOptions}); `until` in milliseconds since the epoch. */
export interface LegacyWindow {
  readonly acceptMissing: ReadonlySet<'iss' | 'aud'>;
  readonly until: number;
}

/** Longest window accepted: tokens already out expire long before; a longer window is a forgotten one. */
const MAX_WINDOW_DAYS = 366;
const CLAIMS = ['iss', 'aud'] as const;

/**
 * Validates `legacy` at boot. Only an issuer whose keys are configured statically (`secret` or `keys`)
 * may have one: a token without `iss` must still be verifiable with exactly one known key set.
 */
export function resolveLegacyWindow(value: LegacyWindowOptions, path: string, staticKeys: boolean, nowMs: number): LegacyWindow {
  if (!isPlainObject(value)) throw new BastionConfigError(path, 'must be an object');
  if (!staticKeys) throw new BastionConfigError(path, 'is only allowed for an issuer with a static "secret" or "keys" (an app that signs its own tokens)');
  const missing = value.acceptMissing;
  if (!Array.isArray(missing) || missing.length === 0 || missing.some((c) => !CLAIMS.includes(c))) {
    throw new BastionConfigError(`${path}.acceptMissing`, 'must be a non-empty array of "iss", "aud"');
  }
  const until = value.until instanceof Date ? value.until.getTime() : typeof value.until === 'string' ? Date.parse(value.until) : Number.NaN;
  if (!Number.isFinite(until)) throw new BastionConfigError(`${path}.until`, 'must be an ISO 8601 date-time or a Date');
  if (until - nowMs > MAX_WINDOW_DAYS * 86_400_000) throw new BastionConfigError(`${path}.until`, `must be at most ${MAX_WINDOW_DAYS} days from now`);
  return { acceptMissing: new Set(missing), until };
}

/** True while `window` accepts tokens that lack `claim`. */
export function legacyAccepts(window: LegacyWindow | undefined, claim: 'iss' | 'aud', nowMs: number): boolean {
  return window !== undefined && nowMs < window.until && window.acceptMissing.has(claim);
}
