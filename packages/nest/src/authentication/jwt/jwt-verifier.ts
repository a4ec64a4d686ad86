import { createHash } from 'node:crypto';
import { compactVerify } from 'jose';
import { checkClaims, checkTimes } from './claims.js';
import { identityFromClaims, type MappedIdentity } from './claims-principal.js';
import { MAX_TOKEN_LENGTH, parseCompactJws } from './compact-jws.js';
import type { IssuerConfig } from './jwt-config.js';
import { JwtRejection, reject } from './jwt-errors.js';
import { RemoteKeySet } from './remote-key-set.js';
import { StaticKeySet, type KeySource } from './static-key-set.js';
import { LruCache } from './token-cache.js';
import type { VerificationKey } from './verification-key.js';

/** Runtime dependencies of a {@link JwtVerifier}; all optional (tests inject a clock or a fetch). */
export interface JwtVerifierDeps {
  fetch?: typeof fetch;
  /** Clock in milliseconds. Default `Date.now` (so `vi.setSystemTime` moves it). */
  now?: () => number;
  warn?: (message: string) => void;
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

/**
 * Verifies bearer JWTs for a set of trusted issuers, framework-free: strict parsing, issuer chosen by
 * `iss`, algorithm pinned per issuer, key resolved by Bastion (imported once per `kid`), signature
 * checked by `jose`, then every claim. Verified tokens are remembered (by hash) until they expire, so a
 * reused token costs a hash and a map lookup; its times are re-checked on every use.
 */
export class JwtVerifier {
  private readonly issuers = new Map<string, TrustedIssuer>();
  private readonly cache: LruCache<CachedToken>;
  private readonly now: () => number;

  constructor(configs: readonly IssuerConfig[], deps: JwtVerifierDeps = {}) {
    this.now = deps.now ?? (() => Date.now()); // read Date.now on each call, so fake timers move it
    for (const config of configs) {
      const source = config.source;
      const keys: KeySource =
        source.kind === 'keys'
          ? new StaticKeySet(source.keys)
          : new RemoteKeySet({
              ...config.jwks,
              jwksUri: source.kind === 'jwks' ? source.uri : undefined,
              discovery: source.kind === 'discovery' ? { url: source.url, issuer: config.issuer } : undefined,
              allowInsecureHttp: config.allowInsecureHttp,
              fetch: deps.fetch,
              now: this.now,
              warn: deps.warn,
            });
      this.issuers.set(config.issuer, { config, keys });
    }
    const capacity = configs.reduce((sum, c) => sum + c.tokenCacheSize, 0);
    this.cache = new LruCache(capacity, this.now);
  }

  /** The key source of an issuer (for tests and metrics). */
  keySource(issuer: string): KeySource | undefined {
    return this.issuers.get(issuer)?.keys;
  }

  /** Verifies `token`; resolves to the mapped identity or throws `JwtRejection` with a precise reason. */
  async verify(token: string): Promise<MappedIdentity> {
    if (token.length > MAX_TOKEN_LENGTH) reject('ERR_TOKEN_TOO_LARGE');
    const cacheKey = createHash('sha256').update(token).digest('base64url');
    const hit = this.cache.get(cacheKey);
    if (hit && hit.issuer.keys.isCurrent(hit.key)) {
      try {
        checkTimes(hit.identity.claims, hit.issuer.config, this.now() / 1000);
      } catch (error) {
        this.cache.delete(cacheKey);
        throw error;
      }
      return hit.identity;
    }
    const parsed = parseCompactJws(token);
    const iss = parsed.claims.iss;
    if (iss === undefined) reject('ERR_ISSUER_MISSING');
    if (typeof iss !== 'string') reject('ERR_CLAIM_INVALID', 'iss is not a string');
    const issuer = this.issuers.get(iss);
    if (!issuer) reject('ERR_ISSUER_UNKNOWN');
    // The algorithm is pinned before any key is looked up: a token never chooses how it is verified.
    if (!issuer.config.algorithms.has(parsed.alg as never)) reject('ERR_ALGORITHM_REJECTED', `alg ${parsed.alg.slice(0, 16)} not allowed`);
    const key = await issuer.keys.getKey(parsed.kid, parsed.alg);
    try {
      await compactVerify(token, key.key, { algorithms: [parsed.alg] });
    } catch (error) {
      reject('ERR_SIGNATURE_INVALID', undefined, error);
    }
    const claims = parsed.claims as Record<string, unknown>;
    checkClaims(claims, parsed.typ, issuer.config, this.now() / 1000);
    const identity = identityFromClaims(claims, issuer.config);
    if (issuer.config.tokenCacheSize > 0) {
      this.cache.set(cacheKey, { identity, issuer, key }, (identity.expiresAt + issuer.config.clockTolerance) * 1000);
    }
    return identity;
  }
}

export { JwtRejection };
