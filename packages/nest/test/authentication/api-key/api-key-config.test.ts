import { describe, expect, it } from 'vitest';
import { resolveApiKeyOptions } from '../../../src/authentication/api-key/api-key-config.js';
import { generateApiKey } from '../../../src/authentication/api-key/api-key-format.js';
import type { ApiKeyOptions } from '../../../src/authentication/api-key/api-key-options.js';
import { recordSecret } from '../../support/secrets.js';

const key = generateApiKey();
recordSecret(key.key);
const seed = { id: key.id, hash: key.hash, owner: 'o', scopes: ['s'], expiresAt: '2099-01-01T00:00:00Z' };

describe('apiKey options', () => {
  it('applies defaults and loads seeds', () => {
    const config = resolveApiKeyOptions({ keys: [seed] })!;
    expect(config).toMatchObject({ store: 'memory', header: 'x-api-key', defaultLifetime: 7_776_000, maxLifetime: 31_536_000 });
    expect(config.seed[0]!.expiresAt).toEqual(new Date('2099-01-01T00:00:00Z'));
    expect(resolveApiKeyOptions({ store: 'redis' }, { storeType: 'redis' })!.store).toBe('redis');
  });

  it.each([
    [{ store: 'postgres' }, '"apiKey.store" must be "memory", "redis" or an ApiKeyStore'],
    [{ store: 'redis' }, '"apiKey.store" is "redis", which needs store'],
    [{ header: 'Authorization' }, '"apiKey.header" must not be "Authorization"'],
    [{ header: 'x api key' }, '"apiKey.header" must be an HTTP header name'],
    [{ keys: [{ ...seed, hash: key.key }] }, '"apiKey.keys[0].hash" must be the stored form'],
    [{ keys: [{ ...seed, id: 'x' }] }, '"apiKey.keys[0].id"'],
    [{ keys: [{ ...seed, expiresAt: undefined }] }, '"apiKey.keys[0].expiresAt" is required'],
    [{ keys: [{ ...seed, allowedAddresses: ['10.0.0.0/33'] }] }, '"apiKey.keys[0].allowedAddresses"'],
    [{ keys: [{ ...seed, signingKey: { alg: 'hmac-sha256', key: 'c2hvcnQ' } }] }, '"apiKey.keys[0].signingKey" an hmac-sha256 secret must be at least 32 bytes'],
    [{ keys: [seed, seed] }, '"apiKey.keys[1].id" appears twice'],
    [{ store: { find() {}, save() {}, revoke() {}, listByOwner() {} }, keys: [seed] }, '"apiKey.keys" seeds the memory store only'],
    [{ defaultLifetime: 100, maxLifetime: 10 }, '"apiKey.defaultLifetime" must not exceed maxLifetime'],
  ] as [ApiKeyOptions, string][])('refuses %j', (options, message) => {
    expect(() => resolveApiKeyOptions(options)).toThrow(message);
  });
});
