import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { macEquals } from '../../keys/hmac-key-ring.js';
import { calculateJwkThumbprint, compactVerify, type JWK } from 'jose';
import { decodeSegment } from '../jwt/compact-jws.js';
import { parseStrictJsonObject } from '../jwt/strict-json.js';
import { LruCache } from '../jwt/token-cache.js';
import { importJwk, keyFitsAlgorithm, type VerificationKey } from '../jwt/verification-key.js';
import { rejectDpop } from './dpop-errors.js';
import type { DpopAlgorithm } from './dpop-options.js';
import { normalizeHtu } from './htu.js';

/** Longest proof accepted, in characters (an RSA-4096 proof is about 2,300). */
export const MAX_PROOF_LENGTH = 8192;
/** Longest `jti` accepted (RFC 9449 §11.1: unnecessarily large values are refused). */
const MAX_JTI_LENGTH = 256;
/** JWK members that carry private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];
const PROOF_TYPES = new Set(['dpop+jwt', 'application/dpop+jwt']);
/** Every JWK member the import reads (key material of RSA, EC and OKP keys, and its usage restrictions). */
const KEY_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e', 'alg', 'use', 'key_ops'];

/** What a proof must match: the request it came with and the server's policy. */
export interface ProofExpectations {
  /** HTTP method of the request. */
  readonly method: string;
  /** Normalised URIs (see `normalizeHtu`) the `htu` may name. */
  readonly uris: readonly string[];
  /** The access token presented with the proof (its hash must be `ath`). */
  readonly accessToken: string;
  readonly algorithms: ReadonlySet<DpopAlgorithm>;
  /** Seconds since the epoch. */
  readonly now: number;
  /** Seconds a proof is accepted after its `iat`. */
  readonly maxAge: number;
  /** Seconds of clock difference tolerated. */
  readonly clockTolerance: number;
}

/** A verified proof: the key thumbprint to compare with `cnf.jkt`, and what replay detection needs. */
export interface VerifiedProof {
  /** RFC 7638 SHA-256 thumbprint of the proof key. */
  readonly jkt: string;
  readonly jti: string;
  /** Seconds since the epoch. */
  readonly iat: number;
  readonly nonce: string | undefined;
}

/** One canonical base64url segment holding a UTF-8 JSON object without duplicate members. */
function jsonSegment(segment: string, what: string): Record<string, unknown> {
  let bytes: Buffer;
  try {
    bytes = decodeSegment(segment, what);
  } catch {
    rejectDpop('ERR_DPOP_PROOF_INVALID');
  }
  const value = isUtf8(bytes) ? parseStrictJsonObject(bytes.toString('utf8')) : undefined;
  if (!value) rejectDpop('ERR_DPOP_PROOF_INVALID');
  return value;
}

/** `ath` (RFC 9449 §4.2): base64url SHA-256 of the ASCII access token. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

interface ProofKey {
  readonly key: VerificationKey;
  /** RFC 7638 thumbprint. */
  readonly jkt: string;
}

/**
 * Imported proof keys by their public members. A client signs all its proofs with one key, so importing
 * it once saves a key import per request; this memoises a pure function of public data, bounded.
 */
const proofKeys = new LruCache<ProofKey>(1000);

/** The proof key from the `jwk` header: public members only; private or symmetric material is refused (§4.3 step 7). */
async function proofKey(jwk: unknown, alg: string): Promise<ProofKey> {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) rejectDpop('ERR_DPOP_KEY_INVALID');
  const members = jwk as Record<string, unknown>;
  if (PRIVATE_MEMBERS.some((m) => m in members)) rejectDpop('ERR_DPOP_KEY_PRIVATE');
  const id = JSON.stringify(KEY_MEMBERS.map((m) => members[m] ?? null));
  let cached = proofKeys.get(id);
  if (!cached) {
    const imported = importJwk(members);
    if (!imported.ok) rejectDpop('ERR_DPOP_KEY_INVALID');
    cached = { key: imported.key, jkt: await calculateJwkThumbprint(members as unknown as JWK, 'sha256') };
    proofKeys.set(id, cached, Infinity);
  }
  if (!keyFitsAlgorithm(cached.key, alg)) rejectDpop('ERR_DPOP_KEY_INVALID');
  return cached;
}

/**
 * Checks a DPoP proof JWT as RFC 9449 §4.3 lists (steps 2–9, 11, 12; the nonce is checked by the caller,
 * the token binding and `jti` replay too): structure, `typ`, an allowed asymmetric `alg`, a public `jwk`
 * that fits it, the signature with that key, `htm`, `htu`, the `iat` window and `ath`. Throws
 * `DpopRejection` with the precise reason.
 */
export async function verifyDpopProof(proof: string, expect: ProofExpectations): Promise<VerifiedProof> {
  if (proof.length > MAX_PROOF_LENGTH) rejectDpop('ERR_DPOP_PROOF_INVALID');
  const segments = proof.split('.');
  if (segments.length !== 3 || segments[2] === '') rejectDpop('ERR_DPOP_PROOF_INVALID');
  const header = jsonSegment(segments[0]!, 'header');
  const claims = jsonSegment(segments[1]!, 'payload');
  // RFC 9449 §11.5: explicit typing keeps a JWT made for something else (an access token) from passing as a proof.
  if (typeof header.typ !== 'string' || !PROOF_TYPES.has(header.typ.toLowerCase())) rejectDpop('ERR_DPOP_TYPE_REJECTED');
  const alg = header.alg;
  // §11.6: asymmetric algorithms only; `none` and MACs are never on the list.
  if (typeof alg !== 'string' || !expect.algorithms.has(alg as DpopAlgorithm)) rejectDpop('ERR_DPOP_ALGORITHM_REJECTED');
  // RFC 7515 §4.1.11: no extension is understood here, so none may be critical.
  if ('crit' in header || 'b64' in header) rejectDpop('ERR_DPOP_PROOF_INVALID');
  const { key, jkt } = await proofKey(header.jwk, alg);
  try {
    await compactVerify(proof, key.key, { algorithms: [alg] });
  } catch (error) {
    rejectDpop('ERR_DPOP_SIGNATURE_INVALID', error);
  }
  const { jti, htm, htu, iat, ath, nonce } = claims;
  if (jti === undefined || jti === '') rejectDpop('ERR_DPOP_JTI_MISSING');
  if (typeof jti !== 'string' || jti.length > MAX_JTI_LENGTH) rejectDpop('ERR_DPOP_PROOF_INVALID');
  if (typeof htm !== 'string' || typeof htu !== 'string' || typeof iat !== 'number' || !Number.isFinite(iat)) rejectDpop('ERR_DPOP_PROOF_INVALID');
  if (nonce !== undefined && (typeof nonce !== 'string' || nonce === '')) rejectDpop('ERR_DPOP_PROOF_INVALID');
  // RFC 9110 §9.1: methods are case-sensitive.
  if (htm !== expect.method) rejectDpop('ERR_DPOP_METHOD_MISMATCH');
  const claimed = normalizeHtu(htu);
  if (claimed === undefined || !expect.uris.includes(claimed)) rejectDpop('ERR_DPOP_URI_MISMATCH');
  if (expect.now - iat > expect.maxAge + expect.clockTolerance) rejectDpop('ERR_DPOP_PROOF_TOO_OLD');
  if (iat - expect.now > expect.clockTolerance) rejectDpop('ERR_DPOP_PROOF_ISSUED_IN_FUTURE');
  if (typeof ath !== 'string' || !macEquals(ath, accessTokenHash(expect.accessToken))) rejectDpop('ERR_DPOP_ATH_MISMATCH');
  return { jkt, jti, iat, nonce: nonce as string | undefined };
}
