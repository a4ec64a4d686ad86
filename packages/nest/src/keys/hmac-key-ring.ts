import { createHmac, timingSafeEqual } from 'node:crypto';

/** Shortest accepted HMAC secret, in bytes (RFC 2104 §3: at least the hash output, 32 for SHA-256). */
export const MIN_HMAC_SECRET_BYTES = 32;

/** HMAC-SHA256 of `data` under `secret`, base64url without padding. */
export function hmacSha256(secret: string | Uint8Array, data: string | Uint8Array): string {
  return createHmac('sha256', secret).update(data).digest('base64url');
}

/** Constant-time comparison of two MAC strings (length differences leak only the length). */
export function macEquals(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A ring of HMAC secrets for rotation with overlap: the first secret is current (used to sign); all
 * are accepted when verifying. Rotate by (1) prepending the new secret everywhere that verifies,
 * (2) signing with it, (3) dropping the old one once nothing signed with it can still arrive.
 *
 * @example
 * ```ts
 * const ring = new HmacKeyRing([process.env.WEBHOOK_SECRET!, process.env.WEBHOOK_SECRET_PREVIOUS!]);
 * ring.verify(body, mac); // true for MACs made with either secret
 * ```
 */
export class HmacKeyRing {
  private readonly secrets: readonly (string | Uint8Array)[];

  constructor(secrets: string | Uint8Array | readonly (string | Uint8Array)[]) {
    const list = typeof secrets === 'string' || secrets instanceof Uint8Array ? [secrets] : [...secrets];
    if (list.length === 0) throw new TypeError('HmacKeyRing: at least one secret is required');
    for (const s of list) {
      if (Buffer.byteLength(s) < MIN_HMAC_SECRET_BYTES) throw new TypeError(`HmacKeyRing: secrets must be at least ${MIN_HMAC_SECRET_BYTES} bytes`);
    }
    this.secrets = list;
  }

  /** Number of secrets in the ring. */
  get size(): number {
    return this.secrets.length;
  }

  /** MAC under the current secret. */
  sign(data: string | Uint8Array): string {
    return hmacSha256(this.secrets[0]!, data);
  }

  /** MACs under every secret (a sender in an overlap window sends all, so old and new receivers accept). */
  signAll(data: string | Uint8Array): string[] {
    return this.secrets.map((s) => hmacSha256(s, data));
  }

  /** True when any of `macs` is the MAC of `data` under any secret of the ring. Checks all pairs (no early exit). */
  verify(data: string | Uint8Array, macs: string | readonly string[]): boolean {
    const candidates = typeof macs === 'string' ? [macs] : macs;
    let ok = false;
    for (const secret of this.secrets) {
      const expected = hmacSha256(secret, data);
      for (const mac of candidates) ok = macEquals(expected, mac) || ok;
    }
    return ok;
  }
}
