import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { hardeningModule } from '../transport/fixture-app.js';

const owasp = JSON.parse(readFileSync('/work/shared/vectors/owasp_secure_headers.json', 'utf8')) as { headers_remove: string[] };

/** The API preset every response must carry (issue 4, OWASP Secure Headers Project). */
const REQUIRED: Record<string, string | RegExp> = {
  'cache-control': /no-store/,
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'strict-transport-security': /^max-age=\d{7,}; includeSubDomains/,
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'permissions-policy': /camera=\(\)/,
};

function headerProblems(res: Response): string[] {
  const problems: string[] = [];
  for (const [name, expected] of Object.entries(REQUIRED)) {
    const value = res.headers.get(name);
    if (value === null) problems.push(`missing ${name}`);
    else if (typeof expected === 'string' ? value !== expected : !expected.test(value)) problems.push(`${name}: ${value}`);
  }
  for (const name of owasp.headers_remove) if (res.headers.has(name)) problems.push(`fingerprint ${name}`);
  return problems;
}

describe.each(ADAPTERS)('security headers (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule(), adapter, configureBastion);
  });
  afterAll(() => running.close());

  it.each([
    ['200', '/h/ok', 200],
    ['401', '/h/private', 401],
    ['404', '/h/nowhere', 404],
    ['500', '/h/boom', 500],
  ])('%s responses carry the preset and no fingerprint header', async (_label, path, status) => {
    const res = await fetch(`${running.url}${path}`);
    const body = await res.text();
    expect(res.status).toBe(status);
    expect(headerProblems(res)).toEqual([]);
    if (status >= 400) expect(problemInvariants(res, body)).toEqual([]);
  });

  it('adapter-level errors (413, 415, 400 malformed JSON) carry the preset too', async () => {
    const cases: Array<[RequestInit, number]> = [
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"p":"${'a'.repeat(200 * 1024)}"}` }, 413],
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' }, 415],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":' }, 400],
    ];
    for (const [init, status] of cases) {
      const res = await fetch(`${running.url}/h/echo`, init);
      const body = await res.text();
      expect(res.status).toBe(status);
      expect(headerProblems(res)).toEqual([]);
      expect(problemInvariants(res, body)).toEqual([]);
    }
  });

  it('strips fingerprinting headers even when the app sets them', async () => {
    const res = await fetch(`${running.url}/h/fingerprinted`);
    expect(res.status).toBe(200);
    expect(headerProblems(res)).toEqual([]);
    expect(res.headers.get('server')).toBeNull();
  });

  it.each(['object', 'array'])('strips fingerprinting headers handed to writeHead() as an %s', async (form) => {
    const res = await fetch(`${running.url}/h/fingerprinted-head?form=${form}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    for (const name of ['server', 'x-powered-by', 'x-runtime']) expect(res.headers.get(name)).toBeNull();
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(headerProblems(res)).toEqual([]);
  });

  it('lets a route override the preset with @SecurityHeaders()', async () => {
    const res = await fetch(`${running.url}/h/framed`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cache-control')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it("keeps the preset on a request Bastion refuses, whatever the route's @SecurityHeaders()", async () => {
    const res = await fetch(`${running.url}/h/framed-private`);
    expect(res.status).toBe(401);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(headerProblems(res)).toEqual([]);
  });
});

describe.each(ADAPTERS)('security header options (%s)', (adapter) => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule({ headers: { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains; preload', 'Permissions-Policy': false } }), adapter, configureBastion);
  });
  afterAll(() => running.close());

  it('applies app-wide overrides and removals', async () => {
    const res = await fetch(`${running.url}/h/ok`);
    expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains; preload');
    expect(res.headers.get('permissions-policy')).toBeNull();
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe('security headers of a mounted Express sub-app', () => {
  let running: RunningApp;
  beforeAll(async () => {
    running = await startApp(hardeningModule(), 'express', (app) => {
      configureBastion(app);
      // Express itself, as @nestjs/platform-express resolves it (the app's own `express` dependency).
      const express = createRequire(import.meta.resolve('@nestjs/platform-express'))('express') as () => { get: (path: string, handler: unknown) => void };
      const sub = express();
      // A sub-app has X-Powered-By on by default, set while the response has the sub-app's prototype.
      sub.get('/', (_req: unknown, res: { setHeader(n: string, v: string): void; json(b: unknown): void }) => {
        res.setHeader('Server', 'nginx/1.25.3');
        res.json({ ok: true });
      });
      (app.getHttpAdapter().getInstance() as { use(path: string, handler: unknown): void }).use('/sub', sub);
    });
  });
  afterAll(() => running.close());

  it('strips its fingerprinting headers too', async () => {
    const res = await fetch(`${running.url}/sub`);
    expect(res.status).toBe(200);
    expect(headerProblems(res)).toEqual([]);
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});
