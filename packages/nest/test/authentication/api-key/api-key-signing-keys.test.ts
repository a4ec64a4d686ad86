import { createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateApiKey } from '../../../src/authentication/api-key/api-key-format.js';
import type { ApiKeyRecord } from '../../../src/authentication/api-key/api-key-record.js';
import { ApiKeySigningKeys } from '../../../src/authentication/api-key/api-key-signing-keys.js';
import { ApiKeys } from '../../../src/authentication/api-key/api-keys.service.js';
import { MemoryApiKeyStore } from '../../../src/authentication/api-key/memory-api-key.store.js';
import { recordSecret } from '../../support/secrets.js';

function hmacSecret(): string {
  const secret = randomBytes(32).toString('base64url');
  recordSecret(secret);
  return secret;
}

function record(secret = hmacSecret()): ApiKeyRecord {
  const { id, hash } = generateApiKey();
  return { id, hash, owner: 'svc', scopes: ['x'], createdAt: new Date(), expiresAt: new Date(Date.now() + 60_000), signingKey: { alg: 'hmac-sha256', key: secret } };
}

/** The HMAC the imported key computes: proves which secret a cached key object holds. */
function macWith(keys: ApiKeySigningKeys, r: ApiKeyRecord): string {
  return createHmac('sha256', keys.of(r)!.key).update('base').digest('base64url');
}

describe('ApiKeySigningKeys (imported signing keys of API keys)', () => {
  it('imports a key once and hands out the same key object while the stored material is unchanged', async () => {
    const store = new MemoryApiKeyStore();
    const r = record();
    await store.save(r);
    const keys = new ApiKeySigningKeys(store);
    const first = (await keys.find(r.id))!.key;
    expect((await keys.find(r.id))!.key).toBe(first);
    expect(keys.of(r)!.key).toBe(first);
    expect(keys.size).toBe(1);
  });

  it('imports anew when the key material changes in place (rotation of the signing key)', () => {
    const keys = new ApiKeySigningKeys(new MemoryApiKeyStore());
    const r = record();
    const before = keys.of(r)!.key;
    const rotatedSecret = hmacSecret();
    const rotated: ApiKeyRecord = { ...r, signingKey: { alg: 'hmac-sha256', key: rotatedSecret } };
    const after = keys.of(rotated)!.key;
    expect(after).not.toBe(before);
    expect(macWith(keys, rotated)).toBe(createHmac('sha256', Buffer.from(rotatedSecret, 'base64url')).update('base').digest('base64url'));
    // A changed algorithm with other material is a new import too.
    const { publicKey } = generateKeyPairSync('ed25519');
    const asymmetric: ApiKeyRecord = { ...r, signingKey: { alg: 'ed25519', key: publicKey.export({ format: 'jwk' }) } };
    expect(keys.of(asymmetric)!.key.asymmetricKeyType).toBe('ed25519');
    expect(keys.size).toBe(1);
  });

  it('drops the imported key when the API key is revoked, and reports the revocation from the record', async () => {
    const store = new MemoryApiKeyStore();
    const keys = new ApiKeySigningKeys(store);
    const apiKeys = new ApiKeys(store, { defaultLifetime: 3_600, maxLifetime: 86_400 }, () => undefined, { onRevoked: (id) => keys.forget(id) });
    const issued = await apiKeys.issue({ owner: 'svc', signingKey: { alg: 'hmac-sha256', key: hmacSecret() } });
    recordSecret(issued.key);
    expect((await keys.find(issued.id))?.revoked).toBe(false);
    expect(keys.size).toBe(1);
    await apiKeys.revoke(issued.id);
    expect(keys.size).toBe(0);
    // The record is read on every lookup: a revocation made elsewhere (another instance) is seen at once.
    expect((await keys.find(issued.id))?.revoked).toBe(true);
  });

  it('holds at most maxEntries keys, the least recently used going first', () => {
    const keys = new ApiKeySigningKeys(new MemoryApiKeyStore(), 2);
    const [a, b, c] = [record(), record(), record()];
    const keyA = keys.of(a)!.key;
    const keyB = keys.of(b)!.key;
    expect(keys.of(a)!.key).toBe(keyA); // a is now the most recently used
    keys.of(c);
    expect(keys.size).toBe(2);
    expect(keys.of(a)!.key).toBe(keyA);
    expect(keys.of(b)!.key).not.toBe(keyB); // b was pushed out and is imported again
  });

  it('looks up nothing for a keyid that cannot be an API key id', async () => {
    const store = new MemoryApiKeyStore();
    let lookups = 0;
    const counting = Object.assign(Object.create(store) as MemoryApiKeyStore, { find: (id: string) => (lookups++, store.find(id)) });
    const keys = new ApiKeySigningKeys(counting);
    expect(await keys.find('../../etc/passwd')).toBeUndefined();
    expect(await keys.find('0123456789abcdef')).toBeUndefined();
    expect(lookups).toBe(1);
  });
});
