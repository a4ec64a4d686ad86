/**
 * Tokens for the benchmark, all from one `TestIssuer`: one reused token per algorithm, and pools of
 * distinct pre-minted tokens handed out in slices so no token is sent twice to one app process.
 */
import type { TestIssuer } from '@bastion/nest/testing';

export type Alg = 'RS256' | 'ES256';
export const ALGS: readonly Alg[] = ['RS256', 'ES256'];

/** Lifetime of minted tokens, s: the whole run fits in it, and it is Bastion's default `tokens.maxLifetime`. */
const LIFETIME = 3_600;
const CLAIMS = { sub: 'bench-user', scope: 'items:read items:write' };

/** A consecutive run of distinct tokens; `next()` past the end wraps and counts the repeats. */
export class TokenSlice {
  private index = 0;
  /** Tokens handed out a second time (must stay 0: the run is then not a fresh-token run). */
  repeats = 0;

  constructor(private readonly tokens: readonly string[]) {
    if (tokens.length === 0) throw new Error('empty token slice');
  }

  next(): string {
    if (this.index >= this.tokens.length) this.repeats++;
    return this.tokens[this.index++ % this.tokens.length]!;
  }
}

/**
 * Distinct tokens of one algorithm, minted as needed and handed out in slices that never overlap. Each
 * token has its own `jti` (so its own signature: every one is a verified-token cache miss) and the same
 * subject, or with `subjects` its own subject (distinct principals, so distinct throttle keys).
 */
export class TokenPool {
  private readonly tokens: string[] = [];
  private offset = 0;

  constructor(
    private readonly issuer: TestIssuer,
    readonly alg: Alg,
    private readonly options: { subjects?: boolean } = {},
  ) {}

  /** Mints tokens until `count` more are available. */
  async ensure(count: number, log?: (message: string) => void): Promise<void> {
    const target = this.offset + count;
    if (this.tokens.length < target) log?.(`minting ${target - this.tokens.length} ${this.alg} tokens…`);
    while (this.tokens.length < target) {
      const i = this.tokens.length;
      const claims = this.options.subjects ? { ...CLAIMS, sub: `bench-user-${i}` } : CLAIMS;
      this.tokens.push(await this.issuer.sign(claims, { expiresIn: LIFETIME, algorithm: this.alg }));
    }
  }

  /**
   * The next `count` tokens (minted first if needed), never handed out by an earlier `take`. Apps are
   * separate processes, so one slice may serve each app once (a `new TokenSlice(tokens)` per app).
   */
  async take(count: number, log?: (message: string) => void): Promise<readonly string[]> {
    await this.ensure(count, log);
    const slice = this.tokens.slice(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  /** Starts handing out from the first token again (for another app process, whose cache never saw them). */
  rewind(): void {
    this.offset = 0;
  }
}

/** One long-lived token per algorithm (the verified-token cache case). */
export async function reusedTokens(issuer: TestIssuer): Promise<Record<Alg, string>> {
  return {
    RS256: await issuer.sign(CLAIMS, { expiresIn: LIFETIME, algorithm: 'RS256' }),
    ES256: await issuer.sign(CLAIMS, { expiresIn: LIFETIME, algorithm: 'ES256' }),
  };
}
