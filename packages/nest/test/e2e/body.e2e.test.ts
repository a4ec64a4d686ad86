import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';
import { rawProblemInvariants, rawRequest } from '../transport/raw-request.js';

const JSON_HEADERS = { 'content-type': 'application/json' };

function nested(depth: number): string {
  return '{"a":'.repeat(depth - 1) + '{}' + '}'.repeat(depth - 1);
}

describe.each(ADAPTERS)('request bodies (%s)', (adapter) => {
  let running: RunningApp;
  let small: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule(), adapter, configureBastion);
    small = await startApp(hardeningModule({ limits: { bodyBytes: 1024, jsonDepth: 8, jsonKeys: 20, jsonArrayLength: 50 } }), adapter, configureBastion);
  });
  afterAll(async () => {
    await running.close();
    await small.close();
  });

  const post = (app: RunningApp, body: Buffer | string, headers: Record<string, string> = JSON_HEADERS) => rawRequest(`${app.url}/h/echo`, { headers, body });

  it('accepts a JSON object and keeps the raw body for digest checks', async () => {
    const body = '{"name":"a","list":[1,2,3]}';
    const res = await post(running, body);
    expect(res.status).toBe(201);
    expect(JSON.parse(res.body)).toEqual({ type: 'object', rawBytes: Buffer.byteLength(body), polluted: null });
  });

  it('refuses a body over the default 100 KiB limit with 413, by Content-Length and when chunked', async () => {
    const big = `{"p":"${'a'.repeat(100 * 1024)}"}`;
    const declared = await post(running, big);
    expect(declared.status).toBe(413);
    expect(rawProblemInvariants(declared)).toEqual([]);
    expect(JSON.parse(declared.body).code).toBe('ERR_PAYLOAD_TOO_LARGE');
    const chunked = await rawRequest(`${running.url}/h/echo`, { headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked' }, chunks: [big.slice(0, 60_000), big.slice(60_000)] });
    expect(chunked.status).toBe(413);
    expect(rawProblemInvariants(chunked)).toEqual([]);
  });

  it('enforces a configured limit on both adapters (Fastify fixes its own at construction)', async () => {
    const res = await post(small, `{"p":"${'a'.repeat(2000)}"}`);
    expect(res.status).toBe(413);
    expect((await post(small, '{"p":"short"}')).status).toBe(201);
  });

  it('takes options given to configureBastion(app, options) over the module options', async () => {
    const own = await startApp(hardeningModule(), adapter, (app) => configureBastion(app, { limits: { bodyBytes: 512 } }));
    try {
      expect((await post(own, `{"p":"${'a'.repeat(600)}"}`)).status).toBe(413);
      expect((await post(own, '{"p":"short"}')).status).toBe(201);
    } finally {
      await own.close();
    }
  });

  it.each([
    ['malformed JSON', '{"a":'],
    ['trailing garbage', '{"a":1} x'],
    ['top-level string', '"string"'],
    ['top-level number', '123'],
    ['top-level null', 'null'],
    ['single quotes', "{'a':1}"],
  ])('answers %s with 400 problem+json', async (_name, body) => {
    const res = await post(running, body);
    expect(res.status).toBe(400);
    expect(rawProblemInvariants(res)).toEqual([]);
  });

  it('refuses invalid UTF-8 with 400 rather than replacing it', async () => {
    const res = await post(running, Buffer.from('7b2273223a22ff227d', 'hex'));
    expect(res.status).toBe(400);
    expect(rawProblemInvariants(res)).toEqual([]);
  });

  it('refuses compressed bodies and non-UTF-8 charsets with 415 (no zip bomb is inflated)', async () => {
    const bomb = gzipSync(Buffer.from(`{"a":"${'0'.repeat(5_000_000)}"}`));
    const gz = await post(running, bomb, { ...JSON_HEADERS, 'content-encoding': 'gzip' });
    expect(gz.status).toBe(415);
    expect(rawProblemInvariants(gz)).toEqual([]);
    const utf16 = await post(running, Buffer.from('{"a":1}', 'utf16le'), { 'content-type': 'application/json; charset=utf-16' });
    expect(utf16.status).toBe(415);
  });

  it('bounds JSON depth, key count and array length (400)', async () => {
    expect((await post(small, nested(8))).status).toBe(201);
    expect((await post(small, nested(9))).status).toBe(400);
    const keys = (n: number) => `{${Array.from({ length: n }, (_, i) => `"k${i}":0`).join(',')}}`;
    expect((await post(small, keys(20))).status).toBe(201);
    expect((await post(small, keys(21))).status).toBe(400);
    expect((await post(small, `[${'1,'.repeat(50)}1]`)).status).toBe(400);
    // JSONTestSuite n_structure_100000_opening_arrays, and balanced nesting far past the depth limit.
    expect((await post(running, '['.repeat(100_000))).status).toBe(400);
    expect((await post(running, '['.repeat(10_000) + ']'.repeat(10_000))).status).toBe(400);
  });

  it.each([
    '{"__proto__":{"polluted":"yes"}}',
    '{"constructor":{"prototype":{"polluted":"yes"}}}',
    '{"user":{"name":"a","__proto__":{"polluted":"yes"}}}',
    '[{"ok":1},{"prototype":{"polluted":"yes"}}]',
    '{"__proto__":{"toString":null}}',
  ])('rejects prototype keys anywhere: %s', async (body) => {
    const res = await post(running, body);
    expect(res.status).toBe(400);
    expect(rawProblemInvariants(res)).toEqual([]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const after = await post(running, '{"x":1}');
    expect(JSON.parse(after.body).polluted).toBeNull();
  });
});
