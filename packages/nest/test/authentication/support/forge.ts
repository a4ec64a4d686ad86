import { createHmac, generateKeyPairSync, sign as nodeSign, type KeyObject } from 'node:crypto';

/** base64url of a JSON value or raw string (test-only token forging). */
export function b64(value: unknown): string {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');
}

/** A compact JWS from raw parts, with any header and payload (no validation at all). */
export function forge(header: unknown, payload: unknown, signature = 'c2ln'): string {
  return `${b64(header)}.${b64(payload)}.${signature}`;
}

/** HS256/384/512 over `header.payload` with `secret`: the key-confusion attack when the secret is a public key. */
export function hmacSign(header: Record<string, unknown>, payload: Record<string, unknown>, secret: string | Buffer): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const bits = String(header.alg).slice(2);
  return `${input}.${createHmac(`sha${bits}`, secret).update(input).digest('base64url')}`;
}

/** RS256 with an arbitrary private key (an attacker's own key). */
export function rs256Sign(header: Record<string, unknown>, payload: Record<string, unknown>, privateKey: KeyObject): string {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${nodeSign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export function attackerRsaKey(bits = 2048) {
  return generateKeyPairSync('rsa', { modulusLength: bits });
}

/** Re-encodes the payload of a signed token (the signature no longer matches). */
export function tamper(token: string, change: (claims: Record<string, unknown>) => void): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  change(claims);
  return `${h}.${b64(claims)}.${s}`;
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);
