import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';
import { rawRequest, type RawResponse } from '../transport/raw-request.js';

// ~400 runs per property and adapter: 2,400 requests in all, one app per adapter.
const RUNS = 400;
const STACK = /\bat [\w$.<>]+ \(|node_modules|\/src\/|\.ts:\d|\.js:\d|SyntaxError|TypeError|RangeError/;

function prototypeUntouched(): boolean {
  return Object.keys(Object.prototype).length === 0 && Object.getOwnPropertyNames(Object.prototype).every((name) => typeof (Object.prototype as Record<string, unknown>)[name] === 'function' || name === '__proto__');
}

function sane(res: RawResponse): boolean {
  return res.status >= 200 && res.status < 500 && !STACK.test(res.body) && prototypeUntouched();
}

const dangerousKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', 'name', 'items', 'quantity');
const jsonish = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.jsonValue({ maxDepth: 3 }), tie('object'), fc.array(tie('value'), { maxLength: 4 })),
  object: fc.dictionary(fc.oneof(dangerousKey, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 5 }),
})).value;

const body = fc.oneof(
  jsonish.map((v) => Buffer.from(JSON.stringify(v) ?? 'null')),
  jsonish.map((v) => Buffer.from((JSON.stringify(v) ?? '').replace(/"(toString|valueOf|name)"/g, '"__proto__"'))),
  fc.string({ maxLength: 200 }).map((s) => Buffer.from(s)),
  fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'multipart/form-data', '');
const path = fc.constantFrom('/h/echo', '/h/orders');

const headerName = fc.stringMatching(/^x-[a-z0-9-]{1,20}$/);
const headerValue = fc.stringMatching(/^[\x20-\x7e]{0,200}$/).map((s) => s.trim());
const queryPart = fc.oneof(
  fc.string({ maxLength: 30 }).map(encodeURIComponent),
  fc.constantFrom('__proto__', 'constructor', 'prototype', '[', ']', '%', '%E0%A4%A', '%00', '&', '=', '.', '+', 'a[b]', 'limit'),
);
const query = fc.array(fc.tuple(queryPart, queryPart), { maxLength: 12 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&'));

describe.each(ADAPTERS)('fuzz (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule({ throttle: { enabled: false } }), adapter, configureBastion);
  });
  afterAll(() => running.close());

  it('random bodies never give 5xx, a stack trace or a polluted prototype', async () => {
    await fc.assert(
      fc.asyncProperty(path, contentType, body, async (p, type, bytes) => {
        const res = await rawRequest(`${running.url}${p}`, { headers: type ? { 'content-type': type } : {}, body: bytes });
        return sane(res);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('random headers never give 5xx or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.dictionary(headerName, headerValue, { maxKeys: 6 }), fc.constantFrom('/h/ok', '/h/tenant', '/h/private', '/h/page?limit=2'), async (headers, p) => {
        const res = await rawRequest(`${running.url}${p}`, { method: 'GET', headers: { ...headers, 'x-tenant-id': headers['x-a'] ?? 'x' } });
        return sane(res);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('random query strings never give 5xx or a stack trace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('/h/query', '/h/id', '/h/page'), query, async (p, q) => {
        const res = await rawRequest(`${running.url}${p}?${q}`, { method: 'GET' });
        return sane(res);
      }),
      { numRuns: RUNS },
    );
  }, 120_000);

  it('leaves Object.prototype untouched', () => {
    expect(prototypeUntouched()).toBe(true);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
