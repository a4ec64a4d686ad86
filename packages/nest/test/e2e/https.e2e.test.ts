import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';
import { rawProblemInvariants, rawRequest } from '../transport/raw-request.js';

// The proxy is 127.0.0.1; 127.0.0.2 plays an untrusted client on the network (Linux routes all of 127/8).
const PROXY = '127.0.0.1';
const CLIENT = '127.0.0.2';

describe.each(ADAPTERS)('HTTPS enforcement (%s)', (adapter) => {
  let running: RunningApp;
  let redirecting: RunningApp;
  let disabled: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule({ trustedProxies: [PROXY] }), adapter, configureBastion);
    redirecting = await startApp(hardeningModule({ trustedProxies: [PROXY], https: { redirectTo: 'https://api.example.com' } }), adapter, configureBastion);
    disabled = await startApp(hardeningModule({ trustedProxies: [PROXY], https: { enforce: false } }), adapter, configureBastion);
  });
  afterAll(async () => {
    await running.close();
    await redirecting.close();
    await disabled.close();
  });

  const get = (app: RunningApp, from: string, headers: Record<string, string> = {}, method = 'GET') =>
    rawRequest(`${app.url}/h/ok?x=1`, { method, localAddress: from, headers });

  it('allows local loopback traffic without forwarding headers', async () => {
    const res = await get(running, PROXY);
    expect(res.status).toBe(200);
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=/);
  });

  it('allows plain HTTP that a trusted proxy reports as https', async () => {
    expect((await get(running, PROXY, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.9' })).status).toBe(200);
  });

  it.each([
    ['a trusted proxy reporting http', PROXY, { 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.9' }],
    ['a trusted proxy forwarding without a protocol', PROXY, { 'x-forwarded-for': '203.0.113.9' }],
    ['an untrusted peer', CLIENT, {}],
    ['an untrusted peer claiming https', CLIENT, { 'x-forwarded-proto': 'https' }],
  ])('rejects plain HTTP from %s with 403 ERR_HTTPS_REQUIRED and HSTS', async (_name, from, headers) => {
    const res = await get(running, from, headers as Record<string, string>);
    expect(res.status).toBe(403);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect(JSON.parse(res.body).code).toBe('ERR_HTTPS_REQUIRED');
    expect(res.headers['strict-transport-security']).toMatch(/^max-age=\d+; includeSubDomains/);
  });

  it('redirects GET to the configured https origin with 308, never trusting Host, and still rejects POST', async () => {
    const res = await get(redirecting, CLIENT, { host: 'evil.example' });
    expect(res.status).toBe(308);
    expect(res.headers['location']).toBe('https://api.example.com/h/ok?x=1');
    const post = await rawRequest(`${redirecting.url}/h/echo`, { localAddress: CLIENT, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(403);
  });

  it('can be turned off (TLS terminated by something Bastion cannot see)', async () => {
    expect((await get(disabled, CLIENT)).status).toBe(200);
  });
});
