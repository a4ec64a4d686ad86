import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { API_KEY_REGEX_SOURCE, apiKeyChecksum, generateApiKey, hashApiKey, parseApiKey, verifyApiKey } from '../../../src/authentication/api-key/api-key-format.js';
import { createRedactor } from '../../../src/audit/redactor.js';
import { recordSecret } from '../../support/secrets.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** The checksum exactly as docs/authentication.md describes it, written independently for scanners. */
function documentedChecksum(body: string): string {
  let n = crc32(body);
  let out = '';
  for (let i = 0; i < 6; i++) {
    out = BASE62[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

describe('API key format', () => {
  it('is bst_<16 hex id>_<43 base62 secret><6 base62 CRC-32 checksum>, and the documented regex finds it', () => {
    const { key, id, hash } = generateApiKey();
    recordSecret(key);
    expect(key).toHaveLength(70);
    expect(key).toMatch(/^bst_[0-9a-f]{16}_[0-9A-Za-z]{49}$/);
    expect(key.slice(4, 20)).toBe(id);
    expect(key.slice(64)).toBe(documentedChecksum(key.slice(0, 64)));
    expect(apiKeyChecksum(key.slice(0, 64))).toBe(key.slice(64));
    expect(new RegExp(`(?:^|[^0-9A-Za-z_])(${API_KEY_REGEX_SOURCE})(?:$|[^0-9A-Za-z_])`).exec(`leaked: "${key}".`)?.[1]).toBe(key);
    expect(hash).toBe(`sha256:${createHash('sha256').update(key).digest('base64url')}`);
    expect(parseApiKey(key)).toEqual({ id, secret: key.slice(21, 64) });
    // The redactor recognises the format.
    expect(createRedactor()(`key ${key}`)).toBe('key [REDACTED]');
  });

  it('has 256 random bits in the secret: keys differ, and every base62 digit shows up', () => {
    const keys = Array.from({ length: 200 }, () => recordSecret(generateApiKey().key));
    expect(new Set(keys).size).toBe(200);
    const digits = new Set(keys.flatMap((k) => [...k.slice(21, 64)]));
    expect(digits.size).toBe(62);
  });

  it('rejects a wrong checksum, a changed character, other lengths and other prefixes offline', () => {
    const { key, hash } = generateApiKey();
    recordSecret(key);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'a' ? 'b' : 'a') + s.slice(i + 1);
    for (const i of [5, 25, 50, 63, 66, 69]) {
      expect(parseApiKey(flip(key, i)), `position ${i}`).toBeUndefined();
      expect(verifyApiKey(flip(key, i), hash)).toBe(false);
    }
    expect(parseApiKey(`${key}x`)).toBeUndefined();
    expect(parseApiKey(`xst${key.slice(3)}`)).toBeUndefined();
    expect(parseApiKey('bst_nope')).toBeUndefined();
    expect(verifyApiKey(key, hash)).toBe(true);
    expect(hashApiKey(key)).toBe(hash);
  });

  it('supports rotation with overlap: old and new hashes both verify until the old is removed', () => {
    const old = generateApiKey();
    const next = generateApiKey();
    recordSecret(old.key);
    recordSecret(next.key);
    const accepts = (key: string, hashes: string[]) => hashes.some((h) => verifyApiKey(key, h));
    expect(accepts(old.key, [old.hash, next.hash]) && accepts(next.key, [old.hash, next.hash])).toBe(true);
    expect(accepts(old.key, [next.hash])).toBe(false);
  });
});
