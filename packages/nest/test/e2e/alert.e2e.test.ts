import { Controller, Get, Module } from '@nestjs/common';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, verifyWebhookSignature, type BastionOptions, type SecurityEvent } from '../../src/index.js';
import { AlertingService } from '../../src/alerts/alerting.service.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { recordSecret } from '../support/secrets.js';

// Generous: the machine running the suite may be busy; waitFor returns as soon as the condition holds.
const WAIT = { timeout: 15_000, interval: 20 };

const SECRET = recordSecret('alert-webhook-secret-for-tests-0123456789');

@Controller('orders')
class OrdersController {
  @Get()
  @Authenticated()
  list() {
    return [];
  }
}

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

/** A webhook receiver on loopback; `hang` keeps every request open without answering. */
async function startReceiver(mode: 'ok' | 'hang') {
  const received: Received[] = [];
  const open = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      if (mode === 'ok') res.writeHead(204).end();
      else open.add(res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    received,
    close: () => {
      for (const res of open) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [OrdersController] })
  class AppModule {}
  return AppModule;
}

const alertsIn = (events: Record<string, any>[], since: number) => events.slice(since).filter((e) => e.type === 'alert.raised' && e.reason === 'ALERT_AUTH_FAILURES_PER_IP');

describe.each(ADAPTERS)('alerting (%s)', (adapter) => {
  let issuer: TestIssuer;
  let stranger: TestIssuer; // signs with keys the API does not trust
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    stranger = await TestIssuer.start();
  });
  afterAll(async () => {
    await issuer.close();
    await stranger.close();
  });
  afterEach(() => vi.useRealTimers());

  /** A token with a valid shape but a signature from an untrusted key (each with its own subject). */
  const badToken = async (i: number) => stranger.sign({ iss: issuer.issuer, aud: issuer.audience, sub: `user-${i}` }, { kid: issuer.kid() });

  it('11 bad tokens from one IP within a minute raise exactly one alert, delivered to a signed webhook', async () => {
    const receiver = await startReceiver('ok');
    const onAlert: SecurityEvent[] = [];
    const running: RunningApp = await startApp(
      appModule({ jwt: issuer.options(), alerts: { webhook: { url: receiver.url, secret: SECRET }, onAlert: (a) => void onAlert.push(a) } }),
      adapter,
    );
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date());
      const start = capturedAuditEvents().length;
      for (let i = 0; i < 10; i++) {
        expect((await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await badToken(i)}` } })).status).toBe(401);
        vi.setSystemTime(Date.now() + 5_000); // 11 requests over 50 s
      }
      await vi.waitFor(() => expect(capturedAuditEvents().slice(start).filter((e) => e.type === 'authentication.failed')).toHaveLength(10), WAIT);
      expect(alertsIn(capturedAuditEvents(), start)).toHaveLength(0);
      expect((await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await badToken(10)}` } })).status).toBe(401);
      await vi.waitFor(() => expect(receiver.received).toHaveLength(1), WAIT);
      // Cooldown: more failures in the same minute raise nothing more.
      for (let i = 11; i < 15; i++) await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await badToken(i)}` } });
      await vi.waitFor(() => expect(capturedAuditEvents().slice(start).filter((e) => e.type === 'authentication.failed')).toHaveLength(15), WAIT);

      const alerts = alertsIn(capturedAuditEvents(), start);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]).toMatchObject({ outcome: 'info', ip: expect.any(String), details: { count: 11, threshold: 10, windowSeconds: 60 } });
      expect(onAlert.filter((a) => a.reason === 'ALERT_AUTH_FAILURES_PER_IP')).toHaveLength(1);

      const [delivery] = receiver.received;
      expect(delivery!.headers['content-type']).toBe('application/json');
      expect(verifyWebhookSignature(delivery!.body, delivery!.headers['bastion-signature'] as string, SECRET)).toBe(true);
      expect(verifyWebhookSignature(delivery!.body, delivery!.headers['bastion-signature'] as string, 'x'.repeat(40))).toBe(false);
      const payload = JSON.parse(delivery!.body);
      expect(payload).toMatchObject({ id: delivery!.headers['bastion-delivery'], event: { type: 'alert.raised', reason: 'ALERT_AUTH_FAILURES_PER_IP' } });
      expect(delivery!.body).not.toMatch(/eyJ/);
      expect(receiver.received).toHaveLength(1);
    } finally {
      vi.useRealTimers();
      await running.close();
      await receiver.close();
    }
  });

  it('does not alert when the failures are spread over more than a minute', async () => {
    const running = await startApp(appModule({ jwt: issuer.options() }), adapter);
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date());
      const start = capturedAuditEvents().length;
      for (let i = 0; i < 11; i++) {
        await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await badToken(i)}` } });
        vi.setSystemTime(Date.now() + 7_000); // 11 over 77 s: never more than 10 in any minute
      }
      await vi.waitFor(() => expect(capturedAuditEvents().slice(start).filter((e) => e.type === 'authentication.failed')).toHaveLength(11), WAIT);
      expect(alertsIn(capturedAuditEvents(), start)).toHaveLength(0);
    } finally {
      vi.useRealTimers();
      await running.close();
    }
  });

  it('never waits for the webhook: with a hanging receiver every request is answered while the delivery is still open', async () => {
    const receiver = await startReceiver('hang');
    const running = await startApp(
      appModule({ jwt: issuer.options(), alerts: { webhook: { url: receiver.url, secret: SECRET, timeout: 60, retries: 0 } } }),
      adapter,
    );
    try {
      for (let i = 0; i < 11; i++) expect((await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await badToken(i)}` } })).status).toBe(401);
      await vi.waitFor(() => expect(receiver.received).toHaveLength(1), WAIT);
      const sender = running.app.get(AlertingService).webhook!;
      // The delivery is hanging (in flight, unanswered) while requests keep being served normally.
      for (let i = 0; i < 5; i++) expect((await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await issuer.sign()}` } })).status).toBe(200);
      expect((await fetch(`${running.url}/orders`, { headers: { authorization: `Bearer ${await badToken(99)}` } })).status).toBe(401);
      expect(sender.pending).toBe(1);
      expect(sender.delivered).toBe(0);
    } finally {
      await running.close();
      await receiver.close();
    }
  });
});
