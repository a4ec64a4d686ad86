import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configureBastion } from '../../src/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { chromiumAvailable, launchChromium, servePageOrigin, type HeadlessBrowser, type PageOrigin } from '../support/browser.js';
import { hardeningModule } from '../transport/fixture-app.js';

interface FetchOutcome {
  ok: boolean;
  status?: number;
  body?: string;
  requestId?: string | null;
  error?: string;
}

const browserOk = chromiumAvailable();

describe.runIf(browserOk).each(ADAPTERS)('CORS in headless Chromium (%s)', (adapter) => {
  let browser: HeadlessBrowser;
  let allowed: PageOrigin;
  let denied: PageOrigin;
  let api: RunningApp;

  beforeAll(async () => {
    allowed = await servePageOrigin();
    denied = await servePageOrigin();
    api = await startApp(hardeningModule({ cors: { origins: [allowed.origin], credentials: true, maxAge: 600 } }), adapter, configureBastion);
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await allowed?.close();
    await denied?.close();
  }, 60_000);

  /** Runs `fetch` inside a page loaded from `origin`, as a script of that site would. */
  async function fetchFrom(origin: string, path: string, init: { method?: string; headers?: Record<string, string>; body?: string; credentials?: 'include' | 'omit' } = {}): Promise<FetchOutcome> {
    const page = await browser.context.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ([url, init]) => {
          try {
            const res = await fetch(url, init as RequestInit);
            return { ok: true, status: res.status, body: await res.text(), requestId: res.headers.get('x-request-id') };
          } catch (error) {
            return { ok: false, error: String(error) };
          }
        },
        [`${api.url}${path}`, init] as const,
      );
    } finally {
      await page.close();
    }
  }

  it('lets an allowed origin read a response, including exposed headers', async () => {
    const outcome = await fetchFrom(allowed.origin, '/h/ok');
    expect(outcome).toMatchObject({ ok: true, status: 200, body: '{"ok":true}' });
    expect(outcome.requestId).toBeTruthy();
  });

  it('lets an allowed origin send a preflighted JSON POST with credentials', async () => {
    const outcome = await fetchFrom(allowed.origin, '/h/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"a":1}', credentials: 'include' });
    expect(outcome).toMatchObject({ ok: true, status: 201 });
  });

  it('blocks a disallowed origin from reading a response', async () => {
    const outcome = await fetchFrom(denied.origin, '/h/ok');
    expect(outcome.ok).toBe(false);
    expect(outcome.body).toBeUndefined();
  });

  it('blocks a credentialed request from a disallowed origin', async () => {
    const outcome = await fetchFrom(denied.origin, '/h/ok', { credentials: 'include' });
    expect(outcome.ok).toBe(false);
    const preflighted = await fetchFrom(denied.origin, '/h/echo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}', credentials: 'include' });
    expect(preflighted.ok).toBe(false);
  });

  it('answers an allowed preflight with 204 and Access-Control-Max-Age, and a disallowed one with no CORS header', async () => {
    const preflight = (origin: string) =>
      fetch(`${api.url}/h/echo`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' } });
    const ok = await preflight(allowed.origin);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe(allowed.origin);
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true');
    expect(ok.headers.get('access-control-max-age')).toBe('600');
    expect(ok.headers.get('vary')).toMatch(/Origin/i);
    const no = await preflight(denied.origin);
    for (const [name] of no.headers) expect(name.startsWith('access-control-')).toBe(false);
    const simple = await fetch(`${api.url}/h/ok`, { headers: { origin: denied.origin } });
    for (const [name] of simple.headers) expect(name.startsWith('access-control-')).toBe(false);
  });
});
