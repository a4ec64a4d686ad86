import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/authentication/api-key/api-key-format.js';
import type { ApiKeyRecord } from '../../../src/authentication/api-key/api-key-record.js';
import type { ApiKeyStore } from '../../../src/authentication/api-key/api-key-store.js';
import { ApiKeyVerifier } from '../../../src/authentication/api-key/api-key-verifier.js';
import { ApiKeys } from '../../../src/authentication/api-key/api-keys.service.js';
import { MemoryApiKeyStore } from '../../../src/authentication/api-key/memory-api-key.store.js';
import { RedisApiKeyStore } from '../../../src/authentication/api-key/redis-api-key.store.js';
import type { SecurityEvent } from '../../../src/audit/security-event.js';
import { startTestRedis } from '../../support/redis.js';
import { recordSecret } from '../../support/secrets.js';

const redis = await startTestRedis();
let client: Redis | undefined;
beforeAll(() => {
  if (redis) client = new Redis(redis.url, { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  client?.disconnect();
  await redis?.stop();
});

const stores: [string, () => ApiKeyStore][] = [['memory', () => new MemoryApiKeyStore()]];
if (redis) stores.push(['redis', () => new RedisApiKeyStore(client!, `t:${randomUUID()}:`)]);

function record(overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord {
  const { id, hash } = generateApiKey();
  return { id, hash, owner: 'o1', scopes: ['a'], createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000), ...overrides };
}

describe.each(stores)('ApiKeyStore contract (%s)', (_name, make) => {
  it('saves, finds, lists by owner and revokes (keeping the first revocation time)', async () => {
    const store = make();
    const a = record({ allowedAddresses: ['10.0.0.0/8'], signingKey: { alg: 'hmac-sha256', key: 'c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3JldA' } });
    const b = record();
    const other = record({ owner: 'o2' });
    for (const r of [a, b, other]) await store.save(r);
    expect(await store.find(a.id)).toEqual(a);
    expect(await store.find('0000000000000000')).toBeUndefined();
    expect((await store.listByOwner('o1')).map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const first = new Date(Date.now() - 1_000);
    expect(await store.revoke(a.id, first)).toBe(true);
    expect(await store.revoke(a.id, new Date())).toBe(true);
    expect((await store.find(a.id))!.revokedAt).toEqual(first);
    expect(await store.revoke('0000000000000000', new Date())).toBe(false);
    // Returned records are copies: changing one changes nothing stored.
    const copy = (await store.find(b.id))!;
    copy.scopes.push('admin');
    expect((await store.find(b.id))!.scopes).toEqual(['a']);
  });

  it('backs the ApiKeys service and the verifier end to end', async () => {
    const store = make();
    const events: Omit<SecurityEvent, 'time'>[] = [];
    const keys = new ApiKeys(store, { defaultLifetime: 3_600, maxLifetime: 86_400 }, (e) => events.push(e));
    const issued = await keys.issue({ owner: 'svc', scopes: ['x'], name: 'test key' });
    recordSecret(issued.key);
    expect(issued.record.hash).not.toContain(issued.key.slice(21));
    const verifier = new ApiKeyVerifier(store);
    expect((await verifier.verify(issued.key, '127.0.0.1')).owner).toBe('svc');
    await keys.revoke(issued.id);
    await expect(verifier.verify(issued.key, '127.0.0.1')).rejects.toMatchObject({ reason: 'ERR_API_KEY_REVOKED', keyId: issued.id });
    expect(events.map((e) => e.type)).toEqual(['api-key.issued', 'api-key.revoked']);
    expect(JSON.stringify(events)).not.toContain(issued.key);
    await expect(keys.issue({ owner: 'svc', expiresIn: 86_401 })).rejects.toThrow(RangeError);
    await expect(keys.issue({ owner: 'svc', expiresIn: -1 })).rejects.toThrow(RangeError);
    await expect(keys.issue({ owner: 'svc', allowedAddresses: ['not-an-ip'] })).rejects.toThrow();
    await expect(keys.issue({ owner: 'svc', signingKey: { alg: 'ed25519', key: 'nope' } })).rejects.toThrow();
    await expect(keys.issue({ owner: '' })).rejects.toThrow(TypeError);
  });
});

describe('ApiKeyVerifier', () => {
  it('fails closed on a store error and on a record without a readable expiry', async () => {
    const { key } = generateApiKey();
    recordSecret(key);
    const down: ApiKeyStore = { find: async () => Promise.reject(new Error('down')), save: async () => undefined, revoke: async () => false, listByOwner: async () => [] };
    await expect(new ApiKeyVerifier(down).verify(key, '127.0.0.1')).rejects.toMatchObject({ reason: 'ERR_API_KEY_STORE_UNAVAILABLE' });
    const store = new MemoryApiKeyStore();
    const issued = generateApiKey();
    recordSecret(issued.key);
    await store.save({ ...record(), id: issued.id, hash: issued.hash, expiresAt: new Date(Number.NaN) });
    await expect(new ApiKeyVerifier(store).verify(issued.key, '127.0.0.1')).rejects.toMatchObject({ reason: 'ERR_API_KEY_EXPIRED' });
  });
});
