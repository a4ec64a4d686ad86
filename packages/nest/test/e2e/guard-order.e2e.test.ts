import { CanActivate, Controller, ExecutionContext, Get, Injectable, Module, UnauthorizedException } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticated, AuthenticationGuard, BastionModule, configureBastion, Public, SecurityEvents, type BastionOptions, type SecurityEvent } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, problemInvariants, startApp, type RunningApp } from '../support/app.js';
import { recordSecret } from '../support/secrets.js';

const seen: string[] = [];

/** The app's own global guard, registered in its root module (the NestJS docs' global JwtAuthGuard shape). */
@Injectable()
class AppOwnGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ url: string; headers: Record<string, string | undefined> }>();
    seen.push(req.url);
    if (req.url.startsWith('/open')) return true;
    if (!req.headers.authorization) throw new UnauthorizedException('the app guard answered');
    return true;
  }
}

@Controller()
class RoutesController {
  @Authenticated()
  @Get('profile')
  profile() {
    return { ok: true };
  }

  @Public()
  @Get('open')
  open() {
    return { ok: true };
  }
}

/** A replacement registered through the `guards` option: it takes the built-in guard's place, first. */
@Injectable()
class TenantAuthenticationGuard extends AuthenticationGuard {}

const SETUPS: ReadonlyArray<[string, Pick<BastionOptions, 'guards'>]> = [
  ['built-in guards', {}],
  ['guards.authentication replaced', { guards: { authentication: TenantAuthenticationGuard } }],
];

describe.each(ADAPTERS.flatMap((adapter) => SETUPS.map(([label, options]) => [adapter, label, options] as const)))('Bastion’s guards run before the app’s own APP_GUARD (%s, %s)', (adapter, _label, options) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  const events: SecurityEvent[] = [];

  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({
      imports: [BastionModule.forRoot({ jwt: issuer.options(), ...options })],
      controllers: [RoutesController],
      providers: [{ provide: APP_GUARD, useClass: AppOwnGuard }],
    })
    class AppModule {}
    running = await startApp(AppModule, adapter, configureBastion);
    running.app.get(SecurityEvents).subscribe((e) => events.push(e));
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  it('refuses an anonymous request with Bastion’s 401 and audit event before the app’s guard runs', async () => {
    seen.length = 0;
    const before = events.length;
    const res = await fetch(`${running.url}/profile`);
    const text = await res.text();
    expect(res.status).toBe(401);
    expect(problemInvariants(res, text)).toEqual([]);
    expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm=/);
    expect(events.slice(before).map((e) => [e.type, e.reason])).toContainEqual(['authentication.failed', 'ERR_CREDENTIAL_MISSING']);
    expect(seen).toEqual([]);
  });

  it('still runs the app’s guard after Bastion’s, on authenticated and public routes', async () => {
    seen.length = 0;
    const token = recordSecret(await issuer.sign({ sub: 'alice' }));
    expect((await fetch(`${running.url}/profile`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await fetch(`${running.url}/open`)).status).toBe(200);
    expect(seen).toEqual(['/profile', '/open']);
  });
});
