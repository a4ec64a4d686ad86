import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { macEquals } from '../../keys/hmac-key-ring.js';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { decodeSegment } from '../jwt/compact-jws.js';
import { verifyJwsSignature } from '../jwt/jws-signature.js';
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
  const bytes = decoded(segment, what);
  const value = isUtf8(bytes) ? parseStrictJsonObject(bytes.toString('utf8')) : undefined;
  if (!value) rejectDpop('ERR_DPOP_PROOF_INVALID');
  return value;
}

/** One canonical base64url segment (RFC 7515 §2), decoded. */
function decoded(segment: string, what: string): Buffer {
  try {
    return decodeSegment(segment, what);
  } catch {
    rejectDpop('ERR_DPOP_PROOF_INVALID');
  }
}

/** `ath` (RFC 9449 §4.2): base64url SHA-256 of the ASCII access token. */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken, 'ascii').digest('base64url');
}

/** What a proof's protected header establishes once checked: the algorithm, the imported key, its thumbprint. */
interface ProofHeader {
  readonly alg: string;
  readonly key: VerificationKey;
  /** RFC 7638 thumbprint of the key, computed once. */
  readonly jkt: string;
}

/** Longest header segment remembered (an RSA-4096 `jwk` header is about 1,000 characters). */
const MAX_CACHED_HEADER = 2048;

/**
 * Checked proof headers by their encoded segment. A client signs every proof with one key and the same
 * header, so the header is parsed, its key imported and its thumbprint computed once, not per request.
 * The entry is a pure function of the segment (public data only; nothing an attacker could poison) and
 * holds only what passed every check that does not depend on configuration; bounded.
 */
const proofHeaders = new LruCache<ProofHeader>(1000);

/**
 * Checks the protected header (RFC 9449 §4.3 steps 4–7): `typ: dpop+jwt`, an allowed asymmetric `alg`, no
 * critical extension, and a `jwk` with public members only that fits `alg`. Remembers what passed.
 */
async function checkedHeader(segment: string, algorithms: ReadonlySet<DpopAlgorithm>): Promise<ProofHeader> {
  const cached = segment.length <= MAX_CACHED_HEADER ? proofHeaders.get(segment) : undefined;
  if (cached) {
    // The allow-list is configuration: checked on every use, in the order of a first check.
    if (!algorithms.has(cached.alg as DpopAlgorithm)) rejectDpop('ERR_DPOP_ALGORITHM_REJECTED');
    return cached;
  }
  const header = jsonSegment(segment, 'header');
  // RFC 9449 §11.5: explicit typing keeps a JWT made for something else (an access token) from passing as a proof.
  if (typeof header.typ !== 'string' || !PROOF_TYPES.has(header.typ.toLowerCase())) rejectDpop('ERR_DPOP_TYPE_REJECTED');
  const alg = header.alg;
  // §11.6: asymmetric algorithms only; `none` and MACs are never on the list.
  if (typeof alg !== 'string' || !algorithms.has(alg as DpopAlgorithm)) rejectDpop('ERR_DPOP_ALGORITHM_REJECTED');
  // RFC 7515 §4.1.11: no extension is understood here, so none may be critical.
  if ('crit' in header || 'b64' in header) rejectDpop('ERR_DPOP_PROOF_INVALID');
  const jwk = header.jwk;
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) rejectDpop('ERR_DPOP_KEY_INVALID');
  const members = jwk as Record<string, unknown>;
  // §4.3 step 7: the key must be public; private or symmetric material is refused.
  if (PRIVATE_MEMBERS.some((m) => m in members)) rejectDpop('ERR_DPOP_KEY_PRIVATE');
  const imported = importJwk(members);
  if (!imported.ok || !keyFitsAlgorithm(imported.key, alg)) rejectDpop('ERR_DPOP_KEY_INVALID');
  const checked: ProofHeader = { alg, key: imported.key, jkt: await calculateJwkThumbprint(members as unknown as JWK, 'sha256') };
  if (segment.length <= MAX_CACHED_HEADER) proofHeaders.set(segment, checked, Infinity);
  return checked;
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
  const [encodedHeader, encodedPayload, encodedSignature] = segments as [string, string, string];
  const { alg, key, jkt } = await checkedHeader(encodedHeader, expect.algorithms);
  const claims = jsonSegment(encodedPayload, 'payload');
  // One parse: the signature is checked over the segments as sent, with the key imported once (no JOSE library re-parse).
  if (!verifyJwsSignature(alg, key, `${encodedHeader}.${encodedPayload}`, decoded(encodedSignature, 'signature'))) rejectDpop('ERR_DPOP_SIGNATURE_INVALID');
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
