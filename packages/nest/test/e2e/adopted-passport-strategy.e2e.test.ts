import { Controller, Get, Injectable, Module, UseGuards } from '@nestjs/common';
import { AuthGuard, PassportStrategy } from '@nestjs/passport';
import { timingSafeEqual } from 'node:crypto';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, Public, SecurityEvents, defaultPassportPrincipal, passportAuthenticator, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';

const IMPORT_KEY = recordSecret('imp_3c9e51d0b7a24f68');

/** An app's API-key strategy as apps write it: `validate` answers true or false, no user object. */
@Injectable()
class ApiKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'api-key') {
  constructor() {
    super({ header: 'X-Api-Key', prefix: '' }, false);
  }

  validate(key: string): boolean {
    return key.length === IMPORT_KEY.length && timingSafeEqual(Buffer.from(key), Buffer.from(IMPORT_KEY));
  }
}

/** The routes as `init` leaves them: the app's AuthGuard stays, `@Authenticated()` added; health stays open. */
@Controller()
class AppController {
  @UseGuards(AuthGuard('api-key'))
  @Get('imports')
  @Authenticated()
  imports() {
    return { imports: [] };
  }

  @Get('health')
  @Public()
  health() {
    return 'ok';
  }
}

@Module({
  imports: [
    BastionModule.forRoot({
      // The entry `init` writes into bastion.config.ts for this strategy (packages/codemod/src/adopt/passport-wiring.ts).
      authenticators: [
        passportAuthenticator('api-key', {
          isPresented: { header: 'x-api-key' },
          toPrincipal: (user) => defaultPassportPrincipal(user, 'api-key') ?? { subject: 'api-key', scopes: new Set<string>(), roles: new Set<string>(), credential: 'api-key', claims: {} },
        }),
      ],
    }),
  ],
  controllers: [AppController],
  providers: [ApiKeyStrategy],
})
class AppModule {}

// Issue 10 item 2: after `init` wires an app's API-key strategy, Bastion enforces its routes from the
// first boot and every caller the strategy admitted before is admitted still.
describe.each(ADAPTERS)('init-wired passport strategy (%s)', (adapter) => {
  let running: RunningApp;
  let events: SecurityEvent[] = [];
  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${running.url}${path}`, { headers });

  beforeAll(async () => {
    running = await startApp(AppModule, adapter);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  }, 60_000);
  afterAll(() => running?.close());
  beforeEach(() => {
    events = [];
  });

  it('answers Bastion’s 401 without the key, and records it', async () => {
    const res = await get('/imports');
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, text)).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'authentication.failed', reason: 'ERR_CREDENTIAL_MISSING' }));
  });

  it('answers 401 with a wrong key, with the strategy’s refusal in the audit event', async () => {
    const res = await get('/imports', { 'x-api-key': 'imp_wrong' });
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, text)).toEqual([]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'authentication.failed', details: expect.objectContaining({ credential: 'api-key' }) }));
  });

  it('answers 200 with the key, though the strategy’s user carries no id', async () => {
    const res = await get('/imports', { 'X-Api-Key': IMPORT_KEY });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ imports: [] });
    expect(events).toContainEqual(expect.objectContaining({ type: 'authentication.succeeded', principal: expect.objectContaining({ subject: 'api-key', credential: 'api-key' }) }));
  });

  it('keeps the open route open', async () => {
    expect((await get('/health')).status).toBe(200);
  });
});
