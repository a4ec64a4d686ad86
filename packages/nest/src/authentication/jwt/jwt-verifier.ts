import { sha256 } from '../../core/sha256.js';
import { checkClaims, checkTimes } from './claims.js';
import { identityFromClaims, type MappedIdentity } from './claims-principal.js';
import { MAX_TOKEN_LENGTH, parseCompactJws } from './compact-jws.js';
import { DiscoveryDocuments } from './discovery-document.js';
import { verifyJwsSignature } from './jws-signature.js';
import type { IssuerConfig } from './jwt-config.js';
import { JwtRejection, reject } from './jwt-errors.js';
import { legacyAccepts } from './legacy-window.js';
import { RemoteKeySet } from './remote-key-set.js';
import { StaticKeySet, type KeySource } from './static-key-set.js';
import { LruCache } from './token-cache.js';
import type { VerificationKey } from './verification-key.js';
import { observeVerification, type VerificationObserver, type VerificationPath } from './verification-observer.js';

/** Runtime dependencies of a {@link JwtVerifier}; all optional (tests inject a clock or a fetch). */
export interface JwtVerifierDeps {
  fetch?: typeof fetch;
  /** Clock in milliseconds. Default `Date.now` (so `vi.setSystemTime` moves it). */
  now?: () => number;
  warn?: (message: string) => void;
  /** Discovery documents shared with introspection (one fetch per issuer for both). */
  discovery?: DiscoveryDocuments;
}

interface TrustedIssuer {
  readonly config: IssuerConfig;
  readonly keys: KeySource;
}

interface CachedToken {
  readonly identity: MappedIdentity;
  readonly issuer: TrustedIssuer;
  readonly key: VerificationKey;
}

/** SHA-256 of a token: the only form in which a token is kept (cache keys, single-flight keys). */
export function tokenHash(token: string): string {
  return sha256(token);
}

/**
 * Verifies bearer JWTs for a set of trusted issuers, framework-free: strict parsing (once), issuer
 * chosen by `iss`, algorithm pinned per issuer, key resolved by Bastion (imported once per `kid`),
 * signature checked with `node:crypto` over the parsed parts, then every claim. Verified tokens are
 * remembered (by hash) until they expire, so a reused token costs a hash and a map lookup; its times,
 * its key (still published, key set not too old) and any legacy window are re-checked on every use.
 */
export class JwtVerifier {
  private readonly issuers = new Map<string, TrustedIssuer>();
  private readonly legacyIssuer: TrustedIssuer | undefined;
  private readonly cache: LruCache<CachedToken>;
  private readonly now: () => number;
  private observer: VerificationObserver | undefined;

  constructor(configs: readonly IssuerConfig[], deps: JwtVerifierDeps = {}) {
    this.now = deps.now ?? (() => Date.now()); // read Date.now on each call, so fake timers move it
    const discovery = deps.discovery ?? new DiscoveryDocuments({ fetch: deps.fetch, now: this.now });
    for (const config of configs) {
      const source = config.source;
      if (source === undefined) continue; // introspection only
      const keys: KeySource =
        source.kind === 'keys'
          ? new StaticKeySet(source.keys)
          : new RemoteKeySet({
              ...config.jwks,
              jwksUri: source.kind === 'jwks' ? source.uri : undefined,
              discovery: source.kind === 'discovery' ? discovery.for(config) : undefined,
              fetch: deps.fetch,
              now: this.now,
              warn: deps.warn,
            });
      this.issuers.set(config.issuer, { config, keys });
    }
    this.legacyIssuer = [...this.issuers.values()].find((i) => i.config.legacy !== undefined);
    const capacity = configs.reduce((sum, c) => sum + (c.source ? c.tokenCacheSize : 0), 0);
    this.cache = new LruCache(capacity, this.now);
  }

  /** The key source of an issuer (for tests and health checks). */
  keySource(issuer: string): KeySource | undefined {
    return this.issuers.get(issuer)?.keys;
  }

  /** True when `issuer` is trusted for JWTs (it has a key source). */
  hasIssuer(issuer: string): boolean {
    return this.issuers.has(issuer);
  }

  /** Verifies `token`; resolves to the mapped identity or throws `JwtRejection` with a precise reason. */
  verify(token: string): Promise<MappedIdentity> {
    try {
      return Promise.resolve(this.verifyNow(token));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /**
   * `verify`, answered synchronously when the verified-token cache holds `token` (a reused token then
   * costs no promise); otherwise, or while an observer times verifications, a promise. A refusal is
   * thrown or rejected with `JwtRejection`. `checkShape`, when given, runs only when the cache does not
   * hold `token` (a cached token was parsed whole when it was verified); what it throws is thrown as is.
   */
  verifyNow(token: string, checkShape?: (token: string) => void): MappedIdentity | Promise<MappedIdentity> {
    const observer = this.observer;
    return observer ? observeVerification(observer, async (path) => this.check(token, path, checkShape)) : this.check(token, undefined, checkShape);
  }

  /** Calls `observer` after each verification with its duration and whether the cache answered (metrics). */
  instrument(observer: VerificationObserver | undefined): void {
    this.observer = observer;
  }

  /** Every issuer's key source (for health checks and metrics). */
  keySets(): ReadonlyMap<string, KeySource> {
    return new Map([...this.issuers].map(([issuer, trusted]) => [issuer, trusted.keys]));
  }

  /** Verified tokens remembered (expired ones included until touched or dropped). */
  get cachedTokens(): number {
    return this.cache.size;
  }

  /** `path`, when given, learns whether the cache answered (it is only passed while observed). */
  private check(token: string, path?: VerificationPath, checkShape?: (token: string) => void): MappedIdentity | Promise<MappedIdentity> {
    if (token.length > MAX_TOKEN_LENGTH) {
      checkShape?.(token);
      reject('ERR_TOKEN_TOO_LARGE');
    }
    const cacheKey = tokenHash(token);
    const now = this.now();
    const hit = this.cache.get(cacheKey, now);
    if (hit && hit.issuer.keys.isCurrent(hit.key)) {
      if (path) path.cache = 'hit';
      try {
        this.recheck(hit, now);
      } catch (error) {
        this.cache.delete(cacheKey);
        throw error;
      }
      return hit.identity;
    }
    checkShape?.(token);
    return this.verifyAfresh(token, cacheKey);
  }

  /** Everything a token not in the cache goes through; remembers it once verified. */
  private async verifyAfresh(token: string, cacheKey: string): Promise<MappedIdentity> {
    const parsed = parseCompactJws(token);
    const legacy: ('iss' | 'aud')[] = [];
    const issuer = this.issuerOf(parsed.claims.iss, legacy);
    // The algorithm is pinned before any key is looked up: a token never chooses how it is verified.
    if (!issuer.config.algorithms.has(parsed.alg as never)) reject('ERR_ALGORITHM_REJECTED', `alg ${parsed.alg.slice(0, 16)} not allowed`);
    const key = await issuer.keys.getKey(parsed.kid, parsed.alg);
    if (!verifyJwsSignature(parsed.alg, key, parsed.signingInput, parsed.signature)) reject('ERR_SIGNATURE_INVALID');
    const claims = parsed.claims as Record<string, unknown>;
    if (checkClaims(claims, parsed.typ, issuer.config, this.now() / 1000)) legacy.push('aud');
    const identity = identityFromClaims(claims, issuer.config, legacy);
    if (issuer.config.tokenCacheSize > 0) {
      this.cache.set(cacheKey, { identity, issuer, key }, ((identity.expiresAt ?? 0) + issuer.config.clockTolerance) * 1000);
    }
    return identity;
  }

  /** The issuer a token's `iss` selects; a token without `iss` selects the issuer with an open legacy window. */
  private issuerOf(iss: unknown, legacy: ('iss' | 'aud')[]): TrustedIssuer {
    if (iss === undefined) {
      if (!this.legacyIssuer || !legacyAccepts(this.legacyIssuer.config.legacy, 'iss', this.now())) reject('ERR_ISSUER_MISSING');
      legacy.push('iss');
      return this.legacyIssuer;
    }
    if (typeof iss !== 'string') reject('ERR_CLAIM_INVALID', 'iss is not a string');
    const issuer = this.issuers.get(iss);
    if (!issuer) reject('ERR_ISSUER_UNKNOWN');
    return issuer;
  }

  /** What can change for a remembered token: the clock, and the legacy window closing. */
  private recheck(hit: CachedToken, now: number): void {
    checkTimes(hit.identity.claims, hit.issuer.config, now / 1000);
    for (const claim of hit.identity.legacy ?? []) {
      if (!legacyAccepts(hit.issuer.config.legacy, claim, now)) reject(claim === 'iss' ? 'ERR_ISSUER_MISSING' : 'ERR_AUDIENCE_MISSING');
    }
  }
}

export { JwtRejection };
