import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configureBastion, DpopSigner, RevocationService, type BastionOptions } from '../../src/index.js';
import { BruteForceService } from '../../src/throttling/brute-force.service.js';
import { TestDpopClient, TestIssuer } from '../../src/testing/index.js';
import { auditOf, BillingController, dpopModule, DpopController, PaymentsController } from '../authentication/dpop/fixture-app.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { rawRequest } from '../transport/raw-request.js';

const ALGS = 'ES256 ES384 PS256 RS256 EdDSA';

describe.each(ADAPTERS)('DPoP modes and challenges (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  let client: TestDpopClient;
  let bound: string;
  let bearer: string;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const options: BastionOptions = {
      jwt: issuer.options(),
      dpop: {},
      boundaries: { payments: { accept: ['jwt', 'dpop'], dpop: 'required' }, billing: { accept: ['jwt', 'dpop'], clients: ['billing'] } },
    };
    running = await startApp(dpopModule(options, [DpopController, PaymentsController, BillingController]), adapter, configureBastion);
    audit = auditOf(running);
    client = await TestDpopClient.create();
    bound = await issuer.signDpopBound(client, { sub: 'alice' });
    bearer = await issuer.sign({ sub: 'bob' });
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  const withBearer = (path: string, token: string, method = 'GET') => fetch(`${running.url}${path}`, { method, headers: { authorization: `Bearer ${token}` } });
  const withDpop = async (path: string, method = 'GET', token = bound) => fetch(`${running.url}${path}`, { method, headers: await client.headers(method, `${running.url}${path}`, token) });

  it('offers Bearer and DPoP (with algs) to a request without credentials, no error (RFC 9449 §7.2)', async () => {
    const res = await fetch(`${running.url}/me`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="api", DPoP realm="api", algs="${ALGS}"`);
  });

  it('takes plain bearer tokens on an allowed route', async () => {
    expect((await withBearer('/me', bearer)).status).toBe(200);
  });

  it('always refuses a DPoP-bound token sent as Bearer (§7.2), on every route', async () => {
    for (const path of ['/me', '/legacy', '/open']) {
      const res = await withBearer(path, bound);
      expect(res.status).toBe(401);
      expect(audit.reasonOf(res)).toBe('ERR_DPOP_BOUND_AS_BEARER');
    }
    expect((await withBearer('/me', bound)).headers.get('www-authenticate')).toBe(`Bearer realm="api", error="invalid_token", DPoP realm="api", algs="${ALGS}"`);
  });

  it('refuses a bearer token on a DPoP-required route with a DPoP-only challenge, and takes DPoP there', async () => {
    const res = await withBearer('/pay', bearer, 'POST');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe(`DPoP realm="api", error="invalid_token", algs="${ALGS}"`);
    expect(audit.reasonOf(res)).toBe('ERR_DPOP_REQUIRED');
    const anonymous = await fetch(`${running.url}/pay`, { method: 'POST' });
    expect(anonymous.headers.get('www-authenticate')).toBe(`DPoP realm="api", algs="${ALGS}"`);
    const ok = await withDpop('/pay', 'POST');
    expect(ok.status).toBe(201);
    expect(await ok.json()).toEqual({ paidBy: 'alice', credential: 'dpop' });
  });

  it('applies the mode of a boundary (boundaries.payments.dpop: required)', async () => {
    const res = await withBearer('/payments', bearer);
    expect(res.status).toBe(401);
    expect(audit.reasonOf(res)).toBe('ERR_DPOP_REQUIRED');
    expect((await withDpop('/payments')).status).toBe(200);
  });

  it('treats a DPoP token like any token: its sub never passes for a client, and subject revocation applies', async () => {
    const userNamedBilling = await issuer.signDpopBound(client, { sub: 'billing' });
    const res = await withDpop('/billing', 'GET', userNamedBilling);
    expect(res.status).toBe(403);
    expect(audit.reasonOf(res)).toBe('ERR_BOUNDARY_DENIED');
    expect((await withDpop('/billing', 'GET', await issuer.signDpopBound(client, { sub: 'carol', client_id: 'billing' }))).status).toBe(200);
    const dave = await issuer.signDpopBound(client, { sub: 'dave', iat: Math.floor(Date.now() / 1000) - 10 });
    expect((await withDpop('/me', 'GET', dave)).status).toBe(200);
    await running.app.get(RevocationService).revokeSubject('dave');
    const revoked = await withDpop('/me', 'GET', dave);
    expect(revoked.status).toBe(401);
    expect(audit.reasonOf(revoked)).toBe('ERR_TOKEN_REVOKED');
    const tooLong = await withDpop('/me', 'GET', await issuer.signDpopBound(client, { sub: 'erin' }, { expiresIn: 7200 }));
    expect(tooLong.status).toBe(401);
    expect(audit.reasonOf(tooLong)).toBe('ERR_TOKEN_LIFETIME');
  });

  it('refuses DPoP on a disabled route and offers Bearer only', async () => {
    const res = await withDpop('/legacy');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="api", error="invalid_token"');
    expect(audit.reasonOf(res)).toBe('ERR_DPOP_DISABLED');
    expect((await withBearer('/legacy', bearer)).status).toBe(200);
  });

  it('answers a DPoP principal without the scope with insufficient_scope on the DPoP challenge', async () => {
    const res = await withDpop('/orders');
    expect(res.status).toBe(403);
    expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="api", DPoP realm="api", error="insufficient_scope", scope="orders:read", algs="${ALGS}"`);
  });

  it('refuses a request carrying both schemes with 400 invalid_request on both challenges (§7.2 example)', async () => {
    const { dpop } = await client.headers('GET', `${running.url}/me`, bound);
    const both = await rawRequest(`${running.url}/me`, { method: 'GET', headers: { authorization: [`Bearer ${bearer}`, `DPoP ${bound}`], dpop } });
    expect(both.status).toBe(400);
    expect(both.headers['www-authenticate']).toBe(`Bearer realm="api", error="invalid_request", DPoP realm="api", error="invalid_request", algs="${ALGS}"`);
    expect(audit.reasonOf({ headers: both.headers })).toBe('ERR_MULTIPLE_CREDENTIALS');
  });
});

describe.each(ADAPTERS)('DPoP server nonces (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  let audit: ReturnType<typeof auditOf>;
  let client: TestDpopClient;
  let token: string;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const bruteForce = { maxFailures: 3, windowMs: 60_000 };
    running = await startApp(dpopModule({ jwt: issuer.options(), dpop: { nonce: { rotation: 60 }, algorithms: ['ES256'] }, bruteForce }), adapter, configureBastion);
    audit = auditOf(running);
    client = await TestDpopClient.create();
    token = await issuer.signDpopBound(client, { sub: 'alice' });
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  it('asks for a nonce (401 use_dpop_nonce + DPoP-Nonce), then accepts the proof that carries it', async () => {
    const url = `${running.url}/me`;
    const first = await fetch(url, { headers: await client.headers('GET', url, token) });
    expect(first.status).toBe(401);
    expect(first.headers.get('www-authenticate')).toBe('Bearer realm="api", DPoP realm="api", error="use_dpop_nonce", algs="ES256"');
    const nonce = first.headers.get('dpop-nonce');
    expect(nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(((await first.json()) as { code: string }).code).toBe('ERR_DPOP_NONCE_REQUIRED');
    expect(audit.reasonOf(first)).toBe('ERR_DPOP_NONCE_REQUIRED');
    const second = await fetch(url, { headers: await client.headers('GET', url, token, { nonce: nonce! }) });
    expect(second.status).toBe(200);
    const wrong = await fetch(url, { headers: await client.headers('GET', url, token, { nonce: 'made-up-nonce' }) });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('dpop-nonce')).toBe(nonce);
  });

  it('does not count nonce challenges as failed authentications (no IP block, no alert)', async () => {
    const url = `${running.url}/me`;
    for (let i = 0; i < 12; i++) expect((await fetch(url, { headers: await client.headers('GET', url, token) })).status).toBe(401);
    await running.app.get(BruteForceService).settled();
    const nonce = (await fetch(url, { headers: await client.headers('GET', url, token) })).headers.get('dpop-nonce')!;
    expect((await fetch(url, { headers: await client.headers('GET', url, token, { nonce }) })).status).toBe(200);
    expect(audit.events.filter((e) => e.type === 'client.blocked' || e.type === 'alert.raised')).toEqual([]);
  });

  it('is handled by DpopSigner.fetch: one call, one retry with the nonce, then the nonce is reused', async () => {
    const signer = await DpopSigner.generate();
    const signerToken = await issuer.signDpopBound(signer, { sub: 'carol' });
    const seen: number[] = [];
    const counting: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      seen.push(res.status);
      return res;
    };
    const res = await signer.fetch(`${running.url}/me`, { accessToken: signerToken, fetch: counting });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ subject: 'carol', credential: 'dpop' });
    expect(seen).toEqual([401, 200]);
    expect((await signer.fetch(`${running.url}/me`, { accessToken: signerToken, fetch: counting })).status).toBe(200);
    expect(seen).toEqual([401, 200, 200]);
  });

  it('sends the current nonce with a successful response when the proof carried the previous one (RFC 9449 §8.2), so an active client never meets the nonce challenge again', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      // The start of a rotation period (60 s), so each step below lands in the next one.
      const start = Math.floor(Date.now() / 60_000) * 60_000 + 1_000;
      vi.setSystemTime(start);
      const signer = await DpopSigner.generate();
      const signerToken = await issuer.signDpopBound(signer, { sub: 'dave' }, { expiresIn: 3600 });
      const seen: { status: number; nonce: string | null }[] = [];
      const counting: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        seen.push({ status: res.status, nonce: res.headers.get('dpop-nonce') });
        return res;
      };
      const call = async () => (await signer.fetch(`${running.url}/me`, { accessToken: signerToken, fetch: counting })).status;
      expect(await call()).toBe(200);
      expect(seen.map((s) => s.status)).toEqual([401, 200]);
      const first = seen[0]!.nonce!;
      // The proof carried the current nonce: nothing new to hand out.
      expect(seen[1]!.nonce).toBeNull();
      vi.setSystemTime(start + 60_000);
      expect(await call()).toBe(200);
      const second = seen[2]!.nonce;
      expect(second).toMatch(/^[A-Za-z0-9_-]{32}$/);
      expect(second).not.toBe(first);
      // Two periods on, the first nonce is refused; the client already holds the second one (now the previous).
      vi.setSystemTime(start + 120_000);
      expect(await call()).toBe(200);
      expect(seen.map((s) => s.status)).toEqual([401, 200, 200, 200]);
      expect(seen[3]!.nonce).not.toBe(second);
      const stale = await fetch(`${running.url}/me`, { headers: await client.headers('GET', `${running.url}/me`, token, { nonce: first }) });
      expect(stale.status).toBe(401);
      expect(audit.reasonOf(stale)).toBe('ERR_DPOP_NONCE_REQUIRED');
    } finally {
      vi.useRealTimers();
    }
  });
});
