import type { FetchStatus } from '../../oauth-client/fetch-history.js';
import { reject } from './jwt-errors.js';
import { keyFitsAlgorithm, type VerificationKey } from './verification-key.js';

/** What health checks and metrics read about an issuer's keys. Times in milliseconds. */
export interface KeySetStatus {
  /** `static`: keys from the options (never fetched); `remote`: a JWKS, found directly or through discovery. */
  readonly source: 'static' | 'remote';
  /** Keys usable now. */
  readonly keys: number;
  /** JWKS fetches (remote key sets). */
  readonly fetch?: FetchStatus;
  /** Fetches of the issuer's discovery document, when the JWKS is found through it. */
  readonly discovery?: FetchStatus;
  /** Keys are fresh for `maxAge`, then served stale for at most `maxStale` more while refreshes fail. */
  readonly maxAge?: number;
  readonly maxStale?: number;
}

/** Where an issuer's verification keys come from. */
export interface KeySource {
  /** Resolves the key for a token's `kid` and `alg`; throws `JwtRejection` when there is none. */
  getKey(kid: string | undefined, alg: string): Promise<VerificationKey>;
  /** True while `key` is still one of the issuer's keys. */
  isCurrent(key: VerificationKey): boolean;
  /** Freshness and fetch history (for health checks and metrics). */
  status(): KeySetStatus;
  /** Refreshes keys that are due for it (remote key sets); resolves when done, never rejects. */
  refreshIfStale?(): Promise<void>;
}

/** Keys configured in the options (PEM, JWK, JWKS or an HMAC secret), imported once at boot. */
export class StaticKeySet implements KeySource {
  private readonly current: ReadonlySet<VerificationKey>;

  constructor(private readonly keys: readonly VerificationKey[]) {
    this.current = new Set(keys);
  }

  async getKey(kid: string | undefined, alg: string): Promise<VerificationKey> {
    const candidates = kid === undefined ? this.keys : this.keys.filter((k) => k.kid === kid || k.kid === undefined);
    const fitting = candidates.filter((k) => keyFitsAlgorithm(k, alg));
    if (fitting.length === 0) reject(candidates.length > 0 ? 'ERR_KEY_REJECTED' : 'ERR_KEY_UNKNOWN', candidates.length > 0 ? `key type does not fit ${alg}` : 'kid not configured');
    // With a kid, prefer the key that names it; without one, the choice must be unambiguous.
    const named = fitting.find((k) => k.kid !== undefined && k.kid === kid);
    if (named) return named;
    if (fitting.length > 1) reject('ERR_KEY_UNKNOWN', 'several keys fit and the token names none');
    return fitting[0]!;
  }

  isCurrent(key: VerificationKey): boolean {
    return this.current.has(key);
  }

  status(): KeySetStatus {
    return { source: 'static', keys: this.keys.length };
  }
}
