import { Controller, Get, Injectable, Module, Post, Req, UseGuards } from '@nestjs/common';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, configureBastion, CurrentPrincipal, Public, SecurityEvents, type BastionOptions, type Principal, type SecurityEvent } from '../../src/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';

// An app that signs access tokens (verified by Bastion as a local issuer) and refresh tokens with a secret of
// their own, checked by its passport `jwt-refresh` strategy from `Authorization: Bearer` on its refresh route.
const ACCESS_SECRET = recordSecret('access-tokens-secret-that-is-long-enough-0123456');
const REFRESH_SECRET = recordSecret('refresh-tokens-secret-that-is-long-enough-6543210');
const ISSUER = 'orders';
const AUDIENCE = 'orders-api';

@Injectable()
class RefreshStrategy extends PassportStrategy(Strategy, 'jwt-refresh') {
  constructor() {
    super({ jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(), secretOrKey: REFRESH_SECRET, algorithms: ['HS256'] });
  }

  validate(payload: { sub: string }) {
    return { id: payload.sub };
  }
}

@Controller('auth')
class AuthController {
  @Public({ ownCredential: true })
  @UseGuards(AuthGuard('jwt-refresh'))
  @Post('refresh')
  refresh(@Req() req: { user: { id: string } }, @CurrentPrincipal() principal: Principal | undefined) {
    return { user: req.user.id, principal: principal ?? null };
  }

  /** The same route with a plain `@Public()`: Bastion reads the refresh token as an access token. */
  @Public()
  @UseGuards(AuthGuard('jwt-refresh'))
  @Post('refresh-plain')
  refreshPlain(@Req() req: { user: { id: string } }) {
    return { user: req.user.id };
  }

  @Authenticated()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal) {
    return { subject: principal.subject };
  }
}

function appModule(options: Pick<BastionOptions, 'throttle'> = {}) {
  @Module({
    imports: [
      PassportModule,
      JwtModule.register({ secret: ACCESS_SECRET, signOptions: { expiresIn: '10m', issuer: ISSUER, audience: AUDIENCE } }),
      BastionModule.forRoot({ jwt: { issuer: ISSUER, audience: AUDIENCE, secret: ACCESS_SECRET, algorithms: ['HS256'] }, bruteForce: { enabled: false }, ...options }),
    ],
    controllers: [AuthController],
    providers: [RefreshStrategy],
  })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('@Public({ ownCredential: true }): the route checks its own Authorization (%s)', (adapter) => {
  let running: RunningApp;
  let jwt: JwtService;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    running = await startApp(appModule(), adapter, configureBastion);
    jwt = running.app.get(JwtService);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterAll(() => running.close());

  const post = (path: string, token?: string) =>
    fetch(`${running.url}${path}`, { method: 'POST', headers: token ? { authorization: `Bearer ${recordSecret(token)}` } : {} });

  it('lets the app’s refresh strategy take the refresh token; Bastion sets no principal and emits no failure', async () => {
    const refresh = jwt.sign({ sub: 'u-1' }, { secret: REFRESH_SECRET, expiresIn: '1d' });
    const before = events.length;
    const res = await post('/auth/refresh', refresh);
    expect(res.status).toBe(201);
    expect(await res.json()).toEqual({ user: 'u-1', principal: null });
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(events.slice(before).filter((e) => e.type === 'authentication.failed')).toEqual([]);
  });

  it('the app’s own guard still refuses a missing or wrong token there (its check is the only one)', async () => {
    expect((await post('/auth/refresh')).status).toBe(401);
    expect((await post('/auth/refresh', jwt.sign({ sub: 'u-1' }))).status).toBe(401);
  });

  it('a plain @Public() route still verifies a presented token: the refresh token is refused as an access token', async () => {
    const before = events.length;
    const res = await post('/auth/refresh-plain', jwt.sign({ sub: 'u-1' }, { secret: REFRESH_SECRET, expiresIn: '1d' }));
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, text)).toEqual([]);
    expect(JSON.parse(text)).toMatchObject({ code: 'ERR_INVALID_TOKEN' });
    expect(events.slice(before).find((e) => e.type === 'authentication.failed')?.reason).toBe('ERR_SIGNATURE_INVALID');
  });

  it('changes nothing elsewhere: an authenticated route refuses the refresh token and takes an access token', async () => {
    const refresh = jwt.sign({ sub: 'u-1' }, { secret: REFRESH_SECRET, expiresIn: '1d' });
    expect((await fetch(`${running.url}/auth/me`, { headers: { authorization: `Bearer ${recordSecret(refresh)}` } })).status).toBe(401);
    const access = recordSecret(jwt.sign({ sub: 'u-2' }));
    const res = await fetch(`${running.url}/auth/me`, { headers: { authorization: `Bearer ${access}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ subject: 'u-2' });
  });
});

describe.each(ADAPTERS)('@Public({ ownCredential: true }) and the anonymous budget (%s)', (adapter) => {
  let running: RunningApp;

  beforeAll(async () => {
    running = await startApp(appModule({ throttle: { anonymous: { limit: 3, ttl: 60_000 } } }), adapter, configureBastion);
  });
  afterAll(() => running.close());

  it('counts each call against the anonymous budget although it carries a token: Bastion verified nothing', async () => {
    const refresh = recordSecret(running.app.get(JwtService).sign({ sub: 'u-1' }, { secret: REFRESH_SECRET, expiresIn: '1d' }));
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await fetch(`${running.url}/auth/refresh`, { method: 'POST', headers: { authorization: `Bearer ${refresh}` } })).status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });
});
