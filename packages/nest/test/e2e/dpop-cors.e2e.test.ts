import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestDpopClient, TestIssuer } from '../../src/testing/index.js';
import { dpopModule } from '../authentication/dpop/fixture-app.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { chromiumAvailable, launchChromium, servePageOrigin, type HeadlessBrowser, type PageOrigin } from '../support/browser.js';

interface Outcome {
  ok: boolean;
  status?: number;
  nonce?: string | null;
  challenge?: string | null;
  body?: string;
  error?: string;
}

/** A browser DPoP client on another origin: it sends `DPoP` and must read `DPoP-Nonce` and the challenge (RFC 9449 §8). */
describe.runIf(chromiumAvailable()).each(ADAPTERS)('DPoP across origins in headless Chromium (%s)', (adapter) => {
  let browser: HeadlessBrowser;
  let allowed: PageOrigin;
  let denied: PageOrigin;
  let issuer: TestIssuer;
  let api: RunningApp;
  let client: TestDpopClient;
  let token: string;

  beforeAll(async () => {
    allowed = await servePageOrigin();
    denied = await servePageOrigin();
    issuer = await TestIssuer.start();
    // `cors` as configured before DPoP: neither list names a DPoP header.
    const cors = { origins: [allowed.origin], allowedHeaders: ['Authorization'], exposedHeaders: ['X-Request-Id'] };
    api = await startApp(dpopModule({ jwt: issuer.options(), dpop: { nonce: true }, cors }), adapter);
    client = await TestDpopClient.create();
    token = await issuer.signDpopBound(client, { sub: 'alice' });
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await api?.close();
    await issuer?.close();
    await allowed?.close();
    await denied?.close();
  }, 60_000);

  /** `fetch` from a page of `origin`, with the DPoP headers signed here for the API's URL. */
  async function dpopFetch(origin: string, nonce?: string): Promise<Outcome> {
    const url = `${api.url}/me`;
    const headers = await client.headers('GET', url, token, nonce === undefined ? {} : { nonce });
    const page = await browser.context.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ([url, headers]) => {
          try {
            const res = await fetch(url, { headers });
            return { ok: true, status: res.status, nonce: res.headers.get('dpop-nonce'), challenge: res.headers.get('www-authenticate'), body: await res.text() };
          } catch (error) {
            return { ok: false, error: String(error) };
          }
        },
        [url, headers] as const,
      );
    } finally {
      await page.close();
    }
  }

  it('lets an allowed origin send a DPoP proof, read the nonce challenge, and retry with the nonce', async () => {
    const first = await dpopFetch(allowed.origin);
    expect(first).toMatchObject({ ok: true, status: 401 });
    expect(first.challenge).toContain('error="use_dpop_nonce"');
    expect(first.nonce).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const second = await dpopFetch(allowed.origin, first.nonce!);
    expect(second).toMatchObject({ ok: true, status: 200 });
    expect(JSON.parse(second.body!)).toMatchObject({ subject: 'alice', credential: 'dpop' });
  });

  it('still gives a disallowed origin nothing: its preflight fails', async () => {
    const outcome = await dpopFetch(denied.origin);
    expect(outcome.ok).toBe(false);
    expect(outcome.status).toBeUndefined();
  });

  it('answers the preflight with DPoP allowed and the nonce headers exposed, the configured lists kept', async () => {
    const preflight = await fetch(`${api.url}/me`, {
      method: 'OPTIONS',
      headers: { origin: allowed.origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization,dpop' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('Authorization, DPoP');
    const simple = await fetch(`${api.url}/open`, { headers: { origin: allowed.origin } });
    expect(simple.headers.get('access-control-expose-headers')).toBe('X-Request-Id, DPoP-Nonce, WWW-Authenticate');
  });
});
