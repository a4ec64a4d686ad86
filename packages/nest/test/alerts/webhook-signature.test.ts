import { createHmac, timingSafeEqual } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseWebhookSignature, verifyWebhookSignature, webhookSignatureHeader } from '../../src/alerts/webhook-signature.js';
import { HmacKeyRing } from '../../src/keys/hmac-key-ring.js';
import { recordSecret } from '../support/secrets.js';

const OLD = recordSecret('old-webhook-secret-0123456789abcdef0123');
const NEW = recordSecret('new-webhook-secret-0123456789abcdef0123');
const body = '{"id":"1","event":{"type":"alert.raised"}}';
const now = Date.UTC(2026, 0, 1) ;
const t = Math.floor(now / 1000);

describe('webhook signature', () => {
  it('is HMAC-SHA256 over "<t>.<body>", base64url, as documented', () => {
    const header = webhookSignatureHeader(new HmacKeyRing(NEW), body, t);
    const expected = createHmac('sha256', NEW).update(`${t}.${body}`).digest('base64url');
    expect(header).toBe(`t=${t},v1=${expected}`);
    expect(verifyWebhookSignature(body, header, NEW, { now })).toBe(true);
  });

  it('rejects a changed body, a wrong secret, an old timestamp and malformed headers', () => {
    const header = webhookSignatureHeader(new HmacKeyRing(NEW), body, t);
    expect(verifyWebhookSignature(`${body} `, header, NEW, { now })).toBe(false);
    expect(verifyWebhookSignature(body, header, OLD, { now })).toBe(false);
    expect(verifyWebhookSignature(body, header, NEW, { now: now + 301_000 })).toBe(false);
    for (const bad of [undefined, '', 't=1', 'v1=abc', `t=x,v1=${'a'.repeat(43)}`, 'x'.repeat(5000)]) {
      expect(verifyWebhookSignature(body, bad, NEW, { now })).toBe(false);
    }
    expect(parseWebhookSignature(`t=5, v1=${'a'.repeat(43)}, v1=${'b'.repeat(43)}`)).toEqual({ timestamp: 5, macs: ['a'.repeat(43), 'b'.repeat(43)] });
  });

  it('rotates with overlap: a sender with [new, old] is accepted by receivers on either secret', () => {
    const during = webhookSignatureHeader(new HmacKeyRing([NEW, OLD]), body, t);
    expect(verifyWebhookSignature(body, during, [OLD], { now })).toBe(true);
    expect(verifyWebhookSignature(body, during, [NEW], { now })).toBe(true);
    const after = webhookSignatureHeader(new HmacKeyRing([NEW]), body, t);
    expect(verifyWebhookSignature(body, after, [NEW, OLD], { now })).toBe(true);
    expect(verifyWebhookSignature(body, after, [OLD], { now })).toBe(false);
  });
});

// The receiver snippet from docs/audit.md, verbatim: it must accept what Bastion sends.
function verifyBastionWebhook(rawBody: string, header: string | undefined, secrets: string[]): boolean {
  const fields = (header ?? '').split(',').map((part) => part.trim().split('='));
  const t = Number(fields.find(([k]) => k === 't')?.[1]);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false; // stale: a replay
  const macs = fields.filter(([k]) => k === 'v1').map(([, v]) => Buffer.from(v ?? ''));
  return secrets.some((secret) => {
    const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('base64url'));
    return macs.some((mac) => mac.length === expected.length && timingSafeEqual(mac, expected));
  });
}

describe('the documented receiver snippet', () => {
  it('accepts genuine deliveries (also during rotation) and rejects tampered or stale ones', () => {
    const nowT = Math.floor(Date.now() / 1000);
    const header = webhookSignatureHeader(new HmacKeyRing([NEW, OLD]), body, nowT);
    expect(verifyBastionWebhook(body, header, [NEW])).toBe(true);
    expect(verifyBastionWebhook(body, header, [OLD])).toBe(true);
    expect(verifyBastionWebhook(`${body}x`, header, [NEW])).toBe(false);
    expect(verifyBastionWebhook(body, header, ['y'.repeat(40)])).toBe(false);
    expect(verifyBastionWebhook(body, webhookSignatureHeader(new HmacKeyRing(NEW), body, nowT - 301), [NEW])).toBe(false);
    expect(verifyBastionWebhook(body, undefined, [NEW])).toBe(false);
  });
});
