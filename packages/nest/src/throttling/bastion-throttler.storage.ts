import { Inject, Injectable } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { BASTION_STORE, type BastionStore } from '../stores/store.interface.js';

/** What `ThrottlerStorage.increment` returns (seconds, as `@nestjs/throttler` expects). */
export interface ThrottlerStorageRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000));

/**
 * `@nestjs/throttler` storage over the {@link BastionStore} port, so throttling counts in memory or in
 * Redis like every other shared state (and throttler's own per-hit timers are never used). A fixed
 * window per key: one atomic increment per request, so N instances on one Redis allow exactly `limit`
 * hits per window between them. A `blockDuration` longer than the window adds a block key, checked first.
 * Store failures propagate (the guard applies the fail mode).
 */
@Injectable()
export class BastionThrottlerStorage implements ThrottlerStorage {
  constructor(@Inject(BASTION_STORE) private readonly store: BastionStore) {}

  async increment(key: string, ttl: number, limit: number, blockDuration: number, _throttlerName: string): Promise<ThrottlerStorageRecord> {
    const blockKey = `throttle:block:${key}`;
    const blocks = blockDuration > ttl;
    if (blocks) {
      const until = Number(await this.store.get(blockKey));
      const left = until - Date.now();
      if (left > 0) return { totalHits: limit + 1, timeToExpire: seconds(left), isBlocked: true, timeToBlockExpire: seconds(left) };
    }
    const { count, resetMs } = await this.store.increment(`throttle:${key}`, ttl);
    if (count <= limit) return { totalHits: count, timeToExpire: seconds(resetMs), isBlocked: false, timeToBlockExpire: 0 };
    let blockMs = resetMs;
    if (blocks) {
      const until = Date.now() + blockDuration;
      // NX: a block already running is not extended by the requests it refuses.
      if (!(await this.store.setIfAbsent(blockKey, String(until), blockDuration))) {
        blockMs = Math.max(resetMs, Number(await this.store.get(blockKey)) - Date.now() || 0);
      } else {
        blockMs = blockDuration;
      }
    }
    return { totalHits: count, timeToExpire: seconds(resetMs), isBlocked: true, timeToBlockExpire: seconds(blockMs) };
  }
}
