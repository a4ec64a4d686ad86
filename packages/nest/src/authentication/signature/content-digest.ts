import { createHash, timingSafeEqual } from 'node:crypto';
import { reject } from './signature-errors.js';
import { byteSequence, parseDictionary, serializeDictionary } from './structured-fields.js';

/** RFC 9530 digest algorithms Bastion computes and checks; the registry's others are insecure or deprecated. */
export const DIGEST_ALGORITHMS = { 'sha-256': 'sha256', 'sha-512': 'sha512' } as const;

/** An RFC 9530 digest algorithm Bastion computes and checks: `sha-256` or `sha-512`. */
export type DigestAlgorithm = keyof typeof DIGEST_ALGORITHMS;

/** The `Content-Digest` value of `body` (RFC 9530 §2), e.g. `sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:`. */
export function contentDigest(body: Uint8Array, algorithm: DigestAlgorithm = 'sha-256'): string {
  return serializeDictionary({ [algorithm]: createHash(DIGEST_ALGORITHMS[algorithm]).update(body).digest() });
}

/**
 * Checks `Content-Digest` field lines against the exact body bytes (RFC 9530 §2). Every sha-256 and
 * sha-512 member must match; members of other algorithms are ignored, and a field with none of the two
 * is refused (`ERR_DIGEST_UNSUPPORTED`), as are a missing (`ERR_DIGEST_MISSING`) or malformed one.
 */
export function verifyContentDigest(lines: readonly string[], body: Uint8Array): void {
  if (lines.length === 0) reject('ERR_DIGEST_MISSING');
  let members;
  try {
    members = parseDictionary(lines.join(', '));
  } catch (error) {
    reject('ERR_DIGEST_MALFORMED', 'Content-Digest is not an RFC 8941 dictionary', { cause: error });
  }
  let checked = 0;
  for (const [name, member] of members) {
    if (!Object.hasOwn(DIGEST_ALGORITHMS, name)) continue;
    const given = byteSequence(member[0]);
    if (given === undefined) reject('ERR_DIGEST_MALFORMED', `${name} is not a byte sequence`);
    const expected = createHash(DIGEST_ALGORITHMS[name as DigestAlgorithm]).update(body).digest();
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) reject('ERR_DIGEST_MISMATCH', `${name} does not match the body`);
    checked++;
  }
  if (checked === 0) reject('ERR_DIGEST_UNSUPPORTED', 'no sha-256 or sha-512 member');
}
