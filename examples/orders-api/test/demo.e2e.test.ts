import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BASTION_METRICS, type MetricDefinition } from '@bastion/nest';
import { prometheusFamily } from '../../../packages/nest/test/support/prometheus-names.js';
import { startDemo, type Demo } from '../src/demo.js';
import { asCurl, signedRequest } from '../src/signed-request.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { security?: Record<string, string[]>[] }>>; components?: { securitySchemes?: Record<string, { type: string }> } };

/**
 * What the OpenAPI JSON schema cannot express (OpenAPI 3.0 §4.7.30): every requirement names a declared
 * scheme, and lists scopes only for oauth2/openIdConnect schemes.
 */
function securityProblems(doc: Doc): string[] {
  const schemes = doc.components?.securitySchemes ?? {};
  const problems: string[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      for (const requirement of operation.security ?? []) {
        for (const [name, scopes] of Object.entries(requirement)) {
          const type = schemes[name]?.type;
          if (!type) problems.push(`${method} ${path}: undeclared scheme ${name}`);
          else if (scopes.length > 0 && type !== 'oauth2' && type !== 'openIdConnect') problems.push(`${method} ${path}: scopes on ${type} scheme ${name}`);
        }
      }
    }
  }
  return problems;
}

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
    // The internal boundary asks for what it accepts (the key and a signature), not for a Bearer token.
    expect(keyAlone.headers.get('www-authenticate')).toBe('ApiKey realm="orders-api"');
    expect(keyAlone.headers.get('accept-signature')).toBe('sig1=("@method" "@target-uri");created');
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

  it('publishes each route’s scopes on the issuer’s openIdConnect scheme in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${demo.url}/docs-json`)).json()) as Doc;
    expect(doc.paths['/orders']!.get!.security).toEqual([{ oidc: ['orders:read'] }]);
    expect(doc.paths['/orders']!.post!.security).toEqual([{ oidc: ['orders:write'] }]);
    expect(doc.paths['/health']!.get!.security).toEqual([]);
    // The internal boundary: an API key and a signature made with its signing key, both in one requirement.
    expect(doc.paths['/internal/orders/export']!.get!.security).toEqual([{ apiKey: [], httpSignature: [] }]);
    expect(doc.components?.securitySchemes).toEqual({
      oidc: expect.objectContaining({ type: 'openIdConnect', openIdConnectUrl: `${demo.issuer.issuer}/.well-known/openid-configuration` }),
      apiKey: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'x-api-key' }),
      httpSignature: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'Signature' }),
    });
  });

  it('serves an OpenAPI document that validates (JSON schema, and scopes only on oauth2/openIdConnect schemes)', async () => {
    const doc = (await (await fetch(`${demo.url}/docs-json`)).json()) as Doc;
    const result = await new Validator().validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(securityProblems(doc)).toEqual([]);
    // The checks bite: the document Bastion 0.1 produced (scopes on an http bearer scheme) fails them.
    const old = structuredClone(doc);
    old.components = { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } as never } };
    old.paths['/orders']!.get!.security = [{ bearer: ['orders:read'] }];
    expect(securityProblems(old)).toContain('get /orders: scopes on http scheme bearer');
    const broken = structuredClone(doc);
    broken.components = { securitySchemes: { oidc: { type: 'openIdConnect' } } };
    expect((await new Validator().validate(broken as never)).valid).toBe(false);
  });

  it('serves Prometheus metrics on their own port, not on the API, and they count a rejected request', async () => {
    const scrape = async () => {
      const res = await fetch(demo.metricsUrl);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      return res.text();
    };
    const missing = (text: string) => sampleValue(text, 'bastion_authentication_attempts_total', { bastion_reason: 'ERR_CREDENTIAL_MISSING', http_route: '/orders', http_request_method: 'GET' });
    const before = await scrape();
    expect(before).toMatch(/^# HELP bastion_authentication_attempts_total /m);
    expect(before).toMatch(/^# TYPE bastion_authentication_attempts_total counter$/m);
    expect((await call('/orders')).status).toBe(401);
    const after = await scrape();
    expect(missing(after)).toBe(missing(before) + 1);
    expect(after).toMatch(/^# TYPE bastion_verification_duration histogram$/m);
    // Every Bastion family the exporter writes is named as the dashboard expects it (derived from the definitions).
    const families = [...after.matchAll(/^# TYPE (bastion_\w+) /gm)].map((m) => m[1]);
    const expected = new Set(Object.values(BASTION_METRICS).map((d: MetricDefinition) => prometheusFamily(d)));
    expect(families.length).toBeGreaterThan(5);
    for (const family of families) expect(expected.has(family!), family).toBe(true);
    expect((await call('/metrics')).status).toBe(404);
  });

  it('answers the readiness probe with the state of the issuer and the store', async () => {
    const res = await call('/health/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { info: { bastion: { status: string; issuers: Record<string, { keySet: { status: string } }> } } };
    expect(body.info.bastion).toMatchObject({ status: 'up', stores: { counters: { status: 'up', type: 'memory' }, security: { status: 'up', type: 'memory' } } });
    expect(body.info.bastion.issuers[demo.issuer.issuer]!.keySet.status).toBe('up');
  });
});

/** The value of one sample in Prometheus text format whose labels include `labels` (0 when absent). */
function sampleValue(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? ([^ ]+)/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return 0;
}
