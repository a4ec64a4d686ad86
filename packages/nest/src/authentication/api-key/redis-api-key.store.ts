import type { RedisClient } from '../../stores/redis-client.js';
import { script, type LuaScript } from '../../stores/redis-scripts.js';
import { recordFromJson, recordToJson, type ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

/**
 * Sets revokedAt on the stored JSON (unless already set), keeping the key's expiry.
 * KEYS[1] record; ARGV[1] revocation time (ISO 8601). Returns 1, or 0 when there is no such key.
 */
export const REVOKE_API_KEY = script(`
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local record = cjson.decode(value)
if not record.revokedAt then record.revokedAt = ARGV[1] end
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1
`);

/**
 * Adds a key id to its owner's index, scored by its expiry, and keeps the index as long as its longest key.
 * KEYS[1] owner index (sorted set); ARGV[1] expiry ms since the epoch, ARGV[2] key id, ARGV[3] TTL ms.
 */
export const INDEX_API_KEY = script(`
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[2])
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[3]) then redis.call('PEXPIRE', KEYS[1], ARGV[3]) end
return 1
`);

/**
 * Drops the ids that have expired from an owner's index and returns the others.
 * KEYS[1] owner index; ARGV[1] now, ms since the epoch.
 */
export const LIST_API_KEYS = script(`
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
return redis.call('ZRANGE', KEYS[1], 0, -1)
`);

/**
 * API key records in Redis, shared by every instance: one JSON string per key (expiring with the key)
 * and one index of key ids per owner (a sorted set scored by expiry). Every command and script touches
 * one key, so it works unchanged on a Redis Cluster (no call spans hash slots). A key is indexed before
 * its record is written: a record never exists that its owner's listing cannot find. Records are written
 * only by the application, never by a request.
 */
export class RedisApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly client: RedisClient,
    private readonly prefix = 'bastion:',
  ) {}

  private recordKey(id: string): string {
    return `${this.prefix}apikey:${id}`;
  }

  private ownerKey(owner: string): string {
    return `${this.prefix}apikey-owner:${encodeURIComponent(owner)}`;
  }

  private async run(lua: LuaScript, key: string, args: (string | number)[]): Promise<unknown> {
    try {
      return await this.client.evalsha(lua.sha, 1, key, ...args);
    } catch (error) {
      if (!String((error as Error)?.message).startsWith('NOSCRIPT')) throw error;
      return this.client.eval(lua.source, 1, key, ...args);
    }
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const value = await this.client.get(this.recordKey(id));
    return value === null ? undefined : recordFromJson(value);
  }

  async save(record: ApiKeyRecord): Promise<void> {
    const ttl = Math.max(1, record.expiresAt.getTime() - Date.now());
    await this.run(INDEX_API_KEY, this.ownerKey(record.owner), [record.expiresAt.getTime(), record.id, ttl]);
    await this.client.set(this.recordKey(record.id), recordToJson(record), 'PX', ttl);
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    return Number(await this.run(REVOKE_API_KEY, this.recordKey(id), [at.toISOString()])) === 1;
  }

  async listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    const ids = (await this.run(LIST_API_KEYS, this.ownerKey(owner), [Date.now()])) as string[];
    // One GET per record: MGET would span hash slots on a cluster.
    const values = await Promise.all(ids.map((id) => this.client.get(this.recordKey(id))));
    return values.filter((v): v is string => v !== null).map(recordFromJson).filter((r) => r.owner === owner);
  }
}
