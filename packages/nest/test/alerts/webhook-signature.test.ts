import { createHmac } from 'node:crypto';
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
