import { readFileSync } from 'node:fs';
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

  it('lets a route override the preset with @SecurityHeaders()', async () => {
    const res = await fetch(`${running.url}/h/framed`);
    expect(res.status).toBe(200);
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('cache-control')).toBeNull();
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
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
