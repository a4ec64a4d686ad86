import { Controller, Get } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Authenticated, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, problemInvariants } from '../support/app.js';
import { startWithIssuer, type IssuerApp } from '../support/issuer-app.js';
import { ServiceKeyAuthenticator } from '../support/service-key.authenticator.js';
import { bearer, getFrom } from '../throttling/local-client.js';

@Controller()
class Routes {
  @Get('data')
  @Authenticated()
  data() {
    return { ok: true };
  }
}

// Issue 11 item 2: a request whose credential fails was counted by nothing but brute-force blocking
// (off here, or per full IPv6 address): the anonymous throttler skipped it because it carried a
// credential, and the principal throttler runs only after success.
describe.each(ADAPTERS)('a failed credential counts against the anonymous budget (%s)', (adapter) => {
  let app: IssuerApp;
  let issuer: IssuerApp['issuer'];
  let events: SecurityEvent[];
  const get = (path: string, options: Parameters<typeof getFrom>[1] = {}) => getFrom(`${app.running.url}${path}`, options);

  beforeAll(async () => {
    app = await startWithIssuer(
      adapter,
      (testIssuer) => ({
        jwt: testIssuer.options(),
        authenticators: [new ServiceKeyAuthenticator()],
        trustedProxies: ['127.0.0.1'],
        https: { enforce: false },
        bruteForce: { enabled: false },
        throttle: { anonymous: { limit: 3, ttl: 60_000 }, principal: { limit: 100, ttl: 60_000 } },
      }),
      [Routes],
    );
    ({ issuer, events } = app);
  });
  afterAll(() => app?.close());
  beforeEach(() => {
    events.length = 0;
  });

  it('answers 429 to a flood of bad tokens from one client once the anonymous limit is spent', async () => {
    const forged = `${(await issuer.sign({ sub: 'mallory' })).slice(0, -4)}AAAA`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await get('/data', { localAddress: '127.0.0.2', headers: bearer(forged) })).status);
    expect(statuses).toEqual([401, 401, 401, 429, 429, 429]);
    const last = await get('/data', { localAddress: '127.0.0.2', headers: bearer('garbage') });
    expect(last.status).toBe(429);
    expect(problemInvariants(last.asResponse(), last.body)).toEqual([]);
    expect(last.json()).toMatchObject({ code: 'ERR_RATE_LIMITED' });
    expect(Number(last.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });

  it('records each such request once: the failed authentication, with the 429 noted', async () => {
    await get('/data', { localAddress: '127.0.0.3', headers: { 'x-service-key': 'nobody.wrong' } });
    for (let i = 0; i < 3; i++) await get('/data', { localAddress: '127.0.0.3', headers: bearer('not-a-jwt') });
    expect(events.map((e) => [e.type, e.reason, e.details?.throttled])).toEqual([
      ['authentication.failed', 'ERR_SERVICE_KEY_INVALID', undefined],
      ['authentication.failed', 'ERR_TOKEN_MALFORMED', undefined],
      ['authentication.failed', 'ERR_TOKEN_MALFORMED', undefined],
      ['authentication.failed', 'ERR_TOKEN_MALFORMED', 'ERR_RATE_LIMITED'],
    ]);
    expect(events.every((e) => e.ip === '127.0.0.3')).toBe(true);
  });

  it('counts failures and anonymous calls in one budget per client, behind the proxy too', async () => {
    const viaProxy = { 'x-forwarded-for': '198.51.100.20' };
    expect((await get('/data', { headers: viaProxy })).status).toBe(401);
    expect((await get('/data', { headers: { ...viaProxy, ...bearer('bad') } })).status).toBe(401);
    expect((await get('/data', { headers: { ...viaProxy, authorization: 'Bearer a', 'x-service-key': 'k.v' } })).status).toBe(400);
    expect((await get('/data', { headers: viaProxy })).status).toBe(429);
    expect((await get('/data', { headers: { 'x-forwarded-for': '198.51.100.21', ...bearer('bad') } })).status).toBe(401);
  });

  it('leaves a valid credential from the same client its own budget', async () => {
    for (let i = 0; i < 4; i++) await get('/data', { localAddress: '127.0.0.4', headers: bearer('bad') });
    expect((await get('/data', { localAddress: '127.0.0.4', headers: bearer('bad') })).status).toBe(429);
    const valid = await get('/data', { localAddress: '127.0.0.4', headers: bearer(await issuer.sign({ sub: 'alice' })) });
    expect(valid.status).toBe(200);
  });
});
