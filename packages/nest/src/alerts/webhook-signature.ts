import { HmacKeyRing } from '../keys/hmac-key-ring.js';

/** Header carrying the webhook signature: `t=<unix seconds>,v1=<mac>[,v1=<mac>…]`. */
export const WEBHOOK_SIGNATURE_HEADER = 'bastion-signature';

/** What is signed: the timestamp, a dot, and the exact body bytes (the timestamp stops replays of old bodies). */
export function signedPayload(timestamp: number, body: string): string {
  return `${timestamp}.${body}`;
}

/**
 * The `Bastion-Signature` header value for `body` at `timestamp` (unix seconds): HMAC-SHA256 in
 * base64url under every secret of the ring, so receivers on the old or new secret both accept during
 * a rotation.
 */
export function webhookSignatureHeader(ring: HmacKeyRing, body: string, timestamp: number): string {
  return [`t=${timestamp}`, ...ring.signAll(signedPayload(timestamp, body)).map((mac) => `v1=${mac}`)].join(',');
}

/** Parses a `Bastion-Signature` header; `undefined` when malformed. */
export function parseWebhookSignature(header: string | undefined): { timestamp: number; macs: string[] } | undefined {
  if (!header || header.length > 4096) return undefined;
  let timestamp: number | undefined;
  const macs: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d{1,12}$/.test(value)) timestamp = Number(value);
    else if (key === 'v1' && /^[A-Za-z0-9_-]{43}$/.test(value)) macs.push(value);
  }
  return timestamp === undefined || macs.length === 0 ? undefined : { timestamp, macs };
}

/**
 * Verifies a webhook delivery as a receiver should: signature under any secret of `secrets` (current
 * and previous during rotation), and a timestamp within `toleranceSeconds` of `now` (default 300 s).
 *
 * @example
 * ```ts
 * const ok = verifyWebhookSignature(rawBody, req.headers['bastion-signature'], [process.env.BASTION_WEBHOOK_SECRET!]);
 * ```
 */
export function verifyWebhookSignature(
  body: string,
  header: string | undefined,
  secrets: string | readonly string[],
  options: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const parsed = parseWebhookSignature(header);
  if (!parsed) return false;
  const now = Math.floor((options.now ?? Date.now()) / 1000);
  if (Math.abs(now - parsed.timestamp) > (options.toleranceSeconds ?? 300)) return false;
  return new HmacKeyRing(secrets).verify(signedPayload(parsed.timestamp, body), parsed.macs);
}
