import { Controller, Get, Module } from '@nestjs/common';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BastionModule, HmacKeyRing, Public, SecurityEvents, generateHmacSecret, verifyWebhookSignature } from '../../src/index.js';
import { AlertingService } from '../../src/alerts/alerting.service.js';
import { ADAPTERS, startApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';

// Generous: the machine running the suite may be busy; waitFor returns as soon as the condition holds.
const WAIT = { timeout: 15_000, interval: 20 };

// JWKS rotation at the issuer (new kid published, old kept during overlap, then retired) is covered by
// test/e2e/jwt-jwks.e2e.test.ts; this suite covers the secrets Bastion itself holds.

@Controller('r')
class PingController {
  @Get()
  @Public()
  ping() {
    return { ok: true };
  }
}

interface Delivery {
  body: string;
  signature: string;
}

async function receiver() {
  const received: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ body, signature: String(req.headers['bastion-signature']) });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** Boots an app whose webhook is signed with `secrets`, raises one alert, and returns the delivery. */
async function deliverWith(adapter: (typeof ADAPTERS)[number], url: string, received: Delivery[], secrets: string[]): Promise<Delivery> {
  @Module({ imports: [BastionModule.forRoot({ alerts: { webhook: { url, secret: secrets } } })], controllers: [PingController] })
  class AppModule {}
  const running = await startApp(AppModule, adapter);
  try {
    const before = received.length;
    running.app.get(SecurityEvents).emit({ type: 'alert.raised', outcome: 'info', reason: 'ALERT_TEST', ip: '192.0.2.1' });
    await vi.waitFor(() => expect(received.length).toBe(before + 1), WAIT);
    await vi.waitFor(() => expect(running.app.get(AlertingService).webhook!.delivered).toBe(1), WAIT);
    return received[before]!;
  } finally {
    await running.close();
  }
}

describe.each(ADAPTERS)('webhook secret rotation with overlap (%s)', (adapter) => {
  const oldSecret = recordSecret(generateHmacSecret());
  const newSecret = recordSecret(generateHmacSecret());
  let hook: Awaited<ReturnType<typeof receiver>>;
  beforeAll(async () => {
    hook = await receiver();
  });
  afterAll(() => hook.close());

  it('step 1: before rotation, receivers on the old secret accept', async () => {
    const d = await deliverWith(adapter, hook.url, hook.received, [oldSecret]);
    expect(verifyWebhookSignature(d.body, d.signature, [oldSecret])).toBe(true);
    expect(verifyWebhookSignature(d.body, d.signature, [newSecret])).toBe(false);
  });

  it('step 2: during the overlap ([new, old]) receivers on either secret accept', async () => {
    const d = await deliverWith(adapter, hook.url, hook.received, [newSecret, oldSecret]);
    expect(d.signature.match(/v1=/g)).toHaveLength(2);
    expect(verifyWebhookSignature(d.body, d.signature, [oldSecret])).toBe(true);
    expect(verifyWebhookSignature(d.body, d.signature, [newSecret])).toBe(true);
  });

  it('step 3: after rotation ([new]) the old secret no longer verifies; a receiver keeping both still accepts', async () => {
    const d = await deliverWith(adapter, hook.url, hook.received, [newSecret]);
    expect(verifyWebhookSignature(d.body, d.signature, [oldSecret])).toBe(false);
    expect(verifyWebhookSignature(d.body, d.signature, [newSecret, oldSecret])).toBe(true);
  });
});

describe('HMAC key ring rotation', () => {
  it('accepts MACs made under the current and previous secrets, then only the current once the previous is dropped', () => {
    const v1 = recordSecret(generateHmacSecret());
    const v2 = recordSecret(generateHmacSecret());
    const macV1 = new HmacKeyRing([v1]).sign('payload');
    const overlap = new HmacKeyRing([v2, v1]);
    expect(overlap.verify('payload', macV1)).toBe(true);
    expect(overlap.verify('payload', overlap.sign('payload'))).toBe(true);
    const after = new HmacKeyRing([v2]);
    expect(after.verify('payload', macV1)).toBe(false);
    expect(after.verify('payload', overlap.sign('payload'))).toBe(true);
  });

  it('refuses a weak webhook secret at boot, naming the option', () => {
    expect(() => BastionModule.forRoot({ alerts: { webhook: { url: 'https://hooks.example.com/b', secret: [generateHmacSecret(), 'too-short'] } } })).toThrow(/"alerts.webhook.secret"/);
  });
});
