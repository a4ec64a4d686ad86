import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { MemoryStore } from './memory.store.js';
import { RedisStore, createRedisStore } from './redis.store.js';
import type { StoreOptions } from './store-options.js';
import { BASTION_STORE, type BastionStore } from './store.interface.js';

/** Builds the configured store (memory by default). Never fails because Redis is down: it reconnects. */
export async function createStore(options: StoreOptions | undefined): Promise<BastionStore> {
  if (!options || options.type === 'memory') return new MemoryStore({ maxKeys: options?.maxKeys });
  if (options.type === 'custom') return options.store;
  if (options.client) return new RedisStore(options.client, { keyPrefix: options.keyPrefix });
  return createRedisStore(options.url!, { keyPrefix: options.keyPrefix, commandTimeoutMs: options.commandTimeoutMs });
}

/** Closes the store's own connections when the app shuts down (a client passed in stays open). */
@Injectable()
export class StoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(BASTION_STORE) private readonly store: BastionStore) {}

  async onApplicationShutdown(): Promise<void> {
    await this.store.close?.();
  }
}
