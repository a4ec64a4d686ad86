import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Bastion API keys: `bst_<key id>_<secret><checksum>`, 70 characters.
 *
 * - `bst_`: the prefix, so secret scanners and the redactor recognise a leaked key;
 * - key id: 8 random bytes as 16 lower-case hex digits (the lookup key; safe to log);
 * - secret: 32 random bytes as 43 base62 digits (256 bits);
 * - checksum: CRC-32 (ISO-HDLC, as zlib) of the ASCII text `bst_<key id>_<secret>`, as 6 base62 digits,
 *   so a scanner can tell a real key from a random string offline, without calling anyone.
 *
 * Base62 digits are `0-9A-Za-z` in that order, most significant first, left-padded with `0`.
 */
export const API_KEY_PREFIX = 'bst';

/**
 * The key format as a regular expression source, for secret scanners (e.g. a GitHub secret-scanning
 * custom pattern; use `(?:\A|[^0-9A-Za-z_])` before and `(?:\z|[^0-9A-Za-z_])` after it).
 */
export const API_KEY_REGEX_SOURCE = 'bst_[0-9a-f]{16}_[0-9A-Za-z]{49}';

const FORMAT = /^bst_([0-9a-f]{16})_([0-9A-Za-z]{43})([0-9A-Za-z]{6})$/;
const DIGITS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const HASH_FORMAT = /^sha256:[A-Za-z0-9_-]{43}$/;

function base62(value: bigint, width: number): string {
  let out = '';
  let n = value;
  while (n > 0n) {
    out = DIGITS[Number(n % 62n)]! + out;
    n /= 62n;
  }
  return out.padStart(width, '0');
}

/** The 6-character checksum of `bst_<id>_<secret>`. */
export function apiKeyChecksum(body: string): string {
  return base62(BigInt(crc32(Buffer.from(body, 'ascii'))), 6);
}

/** A new API key: give `key` to its owner once; store only `id` and `hash`. */
export interface GeneratedApiKey {
  /** `bst_<16 hex id>_<43 base62 secret><6 base62 checksum>`. */
  key: string;
  /** Public key id (lookup key, safe to log). */
  id: string;
  /** `sha256:<base64url>` of the whole key, for storage. */
  hash: string;
}

/**
 * Generates an API key. It has 256 bits of entropy, so a fast hash (SHA-256) is the right storage form:
 * a slow password hash adds nothing against guessing at that entropy, and keeps every request cheap.
 */
export function generateApiKey(): GeneratedApiKey {
  const id = randomBytes(8).toString('hex');
  const body = `${API_KEY_PREFIX}_${id}_${base62(BigInt(`0x${randomBytes(32).toString('hex')}`), 43)}`;
  const key = `${body}${apiKeyChecksum(body)}`;
  return { key, id, hash: hashApiKey(key) };
}

/** The storage form of an API key: `sha256:<base64url digest of the whole key>`. */
export function hashApiKey(key: string): string {
  return `sha256:${createHash('sha256').update(key).digest('base64url')}`;
}

/** True for a well-formed storage hash (`sha256:` and 43 base64url characters). */
export function isApiKeyHash(value: unknown): value is string {
  return typeof value === 'string' && HASH_FORMAT.test(value);
}

/** Splits a well-formed API key (format and checksum) into its id and secret; `undefined` otherwise. */
export function parseApiKey(key: string): { id: string; secret: string } | undefined {
  const m = typeof key === 'string' && key.length === 70 ? FORMAT.exec(key) : null;
  if (!m || apiKeyChecksum(key.slice(0, 64)) !== m[3]) return undefined;
  return { id: m[1]!, secret: m[2]! };
}

/** Checks a presented key against a stored hash, in constant time. */
export function verifyApiKey(presented: string, storedHash: string): boolean {
  if (!parseApiKey(presented)) return false;
  const a = Buffer.from(hashApiKey(presented));
  const b = Buffer.from(storedHash);
  return a.length === b.length && timingSafeEqual(a, b);
}
