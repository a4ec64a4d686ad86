import { Body, Controller, Get, Module, Param, Post, Put } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule, CurrentPrincipal, RequireScopes, configureBastion, type BastionOptions, type Principal } from '../../src/index.js';
import { TestSigner } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { recordSecret } from '../support/secrets.js';
import { rawRequest, type RawResponse } from '../transport/raw-request.js';

const WAIT = { timeout: 15_000, interval: 20 };

@Controller('svc')
class ServiceController {
  @Get('orders')
  @RequireScopes('orders:export')
  list(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, credential: p.credential, keyid: p.tokenId, scopes: [...p.scopes] };
  }

  @Get('orders/:id')
  @RequireScopes('orders:export')
  one(@Param('id') id: string) {
    return { id };
  }

  @Post('orders')
  @RequireScopes('orders:export')
  create(@Body() body: unknown) {
    return { received: body };
  }

  @Put('blob')
  @Authenticated()
  blob(@Body() body: Buffer) {
    return { bytes: Buffer.isBuffer(body) ? body.length : 0 };
  }
}

function appModule(options: BastionOptions) {
  @Module({ imports: [BastionModule.forRoot(options)], controllers: [ServiceController] })
  class AppModule {}
  return AppModule;
}

/** Records every signature header value (they must never reach a log). */
function remember(headers: Record<string, string | undefined>): void {
  for (const value of [headers.signature, headers['signature-input']]) if (value) recordSecret(value.slice(value.indexOf('=') + 1));
}

interface Outgoing {
  method: string;
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

/** Signs a request for `url`, lets `tamper` change what is actually sent, and sends it with exact bytes. */
async function signedCall(
  base: string,
  signer: TestSigner,
  init: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string> },
  overrides?: Parameters<TestSigner['sign']>[1],
  tamper?: (out: Outgoing) => void,
): Promise<RawResponse> {
  const method = init.method ?? 'GET';
  const path = init.path ?? '/svc/orders';
  const url = `${base}${path}`;
  const body = init.body === undefined ? undefined : Buffer.from(init.body);
  const headers: Record<string, string | string[]> = { ...init.headers };
  const added = signer.sign({ method, url, headers: init.headers, body }, overrides);
  remember(added as never);
  Object.assign(headers, added);
  const out: Outgoing = { method, path, headers, body };
  tamper?.(out);
  return rawRequest(base, { method: out.method, path: out.path, headers: out.headers as Record<string, string>, body: out.body });
}

const reasonOfRequest = (res: RawResponse) => capturedAuditEvents().find((e) => e.requestId === res.headers['x-request-id'] && e.outcome === 'failure');

describe.each(ADAPTERS)('RFC 9421 signed requests (%s)', (adapter) => {
  const worker = TestSigner.create({ keyid: 'worker-ed25519', owner: 'billing-worker', scopes: ['orders:export'] });
  const macClient = TestSigner.create({ alg: 'hmac-sha256', keyid: 'worker-hmac', owner: 'billing-worker', scopes: ['orders:export'] });
  const ecClient = TestSigner.create({ alg: 'ecdsa-p256-sha256', keyid: 'worker-p256', owner: 'reports', scopes: ['orders:export'] });
  recordSecret(String(macClient.apiKeySigningKey().key));
  const start = Date.now();
  const oldKey = worker.withKeyid('rotating-old');
  const newKey = worker.withKeyid('rotating-new');
  let app: RunningApp;

  beforeAll(async () => {
    app = await startApp(
      appModule({
        signature: {
          keys: [
            worker.keyOptions(),
            macClient.keyOptions(),
            ecClient.keyOptions(),
            oldKey.keyOptions({ notAfter: new Date(start + 60_000) }),
            newKey.keyOptions({ notBefore: new Date(start + 30_000) }),
          ],
          maxAge: 120,
        },
        contentTypes: ['application/json', 'text/plain', 'application/octet-stream'],
        bruteForce: { enabled: false },
        throttle: { enabled: false },
      }),
      adapter,
      (a) => configureBastion(a),
    );
  });
  afterAll(() => app?.close());
  afterEach(() => vi.useRealTimers());

  it('authenticates Ed25519, HMAC and P-256 signatures as the key owner with the key scopes', async () => {
    for (const signer of [worker, macClient, ecClient]) {
      const res = await signedCall(app.url, signer, {});
      expect(res.status, signer.alg).toBe(200);
      expect(JSON.parse(res.body)).toEqual({ subject: signer === ecClient ? 'reports' : 'billing-worker', credential: 'signature', keyid: signer.keyid, scopes: ['orders:export'] });
    }
  });

  it('verifies Content-Digest against the exact raw bytes: JSON, text, binary and empty bodies', async () => {
    const json = await signedCall(app.url, worker, { method: 'POST', body: '{"item":"tea","quantity":2}', headers: { 'content-type': 'application/json' } });
    expect(json.status).toBe(201);
    expect(JSON.parse(json.body)).toEqual({ received: { item: 'tea', quantity: 2 } });
    const binary = Buffer.from([0xff, 0x00, 0xfe, 0x80, 0x0a, 0x0d]);
    const blob = await signedCall(app.url, worker, { method: 'PUT', path: '/svc/blob', body: binary, headers: { 'content-type': 'application/octet-stream' } });
    expect(blob.status).toBe(200);
    expect(JSON.parse(blob.body)).toEqual({ bytes: 6 });
    const text = await signedCall(app.url, worker, { method: 'PUT', path: '/svc/blob', body: 'line one\r\nline two  ', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(200);
    const empty = await signedCall(app.url, worker, { method: 'PUT', path: '/svc/blob', body: '', headers: { 'content-type': 'text/plain' } });
    expect(empty.status).toBe(200);
    const none = await signedCall(app.url, worker, { method: 'PUT', path: '/svc/blob' });
    expect(none.status).toBe(200);
  });

  it('refuses a tampered method, path, query, authority, body or digest with the uniform 401', async () => {
    const body = '{"item":"tea","quantity":2}';
    const post = { method: 'POST', body, headers: { 'content-type': 'application/json' } };
    const cases: [string, Parameters<typeof signedCall>[2], (o: Outgoing) => void, string][] = [
      ['method', { path: '/svc/orders' }, (o) => (o.method = 'POST'), 'ERR_SIGNATURE_INVALID'],
      ['path', { path: '/svc/orders/1' }, (o) => (o.path = '/svc/orders/2'), 'ERR_SIGNATURE_INVALID'],
      ['query', { path: '/svc/orders?limit=10' }, (o) => (o.path = '/svc/orders?limit=1000'), 'ERR_SIGNATURE_INVALID'],
      ['authority', {}, (o) => (o.headers.host = 'other.example.com'), 'ERR_SIGNATURE_INVALID'],
      ['body', post, (o) => (o.body = Buffer.from(body.replace('2', '9'))), 'ERR_DIGEST_MISMATCH'],
      ['digest', post, (o) => ((o.body = Buffer.from(body.replace('2', '9'))), (o.headers['content-digest'] = `sha-256=:${createHash('sha256').update(o.body!).digest('base64')}:`)), 'ERR_SIGNATURE_INVALID'],
    ];
    for (const [what, init, tamper, reason] of cases) {
      const res = await signedCall(app.url, worker, init, undefined, tamper);
      expect(res.status, what).toBe(401);
      // A route that accepts only signatures asks for one (RFC 9421 §5.1), not for a Bearer token.
      expect(res.headers['www-authenticate'], what).toBeUndefined();
      expect(res.headers['accept-signature'], what).toBe(init.body ? 'sig1=("@method" "@target-uri" "content-digest");created' : 'sig1=("@method" "@target-uri");created');
      expect(JSON.parse(res.body).code, what).toBe('ERR_INVALID_TOKEN');
      expect(reasonOfRequest(res), what).toMatchObject({ type: 'signature.invalid', reason, claimed: { keyId: worker.keyid } });
    }
  });

  it('asks an anonymous caller for a signature (Accept-Signature), with no Bearer challenge', async () => {
    const get = await rawRequest(app.url, { method: 'GET', path: '/svc/orders', headers: {} });
    expect(get.status).toBe(401);
    expect(JSON.parse(get.body).code).toBe('ERR_UNAUTHENTICATED');
    expect(get.headers['www-authenticate']).toBeUndefined();
    expect(get.headers['accept-signature']).toBe('sig1=("@method" "@target-uri");created');
    // With a body, content-digest must be covered too (RFC 9421 §7.2.8).
    const post = await rawRequest(app.url, { method: 'POST', path: '/svc/orders', headers: { 'content-type': 'application/json' }, body: Buffer.from('{}') });
    expect(post.status).toBe(401);
    expect(post.headers['accept-signature']).toBe('sig1=("@method" "@target-uri" "content-digest");created');
  });

  it('refuses stale, future and expired signatures', async () => {
    const now = Math.floor(Date.now() / 1000);
    const cases: [Parameters<TestSigner['sign']>[1], string][] = [
      [{ created: now - 600 }, 'ERR_SIGNATURE_STALE'],
      [{ created: now + 600 }, 'ERR_SIGNATURE_FUTURE'],
      [{ created: now - 60, expires: now - 30 }, 'ERR_SIGNATURE_EXPIRED'],
    ];
    for (const [overrides, reason] of cases) {
      const res = await signedCall(app.url, worker, {}, overrides);
      expect(res.status, reason).toBe(401);
      expect(reasonOfRequest(res)?.reason).toBe(reason);
    }
  });

  it('refuses a replay with 401, a signature.replayed event and an alert', async () => {
    const headers = worker.sign({ method: 'GET', url: `${app.url}/svc/orders` });
    remember(headers as never);
    const first = await rawRequest(app.url, { method: 'GET', path: '/svc/orders', headers: headers as never });
    expect(first.status).toBe(200);
    const replay = await rawRequest(app.url, { method: 'GET', path: '/svc/orders', headers: headers as never });
    expect(replay.status).toBe(401);
    expect(reasonOfRequest(replay)).toMatchObject({ type: 'signature.replayed', reason: 'ERR_SIGNATURE_REPLAYED', claimed: { keyId: worker.keyid } });
    await vi.waitFor(() => {
      expect(capturedAuditEvents().some((e) => e.type === 'alert.raised' && e.reason === 'ALERT_REPLAY' && e.requestId === replay.headers['x-request-id'])).toBe(true);
    }, WAIT);
  });

  it('refuses unknown keys, and raises the per-key alert after repeated bad signatures', async () => {
    const stranger = TestSigner.create({ keyid: 'nobody' });
    const res = await signedCall(app.url, stranger, {});
    expect(res.status).toBe(401);
    expect(reasonOfRequest(res)?.reason).toBe('ERR_KEY_UNKNOWN');
    // Someone without the key, claiming it: six invalid signatures under worker-hmac within a minute.
    const forger = TestSigner.create({ alg: 'hmac-sha256', keyid: 'worker-hmac' });
    recordSecret(String(forger.apiKeySigningKey().key));
    for (let i = 0; i < 6; i++) expect((await signedCall(app.url, forger, {})).status).toBe(401);
    await vi.waitFor(() => {
      expect(capturedAuditEvents().some((e) => e.type === 'alert.raised' && e.reason === 'ALERT_SIGNATURE_FAILURES_PER_KEY' && e.details?.value === 'worker-hmac')).toBe(true);
    }, WAIT);
  });

  it('accepts a rotated key only inside its validity window', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: start + 1_000 });
    const first = await signedCall(app.url, oldKey, {});
    expect(first.status, JSON.stringify(reasonOfRequest(first))).toBe(200);
    const early = await signedCall(app.url, newKey, {});
    expect(early.status).toBe(401);
    expect(reasonOfRequest(early)?.reason).toBe('ERR_KEY_NOT_YET_VALID');
    vi.setSystemTime(start + 45_000);
    const both = await signedCall(app.url, oldKey, {});
    expect(both.status, JSON.stringify(reasonOfRequest(both))).toBe(200);
    expect((await signedCall(app.url, newKey, {})).status).toBe(200);
    vi.setSystemTime(start + 90_000);
    const late = await signedCall(app.url, oldKey, {});
    expect(late.status).toBe(401);
    expect(reasonOfRequest(late)?.reason).toBe('ERR_KEY_EXPIRED');
    expect((await signedCall(app.url, newKey, {})).status).toBe(200);
  });

  it('answers malformed signature fields with 400 invalid_request, never 5xx', async () => {
    const bad: Record<string, string>[] = [
      { 'signature-input': 'sig1=("@method"', signature: 'sig1=:AAAA:' },
      { 'signature-input': 'sig1=("@method");created=1;keyid="worker-ed25519"', signature: 'sig1=nope' },
      { signature: 'sig1=:AAAA:' },
      { 'signature-input': `sig1=("@method");created=1;keyid="${'k'.repeat(10_000)}"`, signature: 'sig1=:AAAA:' },
    ];
    for (const headers of bad) {
      const res = await rawRequest(app.url, { method: 'GET', path: '/svc/orders', headers });
      expect(res.status, JSON.stringify(headers).slice(0, 60)).toBe(400);
      expect(res.headers['www-authenticate']).toBeUndefined();
      expect(res.headers['accept-signature']).toBe('sig1=("@method" "@target-uri");created');
      expect(reasonOfRequest(res)).toMatchObject({ type: 'signature.invalid', reason: 'ERR_SIGNATURE_MALFORMED' });
    }
    const missingComponent = await signedCall(app.url, TestSigner.create({ keyid: 'x' }).withKeyid('worker-ed25519'), {}, undefined, (o) => (o.headers['signature-input'] = String(o.headers['signature-input']).replace('"@target-uri"', '"x-missing"')));
    expect(missingComponent.status).toBe(401);
  });
});

describe.each(ADAPTERS)('signatures behind a trusted proxy (%s)', (adapter) => {
  const worker = TestSigner.create({ keyid: 'proxied', owner: 'edge', scopes: ['orders:export'] });
  const apps: Record<string, RunningApp> = {};
  beforeAll(async () => {
    for (const [name, trustedProxies] of [['trusting', ['127.0.0.1', '::1']], ['untrusting', []]] as const) {
      apps[name] = await startApp(
        appModule({ signature: { keys: [worker.keyOptions()] }, trustedProxies: [...trustedProxies], https: { enforce: false }, bruteForce: { enabled: false } }),
        adapter,
        (a) => configureBastion(a),
      );
    }
  });
  afterAll(async () => {
    for (const a of Object.values(apps)) await a.close();
  });

  it('uses the proxy-reported scheme and host for @target-uri only when the proxy is trusted', async () => {
    const publicUrl = 'https://api.example.com/svc/orders';
    const signAndSend = async (app: RunningApp) => {
      const headers = { ...worker.sign({ method: 'GET', url: publicUrl }), 'x-forwarded-proto': 'https', 'x-forwarded-host': 'api.example.com' };
      remember(headers as never);
      return rawRequest(app.url, { method: 'GET', path: '/svc/orders', headers });
    };
    expect((await signAndSend(apps.trusting!)).status).toBe(200);
    const untrusted = await signAndSend(apps.untrusting!);
    expect(untrusted.status).toBe(401);
    expect(reasonOfRequest(untrusted)?.reason).toBe('ERR_SIGNATURE_INVALID');
  });
});
