import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';

describe.each(ADAPTERS)('query strings (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule(), adapter, configureBastion);
  });
  afterAll(() => running.close());

  const get = async (path: string) => {
    const res = await fetch(`${running.url}${path}`);
    return { res, body: await res.text() };
  };

  it('parses a normal query flat', async () => {
    const { res, body } = await get('/h/query?a=1&b=two&b=three&c[d]=x');
    expect(res.status).toBe(200);
    expect(JSON.parse(body).keys.sort()).toEqual(['a', 'b', 'c[d]']);
  });

  it.each([
    '?__proto__[isAdmin]=true',
    '?constructor[prototype][isAdmin]=true',
    '?__proto__.isAdmin=true',
    '?a[__proto__][x]=1',
    '?__proto__=1',
    '?prototype=1',
    '?a=%E0%A4%A',
    '?a=%',
    '?a[b][c][d][e][f][g][h][i]=j',
    `?${Array.from({ length: 101 }, (_, i) => `p${i}=1`).join('&')}`,
    `?${Array.from({ length: 21 }, () => 'id=1').join('&')}`,
  ])('refuses %s with 400 problem+json', async (query) => {
    const { res, body } = await get(`/h/query${query}`);
    expect(res.status).toBe(400);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('refuses a repeated parameter where one value is expected (parameter pollution)', async () => {
    const { res, body } = await get('/h/id?id=user&id=admin');
    expect(res.status).toBe(400);
    expect(JSON.parse(body)).toMatchObject({ code: 'ERR_VALIDATION', errors: [{ field: 'id', constraint: 'isString' }] });
  });

  it('converts a number parameter only when it is exactly a number', async () => {
    expect(JSON.parse((await get('/h/id?id=a&n=42')).body)).toEqual({ id: 'a', n: 42 });
    const { res, body } = await get('/h/id?id=a&n=42abc');
    expect(res.status).toBe(400);
    expect(body).not.toContain('42abc');
  });

  it.each([
    [`/h/${'a'.repeat(4000)}`, [404, 414]],
    ['/h/%ZZ', [400, 404]],
    ['/%E0%A4%A/h', [400, 404]],
  ])("answers %s (Fastify's router refuses it before any hook) with problem+json and the headers", async (path, statuses) => {
    const { res, body } = await get(path as string);
    expect(statuses).toContain(res.status);
    expect(problemInvariants(res, body)).toEqual([]);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(body).not.toContain('aaaaaaaaaa');
    expect(body).not.toContain('FST_');
  });

  it('refuses an over-long request target with 414', async () => {
    const { res, body } = await get(`/h/query?a=${'x'.repeat(9000)}`);
    expect(res.status).toBe(414);
    expect(problemInvariants(res, body)).toEqual([]);
  });
});
