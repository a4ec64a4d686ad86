import { BastionConfigError, assertOneOf, assertOptionalObject, isPlainObject } from '../../options/assert.js';
import { DEFAULT_DPOP_ALGORITHMS, DPOP_ALGORITHMS, type DpopAlgorithm, type DpopMode, type DpopOptions } from './dpop-options.js';

/** The three DPoP modes, for validation. */
export const DPOP_MODES: readonly DpopMode[] = ['allowed', 'required', 'disabled'];

/** `dpop` validated, with every default applied. Times in seconds except `nonceRotationMs`. */
export interface DpopConfig {
  readonly algorithms: ReadonlySet<DpopAlgorithm>;
  /** `algs` of the `WWW-Authenticate: DPoP` challenge (RFC 9449 §7.1). */
  readonly algs: string;
  readonly mode: DpopMode;
  readonly maxAge: number;
  readonly clockTolerance: number;
  readonly nonceRotationMs: number | undefined;
  /** Configured public origins (`URL.origin` form), or undefined: the request's own origin. */
  readonly origins: readonly string[] | undefined;
}

function seconds(value: unknown, path: string, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    throw new BastionConfigError(path, `must be a number of seconds from ${min} to ${max}`);
  }
  return value;
}

function algorithmsOf(value: unknown): DpopAlgorithm[] {
  if (value === undefined) return [...DEFAULT_DPOP_ALGORITHMS];
  if (!Array.isArray(value) || value.length === 0) throw new BastionConfigError('dpop.algorithms', 'must be a non-empty array of algorithm names');
  value.forEach((alg, i) => {
    if (!DPOP_ALGORITHMS.includes(alg)) {
      throw new BastionConfigError(`dpop.algorithms[${i}]`, `must be one of ${DPOP_ALGORITHMS.join(', ')} (RFC 9449 §11.6: asymmetric only, never "none" or a MAC)`);
    }
  });
  return [...new Set(value as DpopAlgorithm[])];
}

function originsOf(value: unknown): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) throw new BastionConfigError('dpop.origins', 'must be a non-empty array of origins');
  return value.map((entry, i) => {
    const path = `dpop.origins[${i}]`;
    let url: URL;
    try {
      url = new URL(String(entry));
    } catch {
      throw new BastionConfigError(path, 'must be an absolute origin such as "https://api.example.com"');
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || url.pathname !== '/' || url.search || url.hash) {
      throw new BastionConfigError(path, 'must be an http(s) origin without path, query or credentials, such as "https://api.example.com"');
    }
    return url.origin;
  });
}

/** Validates `dpop`; returns the resolved settings, or undefined when DPoP is not configured. */
export function resolveDpopOptions(input: unknown): DpopConfig | undefined {
  assertOptionalObject(input, 'dpop');
  if (input === undefined) return undefined;
  const options = input as DpopOptions;
  const algorithms = algorithmsOf(options.algorithms);
  if (options.mode !== undefined) assertOneOf(options.mode, DPOP_MODES, 'dpop.mode');
  let nonceRotationMs: number | undefined;
  if (options.nonce === true) nonceRotationMs = 300_000;
  else if (isPlainObject(options.nonce)) nonceRotationMs = seconds(options.nonce.rotation, 'dpop.nonce.rotation', 300, 10, 86_400) * 1000;
  else if (options.nonce !== undefined && options.nonce !== false) throw new BastionConfigError('dpop.nonce', 'must be a boolean or { rotation }');
  return {
    algorithms: new Set(algorithms),
    algs: algorithms.join(' '),
    mode: options.mode ?? 'allowed',
    maxAge: seconds(options.maxAge, 'dpop.maxAge', 60, 1, 600),
    clockTolerance: seconds(options.clockTolerance, 'dpop.clockTolerance', 5, 0, 60),
    nonceRotationMs,
    origins: originsOf(options.origins),
  };
}

/**
 * Validates `dpop` and what refers to it, and resolves it once at boot (`BastionConfig.dpop`): DPoP access
 * tokens are verified by the trust list, so `dpop` needs `jwt` or `issuers`; a boundary's `dpop` mode
 * needs `dpop` and must agree with its `accept` list. `undefined` when DPoP is not configured.
 */
export function resolveDpopConfig(options: { dpop?: unknown; boundaries?: unknown }, issuers: readonly unknown[]): DpopConfig | undefined {
  const config = resolveDpopOptions(options.dpop);
  if (config && issuers.length === 0) throw new BastionConfigError('dpop', 'needs a trust list ("jwt" or "issuers"): it verifies the DPoP-bound access tokens');
  const boundaries = isPlainObject(options.boundaries) ? options.boundaries : {};
  for (const [name, boundary] of Object.entries(boundaries)) {
    if (!isPlainObject(boundary) || boundary.dpop === undefined) continue;
    const mode = boundary.dpop;
    const path = `boundaries.${name}.dpop`;
    assertOneOf(mode, DPOP_MODES, path);
    if (!config) throw new BastionConfigError(path, 'needs the "dpop" option');
    const accept = Array.isArray(boundary.accept) ? (boundary.accept as unknown[]) : [];
    if (mode !== 'disabled' && !accept.includes('dpop')) throw new BastionConfigError(path, `is "${mode}" but the boundary's "accept" does not list "dpop"`);
    if (mode === 'disabled' && accept.includes('dpop')) throw new BastionConfigError(path, 'is "disabled" but the boundary\'s "accept" lists "dpop"');
  }
  return config;
}
