import { Controller, Get, Module, type LoggerService } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Authenticated, BastionModule, configureBastion, Public, RedactingLogger, RequireScopes, RevocationService, type BastionOptions, type SecurityEvent,
} from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { capturedAuditEvents, capturedLines, testLogger } from '../support/log-capture.js';
import { recordSecret } from '../support/secrets.js';

const DB_PASSWORD = recordSecret('db-password-Tr0ub4dor&3');

@Controller('a')
class AuditedController {
  @Get('mine')
  @Authenticated()
  mine() {
    return { ok: true };
  }

  @Get('write')
  @RequireScopes('orders:write')
  write() {
    return { ok: true };
  }

  @Get('open')
  @Public()
  open() {
    return { ok: true };
  }

  @Get('boom')
  @Public()
  boom(): never {
    throw new Error(`connect failed: postgres://app:${DB_PASSWORD}@db/orders password=${DB_PASSWORD}`);
  }
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [AuditedController] })
  class AppModule {}
  return AppModule;
}

/** Every audit event for the request that produced `res`. */
const eventsOf = (res: Response, events = capturedAuditEvents()) => events.filter((e) => e.requestId === res.headers.get('x-request-id'));
/** The rejection events (outcome failure/denied) for that request: a 403 also has its authentication success. */
const rejectionsOf = (res: Response) => eventsOf(res).filter((e) => e.outcome === 'failure' || e.outcome === 'denied');

describe.each(ADAPTERS)('audit log (%s)', (adapter) => {
  let issuer: TestIssuer;
  let stranger: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    stranger = await TestIssuer.start();
    running = await startApp(
      appModule({ jwt: issuer.options(), throttle: { anonymous: { limit: 12, ttl: 60_000 } }, audit: { successes: true } }),
      adapter,
      // The app's own logs go through redaction too.
      (app) => {
        app.useLogger(new RedactingLogger(testLogger()));
        configureBastion(app);
      },
    );
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
    await stranger.close();
  });

  const call = (path: string, token?: string) => fetch(`${running.url}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });

  it('writes one JSON line per event on stdout with the documented fields', async () => {
    const res = await call('/a/mine', await issuer.sign({ sub: 'alice', client_id: 'web' }));
    expect(res.status).toBe(200);
    const [event] = eventsOf(res);
    expect(Object.keys(event!).sort()).toEqual(['ip', 'method', 'outcome', 'principal', 'requestId', 'route', 'routeTemplate', 'time', 'type']);
    expect(event).toMatchObject({ type: 'authentication.succeeded', outcome: 'success', method: 'GET', route: '/a/mine', routeTemplate: '/a/mine', principal: { subject: 'alice', clientId: 'web', credential: 'jwt' } });
    expect(new Date(event!.time).toISOString()).toBe(event!.time);
    const line = capturedLines().find((l) => l.stream === 'stdout' && l.text.includes(res.headers.get('x-request-id')!));
    expect(line!.text.endsWith('}\n')).toBe(true);
    expect(line!.text.trim().split('\n')).toHaveLength(1);
  });

  it('every rejection path produces exactly one audit event with the precise reason', async () => {
    const now = Math.floor(Date.now() / 1000);
    const revokedJti = `revoked-${adapter}`;
    await running.app.get(RevocationService).revokeToken(revokedJti, now + 300);
    const cases: [string, () => Promise<Response>, number, Partial<SecurityEvent>][] = [
      ['no credential', () => call('/a/mine'), 401, { type: 'authentication.failed', reason: 'ERR_CREDENTIAL_MISSING' }],
      ['untrusted signature', async () => call('/a/mine', await stranger.sign({ iss: issuer.issuer, aud: issuer.audience }, { kid: issuer.kid() })), 401, { type: 'authentication.failed', reason: 'ERR_SIGNATURE_INVALID' }],
      ['expired', async () => call('/a/mine', await issuer.sign({ iat: now - 600, exp: now - 300 })), 401, { type: 'authentication.failed', reason: 'ERR_TOKEN_EXPIRED' }],
      ['garbage', () => call('/a/mine', 'not-a-jwt'), 401, { type: 'authentication.failed', reason: 'ERR_TOKEN_MALFORMED' }],
      ['revoked', async () => call('/a/mine', await issuer.sign({ jti: revokedJti })), 401, { type: 'authentication.failed', reason: 'ERR_TOKEN_REVOKED' }],
      ['too long-lived', async () => call('/a/mine', await issuer.sign({}, { expiresIn: 7200 })), 401, { type: 'authentication.failed', reason: 'ERR_TOKEN_LIFETIME' }],
      ['missing scope', async () => call('/a/write', await issuer.sign({ scope: 'orders:read' })), 403, { type: 'authorization.denied', outcome: 'denied' }],
    ];
    for (const [name, send, status, expected] of cases) {
      const res = await send();
      expect(res.status, name).toBe(status);
      const events = rejectionsOf(res);
      expect(events, name).toHaveLength(1);
      expect(events[0], name).toMatchObject(expected);
      expect(events[0]!.reason, name).toMatch(/^ERR_[A-Z_]+$/);
    }
  });

  it('never writes credentials into events; the app\'s own error logs are redacted by RedactingLogger', async () => {
    const token = await issuer.sign({ sub: 'mallory' });
    await call('/a/mine', `${token}x`);
    const res = await call('/a/boom');
    expect(res.status).toBe(500);
    const all = capturedLines().map((l) => l.text).join('');
    expect(all).not.toContain(token);
    expect(all).not.toContain(DB_PASSWORD);
    expect(all).toContain('password=[REDACTED]');
  });

  it('the throttled path (429) produces exactly one event', async () => {
    let throttled: Response | undefined;
    for (let i = 0; i < 20 && !throttled; i++) {
      const res = await call('/a/open');
      if (res.status === 429) throttled = res;
    }
    expect(throttled).toBeDefined();
    const events = rejectionsOf(throttled!);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'request.throttled', outcome: 'denied', reason: 'ERR_RATE_LIMITED' });
  });
});

describe('audit sinks', () => {
  let issuer: TestIssuer;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
  });
  afterAll(() => issuer.close());

  async function eventsWith(audit: BastionOptions['audit'], token?: string) {
    const running = await startApp(appModule({ jwt: issuer.options(), audit }), 'express');
    try {
      const res = await fetch(`${running.url}/a/mine`, { headers: { authorization: `Bearer ${token ?? 'bad'}` } });
      return res;
    } finally {
      await running.close();
    }
  }

  it('a user function receives redacted events, and nothing goes to stdout', async () => {
    const seen: SecurityEvent[] = [];
    const pii = await issuer.sign({ sub: 'someone@example.com' });
    const res = await eventsWith({ sink: (e) => void seen.push(e), redaction: { pii: true } }, `${pii}x`);
    const mine = seen.filter((e) => e.requestId === res.headers.get('x-request-id'));
    expect(mine).toHaveLength(1);
    expect(JSON.stringify(mine)).not.toContain('someone@example.com');
    expect(eventsOf(res)).toEqual([]);
  });

  it('a LoggerService receives one JSON line per event', async () => {
    const lines: string[] = [];
    const logger: LoggerService = { log: (m: string) => void lines.push(m), error: () => {}, warn: () => {} };
    const res = await eventsWith({ sink: logger });
    const mine = lines.map((l) => JSON.parse(l)).filter((e) => e.requestId === res.headers.get('x-request-id'));
    expect(mine).toEqual([expect.objectContaining({ type: 'authentication.failed', reason: 'ERR_TOKEN_MALFORMED' })]);
  });

  it("'logger' routes events through Nest's Logger (context BastionAudit); false disables the log", async () => {
    const viaLogger = await eventsWith({ sink: 'logger' });
    expect(eventsOf(viaLogger)).toEqual([]);
    expect(capturedLines().some((l) => l.text.includes('[BastionAudit]') && l.text.includes(viaLogger.headers.get('x-request-id')!))).toBe(true);
    const off = await eventsWith({ sink: false });
    expect(capturedLines().some((l) => l.text.includes(off.headers.get('x-request-id')!) && l.text.includes('authentication.failed'))).toBe(false);
  });

  it("Bastion's own error log is redacted even when the app's logger is not", async () => {
    const running = await startApp(appModule({ jwt: issuer.options() }), 'fastify');
    try {
      const res = await fetch(`${running.url}/a/boom`);
      expect(res.status).toBe(500);
      const line = capturedLines().find((l) => l.text.includes(`requestId=${res.headers.get('x-request-id')}`));
      expect(line).toBeDefined();
      const all = capturedLines().map((l) => l.text).join('');
      expect(all).toContain('postgres://app:[REDACTED]@db/orders');
      expect(all).not.toContain(DB_PASSWORD);
    } finally {
      await running.close();
    }
  });

  it('refuses bad audit options at boot, naming the option', () => {
    expect(() => BastionModule.forRoot({ audit: { sink: 'file' as never } })).toThrow(/"audit.sink"/);
    expect(() => BastionModule.forRoot({ audit: { redaction: { patterns: [/x/] } } })).toThrow(/"audit.redaction.patterns"/);
    expect(() => BastionModule.forRoot({ alerts: { webhook: { url: 'http://hooks.example.com/x', secret: 'x'.repeat(40) } } })).toThrow(/"alerts.webhook.url"/);
    expect(() => BastionModule.forRoot({ alerts: { webhook: { url: 'https://hooks.example.com/x', secret: 'short' } } })).toThrow(/"alerts.webhook.secret"/);
    expect(() => BastionModule.forRoot({ tokens: { maxLifetime: -1 } })).toThrow(/"tokens.maxLifetime"/);
  });
});
