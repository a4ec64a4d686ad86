import { generateKeyPairSync } from 'node:crypto';
import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import { JwtModule, JwtService } from '@nestjs/jwt';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionConfigError, BastionModule, CurrentPrincipal, Public, SecurityEvents, type JwtIssuerOptions, type Principal, type SecurityEvent } from '../../src/index.js';
import { resolveConfig } from '../../src/options/resolve-config.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { capturedLines } from '../support/log-capture.js';
import { recordSecret } from '../support/secrets.js';

// An app that signs its own tokens with @nestjs/jwt (the NestJS authentication recipe) and now lets
// Bastion verify them: new tokens carry iss/aud, tokens already out do not, and the window drains.
const SECRET = recordSecret('the-apps-own-hs256-secret-that-is-long-enough-0123');
const ISSUER = 'https://orders.local';
const AUDIENCE = 'orders-api';
const WINDOW_MS = 10 * 60_000;

@Controller()
class AuthController {
  constructor(private readonly jwt: JwtService) {}

  /** The app's login: issues a token the recipe's way, now with issuer and audience in the sign options. */
  @Post('auth/login')
  @Public()
  login(@Body() body: { userId: number; username: string }) {
    return { access_token: this.jwt.sign({ sub: body.userId, username: body.username }, { issuer: ISSUER, audience: AUDIENCE }) };
  }

  @Get('profile')
  @Authenticated()
  profile(@CurrentPrincipal() p: Principal) {
    return { subject: p.subject, username: p.claims.username };
  }
}

function localIssuer(until: Date, extra: Partial<JwtIssuerOptions> = {}): JwtIssuerOptions {
  return { issuer: ISSUER, audience: AUDIENCE, secret: SECRET, algorithms: ['HS256'], claims: { acceptNumericSubject: true }, legacy: { acceptMissing: ['iss', 'aud'], until }, ...extra };
}

describe.each(ADAPTERS)('a local issuer: the app’s own @nestjs/jwt tokens, with a migration window (%s)', (adapter) => {
  let running: RunningApp;
  let jwt: JwtService;
  const events: SecurityEvent[] = [];
  let until: Date;

  beforeAll(async () => {
    until = new Date(Date.now() + WINDOW_MS);
    @Module({
      imports: [
        JwtModule.register({ secret: SECRET, signOptions: { expiresIn: '30m' } }),
        BastionModule.forRoot({ jwt: localIssuer(until), tokens: { maxLifetime: 3_600 }, bruteForce: { enabled: false } }),
      ],
      controllers: [AuthController],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter);
    jwt = running.app.get(JwtService);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await running.close();
  });

  const profile = async (token: string) => {
    const before = events.length;
    const res = await fetch(`${running.url}/profile`, { headers: { authorization: `Bearer ${recordSecret(token)}` } });
    const text = await res.text();
    if (res.status !== 200) expect(problemInvariants(res, text)).toEqual([]);
    const mine = events.slice(before);
    return { status: res.status, body: JSON.parse(text) as Record<string, unknown>, reason: mine.find((e) => e.type === 'authentication.failed')?.reason, legacy: mine.filter((e) => e.type === 'token.legacy_accepted') };
  };

  it('verifies a token from the app’s login (typ JWT, numeric sub, iat/exp from expiresIn, no jti)', async () => {
    const res = await fetch(`${running.url}/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 1, username: 'john' }) });
    const { access_token: token } = (await res.json()) as { access_token: string };
    const [header, payload] = token.split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p!, 'base64url').toString()) as Record<string, unknown>);
    expect(header).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(payload).toMatchObject({ sub: 1, iss: ISSUER, aud: AUDIENCE });
    expect(payload!.exp! as number - (payload!.iat as number)).toBe(1_800);
    expect(payload).not.toHaveProperty('jti');
    expect(await profile(token)).toMatchObject({ status: 200, body: { subject: '1', username: 'john' }, legacy: [] });
  });

  it('accepts a token already out without iss/aud inside the window, and audits each acceptance with its reason', async () => {
    const old = jwt.sign({ sub: 2, username: 'maria' });
    for (let i = 0; i < 2; i++) {
      const res = await profile(old);
      expect(res).toMatchObject({ status: 200, body: { subject: '2' } });
      expect(res.legacy).toHaveLength(1);
      expect(res.legacy[0]).toMatchObject({ outcome: 'info', reason: 'ERR_LEGACY_CLAIMS_MISSING', principal: { subject: '2' }, details: { issuer: ISSUER, missing: ['iss', 'aud'] } });
    }
    const noAud = jwt.sign({ sub: 3 }, { issuer: ISSUER });
    expect((await profile(noAud)).legacy[0]).toMatchObject({ details: { missing: ['aud'] } });
  });

  it('the window never relaxes anything else: another audience, another secret or an expired token is refused', async () => {
    expect(await profile(jwt.sign({ sub: 4 }, { audience: 'billing-api' }))).toMatchObject({ status: 401, reason: 'ERR_AUDIENCE_MISMATCH' });
    expect(await profile(jwt.sign({ sub: 4 }, { secret: 'another-secret-that-is-also-long-enough-0123456' }))).toMatchObject({ status: 401, reason: 'ERR_SIGNATURE_INVALID' });
    expect(await profile(jwt.sign({ sub: 4 }, { expiresIn: -10 }))).toMatchObject({ status: 401, reason: 'ERR_TOKEN_EXPIRED' });
  });

  it('after `until` a token without iss is refused, even one verified (and cached) before; new tokens keep working', async () => {
    const old = jwt.sign({ sub: 5 });
    expect((await profile(old)).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'], now: until.getTime() + 1_000 });
    expect(await profile(old)).toMatchObject({ status: 401, reason: 'ERR_ISSUER_MISSING' });
    expect(await profile(jwt.sign({ sub: 6 }))).toMatchObject({ status: 401, reason: 'ERR_ISSUER_MISSING' });
    expect(await profile(jwt.sign({ sub: 6 }, { issuer: ISSUER }))).toMatchObject({ status: 401, reason: 'ERR_AUDIENCE_MISSING' });
    expect(await profile(jwt.sign({ sub: 6 }, { issuer: ISSUER, audience: AUDIENCE }))).toMatchObject({ status: 200, legacy: [] });
  });
});

describe('local issuer with an RS256 key pair (@nestjs/jwt privateKey, Bastion the public key)', () => {
  it('verifies RS256 tokens signed by JwtService', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }) as string;
    recordSecret(pem.split('\n')[1]!);
    @Module({
      imports: [
        JwtModule.register({ privateKey: pem, signOptions: { algorithm: 'RS256', expiresIn: '5m', issuer: ISSUER, audience: AUDIENCE } }),
        BastionModule.forRoot({ jwt: { issuer: ISSUER, audience: AUDIENCE, keys: publicKey.export({ format: 'pem', type: 'spki' }) as string, algorithms: ['RS256'] } }),
      ],
      controllers: [AuthController],
    })
    class RsModule {}
    const running = await startApp(RsModule, 'fastify');
    try {
      const token = recordSecret(running.app.get(JwtService).sign({ sub: 'u-7' }));
      const res = await fetch(`${running.url}/profile`, { headers: { authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ subject: 'u-7' });
    } finally {
      await running.close();
    }
  });
});

describe('legacy window: boot rules', () => {
  it('tells the operator at boot when the window has ended (and the option can go)', async () => {
    @Module({ imports: [BastionModule.forRoot({ jwt: localIssuer(new Date(Date.now() - 60_000)) })], controllers: [AuthController], providers: [{ provide: JwtService, useValue: new JwtService({ secret: SECRET }) }] })
    class EndedModule {}
    const running = await startApp(EndedModule, 'express');
    try {
      expect(capturedLines().some((l) => l.text.includes('"jwt.legacy" ended on') && l.text.includes('remove the option'))).toBe(true);
    } finally {
      await running.close();
    }
  });

  const until = new Date(Date.now() + WINDOW_MS);
  it('is refused on an issuer whose keys are fetched, on a second issuer, and beyond 366 days', () => {
    expect(() => resolveConfig({ jwt: { issuer: ISSUER, audience: AUDIENCE, jwksUri: 'https://id.example/jwks', legacy: { acceptMissing: ['iss'], until } } })).toThrow(
      new BastionConfigError('jwt.legacy', 'is only allowed for an issuer with a static "secret" or "keys" (an app that signs its own tokens)'),
    );
    expect(() => resolveConfig({ jwt: [localIssuer(until), localIssuer(until, { issuer: 'https://second.local' })] })).toThrow(/"jwt\[1\]\.legacy" is also set on "jwt\[0\]"/);
    expect(() => resolveConfig({ jwt: localIssuer(new Date(Date.now() + 400 * 86_400_000)) })).toThrow(/"jwt.legacy.until" must be at most 366 days from now/);
    expect(() => resolveConfig({ jwt: localIssuer(until, { legacy: { acceptMissing: ['sub' as 'iss'], until } }) })).toThrow(/"jwt.legacy.acceptMissing"/);
    expect(() => resolveConfig({ jwt: localIssuer(until, { legacy: { acceptMissing: ['iss'], until: 'soon' } }) })).toThrow(/"jwt.legacy.until" must be an ISO 8601 date-time/);
  });
});
