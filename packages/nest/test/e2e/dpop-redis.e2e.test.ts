import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion, type BastionOptions } from '../../src/index.js';
import { TestDpopClient, TestIssuer } from '../../src/testing/index.js';
import { auditOf, dpopModule } from '../authentication/dpop/fixture-app.js';
import { ADAPTERS, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { startTestRedis } from '../support/redis.js';

const redis = await startTestRedis();
afterAll(() => redis?.stop());

const other = (adapter: AdapterName): AdapterName => (adapter === 'express' ? 'fastify' : 'express');
// Both instances serve one public origin, as behind a load balancer: proofs name it, not each instance's port.
const ORIGIN = 'https://api.example.com';

describe.runIf(redis).each(ADAPTERS)('DPoP replay and nonces shared by two instances on one Redis (%s + the other adapter)', (adapter) => {
  let issuer: TestIssuer;
  let a: RunningApp;
  let b: RunningApp;
  let auditA: ReturnType<typeof auditOf>;
  let auditB: ReturnType<typeof auditOf>;
  let client: TestDpopClient;
  let token: string;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const keyPrefix = `dpop:${randomUUID()}:`;
    const options = (nonce: boolean): BastionOptions => ({ jwt: issuer.options(), dpop: { origins: [ORIGIN], nonce }, store: { type: 'redis', url: redis!.url, keyPrefix } });
    a = await startApp(dpopModule(options(false)), adapter, configureBastion);
    b = await startApp(dpopModule(options(false)), other(adapter), configureBastion);
    auditA = auditOf(a);
    auditB = auditOf(b);
    client = await TestDpopClient.create();
    token = await issuer.signDpopBound(client, { sub: 'alice' });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await issuer?.close();
  });

  it('refuses on one instance a proof already used on the other', async () => {
    const headers = await client.headers('GET', `${ORIGIN}/me`, token);
    expect((await fetch(`${a.url}/me`, { headers })).status).toBe(200);
    const replay = await fetch(`${b.url}/me`, { headers });
    expect(replay.status).toBe(401);
    expect(auditB.reasonOf(replay)).toBe('ERR_DPOP_REPLAYED');
    // A fresh proof still works on either.
    expect((await fetch(`${b.url}/me`, { headers: await client.headers('GET', `${ORIGIN}/me`, token) })).status).toBe(200);
  });

  it('refuses every DPoP request (fail closed) while Redis is down, and works again when it is back', async () => {
    await redis!.stop();
    try {
      const res = await fetch(`${a.url}/me`, { headers: await client.headers('GET', `${ORIGIN}/me`, token) });
      expect(res.status).toBe(401);
      expect(auditA.reasonOf(res)).toBe('ERR_DPOP_REPLAY_UNAVAILABLE');
    } finally {
      await redis!.start();
    }
    await expect.poll(async () => (await fetch(`${a.url}/me`, { headers: await client.headers('GET', `${ORIGIN}/me`, token) })).status, { timeout: 20_000 }).toBe(200);
  });
});

describe.runIf(redis)('DPoP nonces shared by two instances on one Redis', () => {
  let issuer: TestIssuer;
  let a: RunningApp;
  let b: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    const options: BastionOptions = { jwt: issuer.options(), dpop: { origins: [ORIGIN], nonce: true }, store: { type: 'redis', url: redis!.url, keyPrefix: `dpop:${randomUUID()}:` } };
    a = await startApp(dpopModule(options), 'express', configureBastion);
    b = await startApp(dpopModule(options), 'fastify', configureBastion);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await issuer?.close();
  });

  it('accepts on one instance the nonce the other handed out', async () => {
    const client = await TestDpopClient.create();
    const token = await issuer.signDpopBound(client, { sub: 'alice' });
    const challenge = await fetch(`${a.url}/me`, { headers: await client.headers('GET', `${ORIGIN}/me`, token) });
    expect(challenge.status).toBe(401);
    const nonce = challenge.headers.get('dpop-nonce')!;
    const res = await fetch(`${b.url}/me`, { headers: await client.headers('GET', `${ORIGIN}/me`, token, { nonce }) });
    expect(res.status).toBe(200);
  });
});
