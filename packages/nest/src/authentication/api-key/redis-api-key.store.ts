import type { Redis } from 'ioredis';
import { recordFromJson, recordToJson, type ApiKeyRecord } from './api-key-record.js';
import type { ApiKeyStore } from './api-key-store.js';

// Sets revokedAt on the stored JSON (unless already set), keeping the key's expiry.
const REVOKE = `
local value = redis.call('GET', KEYS[1])
if not value then return 0 end
local record = cjson.decode(value)
if not record.revokedAt then record.revokedAt = ARGV[1] end
redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
return 1
`;

/**
 * API key records in Redis, shared by every instance: one JSON string per key (expiring with the key)
 * and one set of key ids per owner. Records are written only by the application, never by a request.
 */
export class RedisApiKeyStore implements ApiKeyStore {
  constructor(
    private readonly client: Redis,
    private readonly prefix = 'bastion:',
  ) {}

  private recordKey(id: string): string {
    return `${this.prefix}apikey:${id}`;
  }

  private ownerKey(owner: string): string {
    return `${this.prefix}apikey-owner:${encodeURIComponent(owner)}`;
  }

  async find(id: string): Promise<ApiKeyRecord | undefined> {
    const value = await this.client.get(this.recordKey(id));
    return value === null ? undefined : recordFromJson(value);
  }

  async save(record: ApiKeyRecord): Promise<void> {
    const ttl = Math.max(1, record.expiresAt.getTime() - Date.now());
    const owner = this.ownerKey(record.owner);
    const longest = Math.max(ttl, await this.client.pttl(owner));
    await this.client.multi().set(this.recordKey(record.id), recordToJson(record), 'PX', ttl).sadd(owner, record.id).pexpire(owner, longest).exec();
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    return (await this.client.eval(REVOKE, 1, this.recordKey(id), at.toISOString())) === 1;
  }

  async listByOwner(owner: string): Promise<ApiKeyRecord[]> {
    const key = this.ownerKey(owner);
    const ids = await this.client.smembers(key);
    if (ids.length === 0) return [];
    const values = await this.client.mget(ids.map((id) => this.recordKey(id)));
    const gone = ids.filter((_, i) => values[i] === null);
    if (gone.length > 0) await this.client.srem(key, ...gone);
    return values.filter((v): v is string => v !== null).map(recordFromJson);
  }
}
