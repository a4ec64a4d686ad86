import { randomBytes } from 'node:crypto';
import { macEquals } from '../../keys/hmac-key-ring.js';
import type { SecurityStateStore } from '../../stores/security-state.interface.js';

const KEEP_SLOTS = 3;

/**
 * Server-provided DPoP nonces (RFC 9449 §9), rotating every `rotationMs`. The nonce of each period is
 * random (unpredictable, §8) and created in the security state by whichever instance needs it first, so
 * every instance on a shared store issues and accepts the same one; being security state, it is never
 * evicted by keys someone else can create (only a few exist at a time). A proof may carry the current or the
 * previous period's nonce. Each instance caches the few values it has read (they never change).
 */
export class DpopNonces {
  /** Values read per period; `null` when a past period had no nonce (it never will). */
  private readonly cache = new Map<number, string | null>();

  constructor(
    private readonly store: SecurityStateStore,
    private readonly rotationMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The nonce to hand out now. Rejects when the store cannot answer. */
  current(): Promise<string> {
    return this.forPeriod(this.period(), true) as Promise<string>;
  }

  /**
   * How `nonce` stands: the current period's (`'current'`), the previous period's (`'previous'`: still
   * accepted, but the client should move to the current one) or neither (`'rejected'`). Rejects when the
   * store cannot answer.
   */
  async check(nonce: string): Promise<'current' | 'previous' | 'rejected'> {
    const period = this.period();
    const [current, previous] = await Promise.all([this.forPeriod(period, true), this.forPeriod(period - 1, false)]);
    if (macEquals(nonce, current!)) return 'current';
    return previous !== undefined && macEquals(nonce, previous) ? 'previous' : 'rejected';
  }

  private period(): number {
    return Math.floor(this.now() / this.rotationMs);
  }

  private async forPeriod(period: number, create: boolean): Promise<string | undefined> {
    const cached = this.cache.get(period);
    if (cached !== undefined) return cached ?? undefined;
    const key = `dpop:nonce:${period}`;
    let value = await this.store.get('nonce', key);
    if (value === undefined && create) {
      const fresh = randomBytes(24).toString('base64url');
      // Another instance may win the race: then its value is the one everybody uses.
      value = (await this.store.putIfAbsent('nonce', key, fresh, KEEP_SLOTS * this.rotationMs)) ? fresh : ((await this.store.get('nonce', key)) ?? fresh);
    }
    this.cache.set(period, value ?? null);
    for (const old of this.cache.keys()) if (old < period - KEEP_SLOTS) this.cache.delete(old);
    return value;
  }
}
