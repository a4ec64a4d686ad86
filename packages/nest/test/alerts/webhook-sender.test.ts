import { describe, expect, it, vi } from 'vitest';
import { verifyWebhookSignature } from '../../src/alerts/webhook-signature.js';
import { WebhookSender, type WebhookOptions } from '../../src/alerts/webhook-sender.js';
import { recordSecret } from '../support/secrets.js';

// Generous: the machine running the suite may be busy; waitFor returns as soon as the condition holds.
const WAIT = { timeout: 15_000, interval: 20 };

const SECRET = recordSecret('sender-test-secret-0123456789abcdef01234');
const quiet = { log: () => {}, error: () => {}, warn: vi.fn() };

function sender(responses: (number | 'error' | 'hang')[], options: Partial<WebhookOptions> = {}) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const next = responses[Math.min(calls.length - 1, responses.length - 1)];
    if (next === 'error') throw new TypeError('fetch failed');
    if (next === 'hang') {
      return new Promise((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)));
    }
    return new Response(null, { status: next });
  }) as unknown as typeof fetch;
  const s = new WebhookSender({ url: 'https://hooks.example.com/x', secret: SECRET, backoff: 0.001, ...options }, quiet, fetchImpl);
  return { s, calls };
}

describe('WebhookSender', () => {
  it('POSTs signed JSON and counts the delivery', async () => {
    const { s, calls } = sender([204]);
    expect(s.enqueue({ type: 'alert.raised' })).toBe(true);
    await vi.waitFor(() => expect(s.delivered).toBe(1), WAIT);
    const { init } = calls[0]!;
    const headers = init.headers as Record<string, string>;
    expect(init.method).toBe('POST');
    expect(headers['content-type']).toBe('application/json');
    expect(verifyWebhookSignature(init.body as string, headers['bastion-signature'], SECRET)).toBe(true);
    expect(JSON.parse(init.body as string)).toEqual({ id: headers['bastion-delivery'], event: { type: 'alert.raised' } });
  });

  it('retries network errors, 429 and 5xx with backoff, then gives up after `retries`', async () => {
    const ok = sender(['error', 503, 429, 200]);
    ok.s.enqueue({});
    await vi.waitFor(() => expect(ok.s.delivered).toBe(1), WAIT);
    expect(ok.calls).toHaveLength(4);
    const failing = sender([500], { retries: 2 });
    failing.s.enqueue({});
    await vi.waitFor(() => expect(failing.s.failed).toBe(1), WAIT);
    expect(failing.calls).toHaveLength(3);
  });

  it('does not retry other 4xx answers', async () => {
    const { s, calls } = sender([400, 200]);
    s.enqueue({});
    await vi.waitFor(() => expect(s.failed).toBe(1), WAIT);
    expect(calls).toHaveLength(1);
  });

  it('bounds the queue: beyond queueSize alerts are dropped and counted, never buffered', async () => {
    const { s } = sender(['hang'], { queueSize: 3, timeout: 60 });
    const accepted = Array.from({ length: 10 }, () => s.enqueue({}));
    expect(accepted.filter(Boolean)).toHaveLength(3);
    expect(s.dropped).toBe(7);
    expect(quiet.warn).toHaveBeenCalled();
    await s.close();
    expect(s.enqueue({})).toBe(false);
    expect(s.pending).toBe(0);
  });

  it('delivers in order, one at a time, and enqueue returns before any network work', async () => {
    const { s, calls } = sender([200]);
    s.enqueue({ n: 1 });
    s.enqueue({ n: 2 });
    expect(calls).toHaveLength(0);
    await vi.waitFor(() => expect(s.delivered).toBe(2), WAIT);
    expect(calls.map((c) => JSON.parse(c.init.body as string).event.n)).toEqual([1, 2]);
  });
});
