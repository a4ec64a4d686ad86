import { Controller, Get, Injectable, Module, Post, UnauthorizedException, type DynamicModule } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { createHash, timingSafeEqual } from 'node:crypto';
import { HeaderAPIKeyStrategy } from 'passport-headerapikey';
import { Strategy as LocalStrategy } from 'passport-local';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  Authenticated,
  BastionConfigError,
  BastionModule,
  Boundary,
  CurrentPrincipal,
  InvalidTokenException,
  RequireScopes,
  Roles,
  RouteSecurityError,
  SecurityEvents,
  passportAuthenticator,
  type Authenticator,
  type BastionOptions,
  type Principal,
  type RequestContext,
  type SecurityEvent,
} from '../../src/index.js';
import { ADAPTERS, bootError, problemInvariants, startApp, type AdapterName, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';

const hash = (text: string) => createHash('sha256').update(text).digest();
const PASSWORD = recordSecret('correct horse battery staple');
const PARTNER_TOKEN = recordSecret('ptk_5f0c2b7e9a1d4c3b8e6f');
const LEGACY_KEY = recordSecret('legacy-key-7a9c1e3b5d');

interface User {
  id: string;
  username: string;
  passwordHash: Buffer;
  scopes: string[];
  roles: string[];
}

@Injectable()
class UsersService {
  private readonly users = new Map<string, User>([
    ['alice', { id: 'u-alice', username: 'alice', passwordHash: hash(PASSWORD), scopes: ['orders:read'], roles: ['clerk'] }],
    ['bob', { id: 'u-bob', username: 'bob', passwordHash: hash(PASSWORD), scopes: [], roles: ['auditor'] }],
  ]);

  verify(username: string, password: string): User | undefined {
    const user = this.users.get(username);
    return user && timingSafeEqual(user.passwordHash, hash(password)) ? user : undefined;
  }
}

/** The app's own passport-local strategy, as it would have it before Bastion. */
@Injectable()
class LocalAuthStrategy extends PassportStrategy(LocalStrategy, 'local') {
  constructor(private readonly users: UsersService) {
    super();
  }

  validate(username: string, password: string): User {
    const user = this.users.verify(username, password);
    if (!user) throw new UnauthorizedException();
    return user;
  }
}

/** passport-headerapikey: where the key travels is the strategy's configuration, so Bastion is told. */
@Injectable()
class LegacyKeyStrategy extends PassportStrategy(HeaderAPIKeyStrategy, 'headerapikey') {
  constructor() {
    super({ header: 'X-Legacy-Key', prefix: '' }, false);
  }

  validate(key: string): { id: string; scope: string } | false {
    return key === LEGACY_KEY ? { id: 'legacy-importer', scope: 'orders:read' } : false;
  }
}

@Injectable()
class PartnersService {
  find(token: string): { id: string; scopes: string[] } | undefined {
    return token === PARTNER_TOKEN ? { id: 'partner-a', scopes: ['feed:read'] } : undefined;
  }
}

/**
 * A custom credential as an injectable class: Bastion takes it from the app's providers. It answers
 * synchronously (a principal, not a promise) and throws its refusals, and a token ending in `!`
 * makes it throw a plain error.
 */
@Injectable()
class PartnerTokenAuthenticator implements Authenticator {
  readonly credential = 'partner-token';

  constructor(private readonly partners: PartnersService) {}

  isPresented(ctx: RequestContext): boolean {
    return ctx.headerLines('x-partner-token').length > 0;
  }

  authenticate(ctx: RequestContext): Principal {
    const presented = ctx.header('x-partner-token') ?? '';
    if (presented.endsWith('!')) throw new TypeError('partner directory unreachable');
    const partner = this.partners.find(presented);
    if (!partner) throw new InvalidTokenException('ERR_PARTNER_TOKEN_UNKNOWN');
    return { subject: partner.id, clientId: partner.id, scopes: new Set(partner.scopes), roles: new Set(), credential: this.credential, claims: {} };
  }
}

@Controller()
class AppController {
  @Post('session')
  @Boundary('login')
  @Authenticated()
  session(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject, credential: principal.credential, scopes: [...principal.scopes] };
  }

  @Get('orders')
  @RequireScopes('orders:read')
  orders(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject, credential: principal.credential };
  }

  @Get('audit')
  @Roles('auditor')
  audit() {
    return { ok: true };
  }

  @Get('partners/feed')
  @Boundary('partners')
  @RequireScopes('feed:read')
  feed(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject };
  }
}

const bastionOptions = (extra: BastionOptions = {}): BastionOptions => ({
  authenticators: [passportAuthenticator('local'), PartnerTokenAuthenticator, passportAuthenticator('headerapikey', { credential: 'legacy-key', isPresented: { header: 'x-legacy-key' } })],
  boundaries: { login: { accept: ['local'] }, partners: { accept: ['partner-token'] }, api: { accept: ['local', 'legacy-key'] } },
  defaultBoundary: 'api',
  bruteForce: { enabled: false },
  ...extra,
});

function appModule(bastion: DynamicModule, controllers: (new () => unknown)[] = [AppController]): new () => unknown {
  @Module({ imports: [bastion], controllers, providers: [UsersService, LocalAuthStrategy, LegacyKeyStrategy, PartnersService, PartnerTokenAuthenticator] })
  class AppModule {}
  return AppModule;
}

// Issue 16 acceptance: a passport-local strategy and a custom authenticator plugged into Bastion get
// audit events and strict-mode decisions like a built-in credential.
describe.each(ADAPTERS)('custom authenticators and Passport strategies (%s)', (adapter) => {
  describe.each([
    ['forRoot', () => BastionModule.forRoot(bastionOptions())],
    ['forRootAsync', () => BastionModule.forRootAsync({ useFactory: async () => bastionOptions() })],
  ])('%s', (_name, bastion) => {
    let running: RunningApp;
    let events: SecurityEvent[] = [];
    const post = (path: string, body: unknown) => fetch(`${running.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const get = (path: string, headers: Record<string, string>) => fetch(`${running.url}${path}`, { headers });

    beforeAll(async () => {
      running = await startApp(appModule(bastion()), adapter);
      running.app.get(SecurityEvents).subscribe((e) => events.push(e));
    });
    afterAll(() => running?.close());
    beforeEach(() => {
      events = [];
    });

    it('authenticates with the passport-local strategy and records the success', async () => {
      const res = await post('/session', { username: 'alice', password: PASSWORD });
      expect(res.status).toBe(201);
      expect(await res.json()).toEqual({ subject: 'u-alice', credential: 'local', scopes: ['orders:read'] });
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'authentication.succeeded', principal: { subject: 'u-alice', credential: 'local' }, requestId: res.headers.get('x-request-id') });
    });

    it("answers every Passport failure with the uniform 401 and records the strategy's reason", async () => {
      const cases: [unknown, string][] = [
        [{ username: 'alice', password: 'wrong' }, 'ERR_PASSPORT_REJECTED'],
        [{ username: 'alice' }, 'ERR_PASSPORT_FAILED'],
      ];
      const bodies: string[] = [];
      for (const [body, reason] of cases) {
        const res = await post('/session', body);
        const text = await res.text();
        expect(res.status).toBe(401);
        expect(problemInvariants(res, text)).toEqual([]);
        bodies.push(text.replace(/"requestId":"[^"]+"/, '"requestId":"-"'));
        expect(events.at(-1)).toMatchObject({ type: 'authentication.failed', reason, details: { credential: 'local', strategy: 'local' } });
      }
      expect(bodies[0]).toBe(bodies[1]);
      expect(events[1]!.details?.message).toBe('Missing credentials');
      expect(JSON.parse(bodies[0]!)).toMatchObject({ code: 'ERR_INVALID_TOKEN' });
    });

    it('authenticates the custom class authenticator and enforces its scopes', async () => {
      const ok = await get('/partners/feed', { 'x-partner-token': PARTNER_TOKEN });
      expect(ok.status).toBe(200);
      expect(events[0]).toMatchObject({ type: 'authentication.succeeded', principal: { subject: 'partner-a', credential: 'partner-token' } });
      events = [];
      const bad = await get('/partners/feed', { 'x-partner-token': 'ptk_guess' });
      expect(bad.status).toBe(401);
      expect(events[0]).toMatchObject({ type: 'authentication.failed', reason: 'ERR_PARTNER_TOKEN_UNKNOWN', details: { credential: 'partner-token' } });
      // A plain error thrown synchronously is the same uniform 401, never a 500 and never its message.
      events = [];
      const broken = await get('/partners/feed', { 'x-partner-token': 'ptk_broken!' });
      const text = await broken.text();
      expect(broken.status).toBe(401);
      expect(problemInvariants(broken, text)).toEqual([]);
      expect(text).not.toContain('unreachable');
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'authentication.failed', reason: 'ERR_AUTHENTICATOR_FAILED', details: { credential: 'partner-token' } });
    });

    it('applies boundaries, scopes and roles of the mapped principals', async () => {
      // The partner credential is not accepted where the default boundary applies…
      expect((await get('/orders', { 'x-partner-token': PARTNER_TOKEN })).status).toBe(403);
      // …the legacy key is, with the scope mapped from its `scope` field…
      const legacy = await get('/orders', { 'x-legacy-key': LEGACY_KEY });
      expect(legacy.status).toBe(200);
      expect(await legacy.json()).toEqual({ subject: 'legacy-importer', credential: 'legacy-key' });
      // …and roles come from the strategy's user.
      expect((await get('/audit', { 'x-legacy-key': LEGACY_KEY })).status).toBe(403);
      expect(events.at(-1)).toMatchObject({ type: 'authorization.denied', reason: 'ERR_ROLE_MISSING', principal: { subject: 'legacy-importer' } });
      expect((await get('/audit', { 'x-legacy-key': 'nope' })).status).toBe(401);
    });

    it('refuses a credential the boundary does not accept before verifying any other', async () => {
      const res = await get('/orders', { 'x-legacy-key': LEGACY_KEY, 'x-partner-token': PARTNER_TOKEN });
      expect(res.status).toBe(403);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ type: 'authorization.denied', reason: 'ERR_BOUNDARY_DENIED', details: { credential: 'partner-token' } });
    });
  });
});

const bootWith = (options: BastionOptions, adapter: AdapterName, controllers?: (new () => unknown)[]) => bootError(appModule(BastionModule.forRoot(options), controllers), adapter);

@Controller('undecided')
class UndecidedController {
  @Get()
  @Boundary('partners')
  open() {
    return {};
  }
}

describe.each(ADAPTERS)('custom credentials are real or refused (%s)', (adapter) => {
  it('stops boot on a route without a decision, whatever its credentials', async () => {
    const error = await bootWith(bastionOptions(), adapter, [AppController, UndecidedController]);
    expect(error).toBeInstanceOf(RouteSecurityError);
    expect(error.message).toContain('UndecidedController.open (GET /undecided): no access decision');
  });

  it('stops boot on a boundary naming a credential no authenticator provides', async () => {
    const error = await bootWith({ ...bastionOptions(), boundaries: { login: { accept: ['local'] }, partners: { accept: ['partner-token', 'signature'] }, api: { accept: ['local'] } } }, adapter);
    expect(error).toBeInstanceOf(BastionConfigError);
    expect(error.message).toContain('"boundaries.partners.accept[1]" names credential "signature", but no authenticator provides it');
  });

  it('stops boot on two authenticators claiming one credential', async () => {
    const error = await bootWith({ ...bastionOptions(), authenticators: [passportAuthenticator('local'), passportAuthenticator('local', { credential: 'local' }), PartnerTokenAuthenticator] }, adapter);
    expect(error).toBeInstanceOf(BastionConfigError);
    expect(error.message).toContain('"authenticators[1].credential" "local" is already provided by authenticators[0]');
  });
});

describe('passportAuthenticator options', () => {
  it('needs to be told where the credential of a strategy without a default travels', () => {
    expect(() => passportAuthenticator('headerapikey')).toThrow('"passportAuthenticator("headerapikey").isPresented" is required for strategy "headerapikey"');
    expect(() => passportAuthenticator('local', { credential: 'Not A Name' })).toThrow(BastionConfigError);
  });

  it('refuses a non-authenticator in the authenticators option, naming it', () => {
    expect(() => BastionModule.forRoot({ authenticators: [{ credential: 'x' } as never] })).toThrow('"authenticators[0].isPresented" must be a function');
  });
});
