import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { BastionConfigError } from '../options/assert.js';
import { MemorySecurityStore } from './memory-security.store.js';
import { MemoryStore } from './memory.store.js';
import { connectRedis, type RedisClient } from './redis-client.js';
import { describeEvictionRisk, readEvictionPolicy, type EvictionCheck } from './redis-eviction-check.js';
import { RedisSecurityStore } from './redis-security.store.js';
import { RedisStore } from './redis.store.js';
import { BASTION_SECURITY_STATE, type SecurityStateFull, type SecurityStateStore } from './security-state.interface.js';
import type { StoreOptions } from './store-options.js';
import { BASTION_STORE, type BastionStore } from './store.interface.js';

/** Builds the configured counter store (memory by default). Never fails because Redis is down: it reconnects. */
export async function createStore(options: StoreOptions | undefined): Promise<BastionStore> {
  if (!options || options.type === 'memory') return new MemoryStore({ maxKeys: options?.maxKeys });
  if (options.type === 'custom') return options.store;
  const { client, owned } = await connectRedis(options, options.commandTimeoutMs);
  return new RedisStore(client, { keyPrefix: options.keyPrefix, ownsClient: owned });
}

export interface SecurityStateStoreDeps {
  /** Called when a write is refused because its kind is full (the operator alert). */
  onFull?: (info: SecurityStateFull) => void;
  /** The counter store already built: its Redis connection is shared when `store.security` is not set. */
  counters?: BastionStore;
}

/**
 * Builds the configured security-state store: bounded memory by default; on Redis, the main Redis (sharing
 * the counter store's connection) or `store.security`. On Redis it first checks that no server holding
 * security state can evict it (`store.evictionCheck`), and refuses to boot when one can.
 */
export async function createSecurityStateStore(options: StoreOptions | undefined, deps: SecurityStateStoreDeps = {}): Promise<SecurityStateStore> {
  if (!options || options.type === 'memory') return new MemorySecurityStore({ limits: options?.maxSecurityEntries, onFull: deps.onFull });
  if (options.type === 'custom') return options.securityStore;
  const option = options.security ? 'store.security' : 'store';
  const shared = !options.security && deps.counters instanceof RedisStore ? deps.counters.client : undefined;
  const { client, owned } = shared ? { client: shared, owned: false } : await connectRedis(options.security ?? options, options.commandTimeoutMs);
  const store = new RedisSecurityStore(client, { keyPrefix: options.keyPrefix, option, onFull: deps.onFull, ownsClient: owned });
  try {
    await guardEviction(client, options.evictionCheck ?? 'refuse', option);
  } catch (error) {
    // Boot stops here: release the connections, or the process would stay up on them.
    await store.close();
    await deps.counters?.close?.();
    throw error;
  }
  return store;
}

async function guardEviction(client: RedisClient, mode: EvictionCheck, option: string): Promise<void> {
  if (mode === 'off') return;
  const logger = new Logger('BastionRedisStore');
  // A server may come back with another configuration (a restart, a promoted replica): check on every connection.
  client.on('ready', () => {
    void readEvictionPolicy(client).then((verdict) => {
      if (verdict.kind === 'unsafe' || verdict.kind === 'unknown') logger.error(describeEvictionRisk(verdict, option));
    });
  });
  const verdict = await readEvictionPolicy(client);
  // Down at boot: the check runs when it connects (above); boot never waits on Redis.
  if (verdict.kind === 'safe' || verdict.kind === 'unreachable') return;
  const message = describeEvictionRisk(verdict, option);
  if (mode === 'refuse') throw new BastionConfigError('store.evictionCheck', message);
  logger.error(message);
}

/** Closes the stores' own connections when the app shuts down (a client passed in stays open). */
@Injectable()
export class StoreLifecycle implements OnApplicationShutdown {
  constructor(
    @Inject(BASTION_STORE) private readonly store: BastionStore,
    @Inject(BASTION_SECURITY_STATE) private readonly securityStore: SecurityStateStore,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.securityStore.close?.();
    await this.store.close?.();
  }
}
