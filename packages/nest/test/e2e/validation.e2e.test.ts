import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';

const SECRET_VALUE = 'canary-7f3a9c-do-not-echo';

describe.each(ADAPTERS)('strict validation (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule(), adapter, configureBastion);
  });
  afterAll(() => running.close());

  const postOrder = async (body: unknown) => {
    const res = await fetch(`${running.url}/h/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { res, text: await res.text() };
  };

  it('accepts a valid DTO and hands the handler an instance', async () => {
    const { res, text } = await postOrder({ name: 'book', quantity: 2 });
    expect(res.status).toBe(201);
    expect(JSON.parse(text)).toEqual({ name: 'book', quantity: 2, instance: true });
  });

  it('rejects an unknown field with 400 ERR_VALIDATION, naming the field but never echoing its value', async () => {
    const { res, text } = await postOrder({ name: 'book', isAdmin: SECRET_VALUE });
    expect(res.status).toBe(400);
    expect(problemInvariants(res, text)).toEqual([]);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ status: 400, code: 'ERR_VALIDATION', errors: [{ field: 'isAdmin', constraint: 'whitelistValidation' }] });
    expect(text).not.toContain(SECRET_VALUE);
  });

  it('does not convert types implicitly: a numeric string is not a number', async () => {
    const { res, text } = await postOrder({ name: 'book', quantity: '2' });
    expect(res.status).toBe(400);
    expect(JSON.parse(text).errors).toEqual(expect.arrayContaining([{ field: 'quantity', constraint: 'isInt' }]));
  });

  it.each([
    [{ name: { $ne: null } }],
    [{ name: ['a'] }],
    [{ name: 123 }],
    [{ name: SECRET_VALUE, role: 'superuser' }],
    [[{ name: 'a' }]],
    [{ name: 'a', items: [{ name: SECRET_VALUE, extra: 1 }] }],
  ])('rejects %j with field errors and no echo', async (body) => {
    const { res, text } = await postOrder(body);
    expect(res.status).toBe(400);
    expect(problemInvariants(res, text)).toEqual([]);
    const doc = JSON.parse(text);
    expect(doc.code).toBe('ERR_VALIDATION');
    expect(Array.isArray(doc.errors) && doc.errors.length > 0).toBe(true);
    for (const e of doc.errors) expect(Object.keys(e).sort()).toEqual(['constraint', 'field']);
    expect(text).not.toContain(SECRET_VALUE);
    expect(text).not.toContain('superuser');
  });

  it('reports nested fields with dotted paths', async () => {
    const { text } = await postOrder({ name: 'a', items: [{ name: 'ok' }, { name: 5 }] });
    expect(JSON.parse(text).errors).toEqual(expect.arrayContaining([{ field: 'items.1.name', constraint: 'isString' }]));
  });

  it('validates headers with @ValidatedHeaders(Dto)', async () => {
    const tenant = randomUUID();
    const ok = await fetch(`${running.url}/h/tenant`, { headers: { 'x-tenant-id': tenant } });
    expect(ok.status).toBe(200);
    const okBody = JSON.parse(await ok.text());
    expect(okBody.tenant).toBe(tenant);
    // Undeclared headers are stripped, not passed through.
    expect(okBody.keys).toEqual(['xTenantId']);
    const bad = await fetch(`${running.url}/h/tenant`, { headers: { 'x-tenant-id': SECRET_VALUE } });
    const badText = await bad.text();
    expect(bad.status).toBe(400);
    expect(JSON.parse(badText)).toMatchObject({ code: 'ERR_VALIDATION', errors: [{ field: 'xTenantId', constraint: 'isUuid' }] });
    expect(badText).not.toContain(SECRET_VALUE);
    expect((await fetch(`${running.url}/h/tenant`)).status).toBe(400);
  });

  it('validates the query with @ValidatedQuery(Dto): explicit conversion, unknown parameters refused', async () => {
    const ok = await fetch(`${running.url}/h/page?limit=10`);
    expect(ok.status).toBe(200);
    expect(JSON.parse(await ok.text())).toEqual({ limit: 10, typeofLimit: 'number' });
    for (const q of ['limit=0', 'limit=abc', 'limit=10&debug=1', 'limit=1&limit=2', '']) {
      const res = await fetch(`${running.url}/h/page?${q}`);
      const text = await res.text();
      expect(res.status, q).toBe(400);
      expect(JSON.parse(text).code).toBe('ERR_VALIDATION');
    }
  });
});
