import { createHash, randomBytes } from 'node:crypto';
import { macEquals } from '../keys/hmac-key-ring.js';

/** RFC 7636 §4.1: `code_verifier = 43*128unreserved`. */
const VERIFIER = /^[A-Za-z0-9\-._~]{43,128}$/;
/** An S256 challenge: base64url SHA-256, no padding (43 characters). */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

/** A PKCE pair: keep `verifier` secret until the token request; send `challenge` with the authorization request. */
export interface PkcePair {
  readonly verifier: string;
  readonly challenge: string;
  readonly method: 'S256';
}

function refusePlain(method: string): void {
  // RFC 9700 §2.1.1: "plain" sends the verifier itself in the front channel, defeating PKCE.
  if (method !== 'S256') throw new TypeError(`PKCE method "${method}" is refused: only S256 is supported (RFC 7636 §4.2, RFC 9700 §2.1.1)`);
}

/**
 * RFC 7636 §4.2 S256: `BASE64URL(SHA256(ASCII(code_verifier)))`. Throws for a verifier outside the
 * §4.1 syntax and for any method but `S256` (`plain` is refused).
 */
export function pkceChallenge(verifier: string, method: string = 'S256'): string {
  refusePlain(method);
  if (typeof verifier !== 'string' || !VERIFIER.test(verifier)) throw new TypeError('code_verifier must be 43 to 128 characters of [A-Za-z0-9-._~] (RFC 7636 §4.1)');
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}

/**
 * A fresh PKCE pair: a verifier of `bytes` random octets, base64url-encoded (RFC 7636 §4.1 recommends
 * 32 octets, giving 43 characters), and its S256 challenge.
 *
 * @example
 * ```ts
 * const pkce = createPkcePair();
 * // authorization request: code_challenge=${pkce.challenge}&code_challenge_method=S256
 * // token request:         code_verifier=${pkce.verifier}
 * ```
 */
export function createPkcePair(bytes = 32): PkcePair {
  if (!Number.isInteger(bytes) || bytes < 32 || bytes > 96) throw new RangeError('bytes must be an integer from 32 to 96');
  const verifier = randomBytes(bytes).toString('base64url');
  return { verifier, challenge: pkceChallenge(verifier), method: 'S256' };
}

/**
 * The server's check (RFC 7636 §4.6): true when `verifier` hashes to `challenge` under S256. False for a
 * missing or `plain` method, a verifier outside the §4.1 syntax, and a challenge in any other encoding
 * (padded, standard base64). Compared in constant time.
 */
export function verifyPkce(input: { verifier: string; challenge: string; method?: string }): boolean {
  if (input.method !== 'S256' || typeof input.verifier !== 'string' || !VERIFIER.test(input.verifier)) return false;
  if (typeof input.challenge !== 'string' || !S256_CHALLENGE.test(input.challenge)) return false;
  return macEquals(pkceChallenge(input.verifier), input.challenge);
}
