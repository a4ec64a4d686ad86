import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemo, type Demo } from '../src/demo.js';
import { asCurl, signedRequest } from '../src/signed-request.js';

describe.each(['express', 'fastify'] as const)('orders-api demo (%s)', (adapter) => {
  let demo: Demo;
  let alice: string;
  let bob: string;
  const call = (path: string, token?: string, init: RequestInit = {}) =>
    fetch(`${demo.url}${path}`, {
      ...init,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(init.body ? { 'content-type': 'application/json' } : {}) },
    });

  beforeAll(async () => {
    demo = await startDemo({ adapter, logger: false });
    alice = await demo.issuer.sign({ sub: 'alice', scope: 'orders:read orders:write' });
    bob = await demo.issuer.sign({ sub: 'bob', scope: 'orders:read' });
  });
  afterAll(() => demo.close());

  it('serves the public route and denies anonymous callers elsewhere', async () => {
    expect((await call('/health')).status).toBe(200);
    const res = await call('/orders');
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="orders-api"');
  });

  it('lists only the caller’s own orders', async () => {
    const res = await call('/orders', alice);
    expect(res.status).toBe(200);
    const orders = (await res.json()) as { owner: string }[];
    expect(orders.length).toBeGreaterThan(0);
    expect(orders.every((o) => o.owner === 'alice')).toBe(true);
  });

  it('needs orders:write to create, and validates the body without echoing it', async () => {
    const denied = await call('/orders', bob, { method: 'POST', body: JSON.stringify({ item: 'tea', quantity: 1 }) });
    expect(denied.status).toBe(403);
    expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope", scope="orders:write"');
    const invalid = await call('/orders', alice, { method: 'POST', body: JSON.stringify({ item: 'tea', quantity: 0, note: 'zz-secret-zz' }) });
    expect(invalid.status).toBe(400);
    const problem = await invalid.text();
    expect(JSON.parse(problem).code).toBe('ERR_VALIDATION');
    expect(problem).not.toContain('zz-secret-zz');
    const created = await call('/orders', alice, { method: 'POST', body: JSON.stringify({ item: 'tea', quantity: 1 }) });
    expect(created.status).toBe(201);
  });

  it('hides other users’ orders behind the same 404 as a missing one (ownership policy)', async () => {
    const [order] = (await (await call('/orders', alice)).json()) as { id: string }[];
    expect((await call(`/orders/${order!.id}`, alice)).status).toBe(200);
    const foreign = await call(`/orders/${order!.id}`, bob);
    const missing = await call('/orders/00000000-0000-4000-8000-000000000000', bob);
    expect(foreign.status).toBe(404);
    expect(missing.status).toBe(404);
    const strip = (t: string) => t.replace(/"requestId":"[^"]+"/, '');
    expect(strip(await foreign.text())).toBe(strip(await missing.text()));
  });

  it('deletes only with the admin role', async () => {
    const [order] = (await (await call('/orders', alice)).json()) as { id: string }[];
    const res = await call(`/orders/${order!.id}`, alice, { method: 'DELETE' });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { code: string }).code).toBe('ERR_ROLE_MISSING');
  });

  it('keeps user tokens off the internal boundary, where the worker needs its API key and a signature together', async () => {
    expect((await call('/internal/orders/export', alice)).status).toBe(403);
    const keyAlone = await fetch(`${demo.url}/internal/orders/export`, { headers: { 'x-api-key': demo.worker.apiKey } });
    expect(keyAlone.status).toBe(401);
    const signed = await fetch(await signedRequest(demo.worker, 'GET', `${demo.url}/internal/orders/export`));
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ count: expect.any(Number) });
    // A signed request is good once: sending the same headers again is a replay.
    const once = await signedRequest(demo.worker, 'GET', `${demo.url}/internal/orders/export`);
    expect((await fetch(once.clone())).status).toBe(200);
    expect((await fetch(once)).status).toBe(401);
  });

  it('prints a working signed curl command', async () => {
    const command = await asCurl(await signedRequest(demo.worker, 'GET', `${demo.url}/internal/orders/export`));
    expect(command).toMatch(/^curl -i -X GET '.+\/internal\/orders\/export' /);
    expect(command).toContain("-H 'signature-input: sig1=(\"@method\" \"@target-uri\");created=");
    expect(command).toContain(`-H 'x-api-key: ${demo.worker.apiKey}'`);
  });

  it('rejects a tampered token with the uniform 401', async () => {
    const res = await call('/orders', `${alice}x`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('publishes each route’s scopes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${demo.url}/docs-json`)).json()) as { paths: Record<string, Record<string, { security?: unknown }>> };
    expect(doc.paths['/orders']!.get!.security).toEqual([{ bearer: ['orders:read'] }]);
    expect(doc.paths['/orders']!.post!.security).toEqual([{ bearer: ['orders:write'] }]);
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    expect(doc.paths['/internal/orders/export']!.get!.security).toEqual([{ apiKey: ['orders:export'], httpSignature: ['orders:export'] }]);
  });
});
