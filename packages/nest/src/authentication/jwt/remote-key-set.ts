import { FetchHistory } from '../../oauth-client/fetch-history.js';
import { FetchFailure, fetchJson } from '../../oauth-client/http.js';
import type { DiscoveryDocument } from './discovery-document.js';
import { reject } from './jwt-errors.js';
import type { KeySetStatus } from './static-key-set.js';
import { importJwk, keyFitsAlgorithm, type VerificationKey } from './verification-key.js';

/** Settings of a {@link RemoteKeySet}; times in milliseconds. */
export interface RemoteKeySetOptions {
  /** JWKS URL, or `discovery` to find it. */
  jwksUri?: string;
  /** The issuer's metadata, read for `jwks_uri` on every refresh (so a moved key set is followed). */
  discovery?: DiscoveryDocument;
  maxAge: number;
  cooldown: number;
  timeout: number;
  maxStale: number;
  fetch?: typeof fetch;
  now?: () => number;
  /** Operator log for fetch failures and ignored keys (never token data). */
  warn?: (message: string) => void;
}

/** Keys read from one JWKS; the rest are ignored. */
const MAX_KEYS = 100;

/**
 * Keys of one issuer fetched from its JWKS (RFC 7517), behind a cache built for hostile traffic:
 * - fresh for `maxAge`; then served stale while one background refresh runs, and for at most
 *   `maxStale` more while the endpoint is down;
 * - ONE fetch in flight at a time, shared by every concurrent caller;
 * - at most one fetch per `cooldown` for unknown `kid`s and failures, so a flood of random `kid`s
 *   costs one fetch per cooldown, and a key the issuer has just published is found within one cooldown;
 * - each key imported once per `kid` and key material, and reused across refreshes.
 */
export class RemoteKeySet {
  private keys: VerificationKey[] = [];
  private current = new Set<VerificationKey>();
  private rejectedKids = new Map<string, string>();
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private attemptedAt = Number.NEGATIVE_INFINITY;
  private inFlight: Promise<void> | undefined;
  private jwksUri: string | undefined;
  private readonly now: () => number;
  private readonly history = new FetchHistory();
  /** Number of JWKS fetches started (for tests and metrics). */
  fetchCount = 0;

  constructor(private readonly options: RemoteKeySetOptions) {
    this.jwksUri = options.jwksUri;
    this.now = options.now ?? (() => Date.now());
  }

  /**
   * True while `key` is still published and the key set may still be used: a token verified earlier
   * (and remembered) is re-checked here on every use. The set ages on cache hits too: past `maxAge` a
   * background refresh starts (after which a removed key is no longer current), and past
   * `maxAge + maxStale` without a successful fetch no key is current.
   */
  isCurrent(key: VerificationKey): boolean {
    if (!this.current.has(key)) return false;
    const age = this.now() - this.fetchedAt;
    if (age < this.options.maxAge) return true;
    void this.refresh();
    return age < this.options.maxAge + this.options.maxStale;
  }

  /** Resolves the key for a token's `kid` and `alg`; throws `JwtRejection` (`ERR_KEY_*`, `ERR_JWKS_UNAVAILABLE`). */
  async getKey(kid: string | undefined, alg: string): Promise<VerificationKey> {
    const age = this.now() - this.fetchedAt;
    const { maxAge, maxStale } = this.options;
    if (age >= maxAge + maxStale) {
      await this.refresh();
      if (this.now() - this.fetchedAt >= maxAge + maxStale) reject('ERR_JWKS_UNAVAILABLE', this.fetchedAt < 0 ? 'never fetched' : 'cached keys too old');
    } else if (age >= maxAge) {
      // Stale-while-revalidate: the caller is not kept waiting on the issuer.
      void this.refresh();
    }
    let found = this.find(kid, alg);
    if (found === undefined) {
      await this.refresh();
      found = this.find(kid, alg);
    }
    if (found === undefined) {
      const why = kid !== undefined ? this.rejectedKids.get(kid) : undefined;
      reject(why ? 'ERR_KEY_REJECTED' : 'ERR_KEY_UNKNOWN', why ?? (kid === undefined ? 'no kid and no single matching key' : 'kid not in JWKS'));
    }
    if (found === 'mismatch') reject('ERR_KEY_REJECTED', `key type does not fit ${alg}`);
    return found;
  }

  private find(kid: string | undefined, alg: string): VerificationKey | 'mismatch' | undefined {
    if (kid !== undefined) {
      const withKid = this.keys.filter((k) => k.kid === kid);
      if (withKid.length === 0) return undefined;
      return withKid.find((k) => keyFitsAlgorithm(k, alg)) ?? 'mismatch';
    }
    // No kid: only unambiguous when exactly one published key fits the algorithm.
    const fitting = this.keys.filter((k) => keyFitsAlgorithm(k, alg));
    return fitting.length === 1 ? fitting[0] : undefined;
  }

  /**
   * Fetches the JWKS unless a fetch is in flight (then joins it) or the last attempt is younger than
   * the cooldown (then returns at once). Never throws.
   */
  refresh(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const now = this.now();
    if (now - this.attemptedAt < this.options.cooldown) return Promise.resolve();
    this.attemptedAt = now;
    this.inFlight = this.load()
      .then(() => this.history.succeeded(this.fetchedAt))
      .catch((error: unknown) => {
        this.history.failed(this.now(), error);
        this.options.warn?.(`JWKS fetch failed (${this.jwksUri ?? 'discovery'}): ${(error as Error)?.message ?? 'error'}`);
      })
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }

  /**
   * Starts a refresh when the keys are older than `maxAge` (or were never fetched), as a request would,
   * within the same cooldown and single flight: a readiness probe keeps an idle key set warm.
   */
  refreshIfStale(): Promise<void> {
    return this.now() - this.fetchedAt >= this.options.maxAge ? this.refresh() : Promise.resolve();
  }

  /** Fetch history, key count and freshness limits (for health checks and metrics). */
  status(): KeySetStatus {
    const { maxAge, maxStale } = this.options;
    return { source: 'remote', keys: this.keys.length, fetch: this.history.status(), discovery: this.options.discovery?.status(), maxAge, maxStale };
  }

  private async load(): Promise<void> {
    if (this.options.discovery) this.jwksUri = await this.options.discovery.endpoint('jwks_uri');
    if (this.jwksUri === undefined) throw new FetchFailure('no JWKS URI');
    this.fetchCount++;
    const jwks = await fetchJson(this.jwksUri, { timeout: this.options.timeout, fetch: this.options.fetch, accept: 'application/jwk-set+json, application/json' });
    if (!Array.isArray(jwks.keys)) throw new FetchFailure('JWKS has no "keys" array');
    const previous = new Map(this.keys.map((k) => [identity(k), k]));
    const keys: VerificationKey[] = [];
    const rejected = new Map<string, string>();
    for (const jwk of jwks.keys.slice(0, MAX_KEYS)) {
      const result = importJwk(jwk);
      if (!result.ok) {
        if (result.kid !== undefined) rejected.set(result.kid, result.why);
        this.options.warn?.(`JWKS key ${result.kid ?? '(no kid)'} ignored: ${result.why}`);
        continue;
      }
      // Reuse the imported key when its kid and material are unchanged: one import per kid.
      keys.push(previous.get(identity(result.key)) ?? result.key);
    }
    this.keys = keys;
    this.current = new Set(keys);
    this.rejectedKids = rejected;
    this.fetchedAt = this.now();
  }
}

function identity(key: VerificationKey): string {
  return `${key.kid ?? ''}\n${key.alg ?? ''}\n${JSON.stringify(key.key.export({ format: 'jwk' }))}`;
}
