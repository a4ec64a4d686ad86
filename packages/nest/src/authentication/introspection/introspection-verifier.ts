import { checkTimes } from '../jwt/claims.js';
import type { MappedIdentity } from '../jwt/claims-principal.js';
import { MAX_TOKEN_LENGTH } from '../jwt/compact-jws.js';
import { DiscoveryDocuments } from '../jwt/discovery-document.js';
import type { IssuerConfig } from '../jwt/jwt-config.js';
import { JwtRejection, reject, type JwtRejectionReason } from '../jwt/jwt-errors.js';
import { tokenHash } from '../jwt/jwt-verifier.js';
import { LruCache } from '../jwt/token-cache.js';
import { observeVerification, type VerificationObserver, type VerificationPath } from '../jwt/verification-observer.js';
import { IntrospectionClient, type IntrospectionDeps } from './introspection-client.js';
import { identityFromIntrospection } from './introspection-response.js';

/** Dependencies of an {@link IntrospectionVerifier}; all optional. */
export interface IntrospectionVerifierDeps extends IntrospectionDeps {
  /** Discovery documents shared with JWT verification. */
  discovery?: DiscoveryDocuments;
}

interface ActiveEntry {
  readonly identity: MappedIdentity;
  readonly client: IntrospectionClient;
}

/**
 * Checks opaque access tokens with the issuers' introspection endpoints (RFC 7662), framework-free:
 * - an issuer is chosen by token prefix, else the issuers without a prefix are asked in order (the first
 *   that says active wins; a server that cannot be reached makes the answer "unavailable", never "active");
 * - ONE call in flight per token, shared by every concurrent request presenting it;
 * - active results remembered by token hash until the token's `exp`, capped at `cache.maxTtl`, and
 *   re-checked against the clock on every use; inactive and refused results remembered `cache.inactiveTtl`.
 */
export class IntrospectionVerifier {
  private readonly clients: IntrospectionClient[] = [];
  private readonly active: LruCache<ActiveEntry>;
  private readonly refused: LruCache<JwtRejectionReason>;
  private readonly inFlight = new Map<string, Promise<MappedIdentity>>();
  private readonly now: () => number;
  private observer: VerificationObserver | undefined;

  constructor(configs: readonly IssuerConfig[], deps: IntrospectionVerifierDeps = {}) {
    this.now = deps.now ?? (() => Date.now());
    const discovery = deps.discovery ?? new DiscoveryDocuments({ fetch: deps.fetch, now: this.now });
    for (const config of configs) {
      if (config.introspection) this.clients.push(new IntrospectionClient(config, discovery.for(config), { ...deps, now: this.now }));
    }
    const size = this.clients.reduce((sum, c) => sum + c.introspection.cache.size, 0);
    this.active = new LruCache(size, this.now);
    this.refused = new LruCache(size, this.now);
  }

  /** True when at least one issuer introspects tokens. */
  get enabled(): boolean {
    return this.clients.length > 0;
  }

  /** True when `issuer` introspects its tokens. */
  hasIssuer(issuer: string): boolean {
    return this.clients.some((c) => c.config.issuer === issuer);
  }

  /** Introspection calls made so far, per issuer (for tests and metrics). */
  callCount(issuer: string): number {
    return this.clients.find((c) => c.config.issuer === issuer)?.calls ?? 0;
  }

  /** The introspection client of every issuer that introspects (for health checks). */
  endpoints(): readonly IntrospectionClient[] {
    return this.clients;
  }

  /** Active results remembered (expired ones included until touched or dropped). */
  get cachedTokens(): number {
    return this.active.size;
  }

  /** Calls `observer` after each verification with its duration and whether a cache answered (metrics). */
  instrument(observer: VerificationObserver | undefined): void {
    this.observer = observer;
  }

  /** Verifies an opaque token; resolves to the mapped identity or throws `JwtRejection` with a precise reason. */
  verify(token: string): Promise<MappedIdentity> {
    const observer = this.observer;
    return observer ? observeVerification(observer, (path) => this.check(token, path)) : this.check(token);
  }

  /** `path`, when given, learns whether a cache answered (it is only passed while observed). */
  private async check(token: string, path?: VerificationPath): Promise<MappedIdentity> {
    if (token.length > MAX_TOKEN_LENGTH) reject('ERR_TOKEN_TOO_LARGE');
    const key = tokenHash(token);
    const hit = this.active.get(key);
    if (hit) {
      if (path) path.cache = 'hit';
      try {
        checkTimes(hit.identity.claims, hit.client.config, this.now() / 1000, false);
      } catch (error) {
        this.active.delete(key);
        throw error;
      }
      return hit.identity;
    }
    const refusal = this.refused.get(key);
    if (refusal) {
      if (path) path.cache = 'hit';
      reject(refusal, 'remembered');
    }
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.introspect(token, key).finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /** The issuers that may know `token`: the one whose prefix it carries, else those without a prefix. */
  private candidates(token: string): IntrospectionClient[] {
    const prefixed = this.clients.find((c) => c.introspection.prefixes.some((p) => token.startsWith(p)));
    return prefixed ? [prefixed] : this.clients.filter((c) => c.introspection.prefixes.length === 0);
  }

  private async introspect(token: string, key: string): Promise<MappedIdentity> {
    const candidates = this.candidates(token);
    if (candidates.length === 0) reject('ERR_ISSUER_UNKNOWN', 'no introspection issuer for this token');
    let unavailable: JwtRejection | undefined;
    for (const client of candidates) {
      let response: Record<string, unknown>;
      try {
        response = await client.introspect(token);
      } catch (error) {
        unavailable = error as JwtRejection;
        continue;
      }
      let result: MappedIdentity | 'inactive';
      try {
        result = identityFromIntrospection(response, client.config, this.now() / 1000);
      } catch (error) {
        // The issuer knows the token but it is not acceptable here (another audience, expired…): final.
        if (error instanceof JwtRejection) this.remember(key, error.reason, client);
        throw error;
      }
      if (result === 'inactive') continue;
      this.rememberActive(key, result, client);
      return result;
    }
    if (unavailable) throw unavailable;
    this.remember(key, 'ERR_TOKEN_INACTIVE', candidates[0]!);
    reject('ERR_TOKEN_INACTIVE');
  }

  private rememberActive(key: string, identity: MappedIdentity, client: IntrospectionClient): void {
    const { maxTtl, size } = client.introspection.cache;
    if (size === 0 || maxTtl === 0) return;
    const cap = this.now() + maxTtl;
    // RFC 7662 §4: a result is never reused past the token's own expiry.
    const until = identity.expiresAt === undefined ? cap : Math.min(cap, identity.expiresAt * 1000);
    this.active.set(key, { identity, client }, until);
  }

  private remember(key: string, reason: JwtRejectionReason, client: IntrospectionClient): void {
    const { inactiveTtl, size } = client.introspection.cache;
    if (size > 0 && inactiveTtl > 0) this.refused.set(key, reason, this.now() + inactiveTtl);
  }
}
