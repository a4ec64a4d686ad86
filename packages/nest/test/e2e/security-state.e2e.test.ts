import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, RevocationService, configureBastion } from '../../src/index.js';
import { BruteForceService } from '../../src/throttling/brute-force.service.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';
import { capturedAuditEvents } from '../support/log-capture.js';
import { bearer, getFrom } from '../throttling/local-client.js';

@Controller()
class ApiController {
  @Get('data')
  @Authenticated()
  data() {
    return { ok: true };
  }
}

const MAX_KEYS = 1_000;
/** Distinct failing clients: 4,000 counter keys, enough to push everything out of a 1,000-key store several times over. */
const FLOOD = 2_000;

function appModule(issuer: TestIssuer): new () => unknown {
  @Module({
    imports: [
      BastionModule.forRoot({
        jwt: issuer.options(),
        trustedProxies: ['127.0.0.1'],
        https: { enforce: false },
        store: { type: 'memory', maxKeys: MAX_KEYS },
        bruteForce: { maxFailures: 3 },
        // The flood must reach authentication: the anonymous budget per client is not what is tested here.
        throttle: { anonymous: { limit: 100_000, ttl: 60_000 } },
      }) as DynamicModule,
    ],
    controllers: [ApiController],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('security state survives a flood of attacker-chosen keys (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    running = await startApp(appModule(issuer), adapter, configureBastion);
  });
  afterAll(async () => {
    await running?.close();
    await issuer?.close();
  });

  const call = (token: string, client: string) =>
    getFrom(`${running.url}/data`, { localAddress: '127.0.0.1', headers: { ...bearer(token), 'x-forwarded-for': client } });

  it(
    `a revoked token stays revoked and a blocked client stays blocked after ${FLOOD.toLocaleString('en')} distinct failing clients`,
    async () => {
      const bruteForce = running.app.get(BruteForceService);
      const revoked = await issuer.sign({ sub: 'alice', jti: `revoked-${adapter}` });
      const valid = await issuer.sign({ sub: 'bob' });
      await running.app.get(RevocationService).revokeToken(`revoked-${adapter}`);
      expect((await call(revoked, '192.0.2.10')).status).toBe(401);
      for (let i = 0; i < 3; i++) expect((await call(`bad-token-${i}`, '192.0.2.66')).status).toBe(401);
      await bruteForce.settled();
      expect((await call(valid, '192.0.2.66')).status).toBe(429);

      // Every failure writes counter keys the attacker chooses (its failure window, its alert window).
      // Over kept-alive connections from the trusted proxy (127.0.0.1), each naming another client.
      const statuses = new Map<number, number>();
      const clients = Array.from({ length: FLOOD }, (_, n) => (n % 2 ? `10.9.${n >> 8}.${n & 255}` : `2001:db8:${n.toString(16)}::1`));
      for (let i = 0; i < clients.length; i += 25) {
        const batch = await Promise.all(
          clients.slice(i, i + 25).map((client, j) =>
            fetch(`${running.url}/data`, { headers: { ...bearer(`flood-${i + j}`), 'x-forwarded-for': client } }).then(async (res) => (await res.arrayBuffer(), res.status)),
          ),
        );
        for (const status of batch) statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
      await bruteForce.settled();
      expect(statuses).toEqual(new Map([[401, FLOOD]]));

      const stillRevoked = await call(revoked, '192.0.2.11');
      expect(stillRevoked.status).toBe(401);
      const id = stillRevoked.headers['x-request-id'];
      expect(capturedAuditEvents().find((e) => e.requestId === id)).toMatchObject({ type: 'authentication.failed', reason: 'ERR_TOKEN_REVOKED' });
      const stillBlocked = await call(valid, '192.0.2.66');
      expect(stillBlocked.status).toBe(429);
      expect(stillBlocked.json()).toMatchObject({ code: 'ERR_CLIENT_BLOCKED' });
      expect((await call(valid, '192.0.2.12')).status).toBe(200);
    },
    180_000,
  );
});
