import { isUtf8 } from 'node:buffer';
import { reject } from './jwt-errors.js';
import { parseStrictJsonObject } from './strict-json.js';

/** Longest compact JWS accepted, in characters. Real access tokens are a few hundred to a few thousand. */
export const MAX_TOKEN_LENGTH = 16_384;

/** Header parameters that would let the token choose its own key (RFC 8725 §3.10, §2.x): never trusted. */
const KEY_CARRYING_HEADERS = ['jku', 'x5u', 'jwk', 'x5c'] as const;

/**
 * RFC 8725 §3.11: a JWT explicitly typed as something else (`dpop+jwt`, `secevent+jwt`, an ID token
 * under its own type…) must not be accepted as an access token. Compared case-insensitively, with the
 * optional `application/` prefix (RFC 7515 §4.1.9).
 */
const ACCEPTED_TYPES = new Set(['jwt', 'at+jwt']);

/** The parts of a compact JWS, decoded and checked but not yet verified. */
export interface ParsedJws {
  readonly header: Readonly<Record<string, unknown>>;
  readonly claims: Readonly<Record<string, unknown>>;
  readonly alg: string;
  readonly kid: string | undefined;
  /** Normalized `typ` (`jwt`, `at+jwt`) or `undefined` when absent. */
  readonly typ: string | undefined;
  /** `<header>.<payload>` as sent: the JWS signing input (RFC 7515 §5.2 step 8). */
  readonly signingInput: string;
  /** The decoded signature. */
  readonly signature: Buffer;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes one canonical base64url segment (RFC 7515 §2: no padding, no stray bits, no other characters). */
export function decodeSegment(segment: string, what: string): Buffer {
  if (!BASE64URL.test(segment) || segment.length % 4 === 1) reject('ERR_TOKEN_MALFORMED', `${what} is not base64url`);
  // Non-zero unused bits in the last character decode to the same bytes: a segment of 4n+2 characters
  // ends in 4 unused bits, one of 4n+3 in 2 (RFC 4648 §3.5); they must be zero.
  const unusedBits = UNUSED_BITS[segment.length % 4]!;
  if (unusedBits !== 0 && (base64urlValue(segment.charCodeAt(segment.length - 1)) & unusedBits) !== 0) reject('ERR_TOKEN_MALFORMED', `${what} is not canonical base64url`);
  return Buffer.from(segment, 'base64url');
}

/** Mask of the unused low bits of the last character, by segment length mod 4. */
const UNUSED_BITS = [0, 0, 0x0f, 0x03];

/** The 6-bit value of a base64url character (the caller checked the alphabet). */
function base64urlValue(c: number): number {
  if (c >= 0x61) return c - 0x61 + 26; // a-z
  if (c >= 0x41) return c === 0x5f ? 63 : c - 0x41; // A-Z, _
  if (c >= 0x30) return c - 0x30 + 52; // 0-9
  return 62; // -
}

function decodeJsonSegment(segment: string, what: string): Record<string, unknown> {
  const bytes = decodeSegment(segment, what);
  if (!isUtf8(bytes)) reject('ERR_TOKEN_MALFORMED', `${what} is not UTF-8`);
  const value = parseStrictJsonObject(bytes.toString('utf8'));
  if (!value) reject('ERR_TOKEN_MALFORMED', `${what} is not a JSON object with unique member names`);
  return value;
}

function normalizedType(typ: unknown): string | undefined {
  if (typ === undefined) return undefined;
  if (typeof typ !== 'string') reject('ERR_TYPE_REJECTED', 'typ is not a string');
  const lower = typ.toLowerCase();
  const bare = lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
  if (!ACCEPTED_TYPES.has(bare)) reject('ERR_TYPE_REJECTED', 'typ is not JWT or at+jwt');
  return bare;
}

/**
 * Parses a compact JWS strictly (RFC 7515 §7.1, RFC 8725): exactly three canonical base64url segments,
 * UTF-8 JSON objects without duplicate members, a string `alg` that is not `none`, no key-carrying or
 * critical headers, an access-token `typ`. Throws `JwtRejection`; verifies nothing cryptographic.
 */
export function parseCompactJws(token: string): ParsedJws {
  if (token.length > MAX_TOKEN_LENGTH) reject('ERR_TOKEN_TOO_LARGE');
  const segments = token.split('.');
  if (segments.length !== 3) reject('ERR_TOKEN_MALFORMED', `${segments.length} segments`);
  const [encodedHeader, encodedPayload, encodedSignature] = segments as [string, string, string];
  const header = decodeJsonSegment(encodedHeader, 'header');

  const alg = header.alg;
  if (typeof alg !== 'string' || alg === '') reject('ERR_TOKEN_MALFORMED', 'alg missing');
  // "none" in any spelling is refused before anything else; it is also never configurable.
  if (alg.toLowerCase() === 'none') reject('ERR_ALGORITHM_REJECTED', 'alg none');
  for (const name of KEY_CARRYING_HEADERS) {
    if (name in header) reject('ERR_HEADER_FORBIDDEN', `${name} header`);
  }
  // RFC 7515 §4.1.11: a recipient must reject a token whose crit lists anything it does not understand;
  // Bastion understands no extension, and b64 (RFC 7797) is only meaningful through crit.
  if ('crit' in header) reject('ERR_HEADER_FORBIDDEN', 'crit header');
  if ('b64' in header) reject('ERR_HEADER_FORBIDDEN', 'b64 header');
  // Nested JWTs (cty: JWT) and JWE parameters have no place in a signed access token.
  if ('cty' in header) reject('ERR_HEADER_FORBIDDEN', 'cty header');
  if ('enc' in header || 'zip' in header) reject('ERR_HEADER_FORBIDDEN', 'JWE header');
  const kid = header.kid;
  if (kid !== undefined && (typeof kid !== 'string' || kid === '' || kid.length > 256)) reject('ERR_TOKEN_MALFORMED', 'kid');
  const typ = normalizedType(header.typ);

  const claims = decodeJsonSegment(encodedPayload, 'payload');
  if (encodedSignature === '') reject('ERR_SIGNATURE_INVALID', 'empty signature');
  const signature = decodeSegment(encodedSignature, 'signature');
  return { header, claims, alg, kid, typ, signingInput: token.slice(0, encodedHeader.length + 1 + encodedPayload.length), signature };
}

function isPrintable(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return false;
  }
  return true;
}

/** Best-effort, unverified read of one string claim; never throws; only a short printable string. */
function claimedString(token: string, name: 'sub' | 'iss'): string | undefined {
  try {
    const segment = token.split('.')[1];
    if (!segment || segment.length > MAX_TOKEN_LENGTH) return undefined;
    const value = parseStrictJsonObject(utf8.decode(Buffer.from(segment, 'base64url')))?.[name];
    return typeof value === 'string' && value.length > 0 && value.length <= 256 && isPrintable(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The claimed, unverified `sub` of a token (for per-identity throttling of failures). */
export function claimedSubject(token: string): string | undefined {
  return claimedString(token, 'sub');
}

/** The claimed, unverified `iss` of a token (to route it; verification happens after). */
export function claimedIssuer(token: string): string | undefined {
  return claimedString(token, 'iss');
}

/**
 * True when `token` has the shape of a compact JWS (three base64url segments, the first a JSON object):
 * such a token is verified locally; anything else (an opaque token, a 5-part JWE) is introspected.
 */
export function looksLikeCompactJws(token: string): boolean {
  const first = token.indexOf('.');
  if (first <= 0) return false;
  const second = token.indexOf('.', first + 1);
  if (second === -1 || token.indexOf('.', second + 1) !== -1) return false;
  // base64url of "{" followed by anything starts with "e": decode the first 4 characters only.
  return Buffer.from(token.slice(0, 4), 'base64url')[0] === 0x7b;
}
