import { Controller, Get, Module, type DynamicModule } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { Authenticated, BastionModule } from '../../src/index.js';
import { TestIssuer } from '../../src/testing/index.js';
import { ADAPTERS, startApp, type RunningApp } from '../support/app.js';

@Controller()
class ClockController {
  @Get('me')
  @Authenticated()
  me() {
    return { ok: true };
  }
}

describe.each(ADAPTERS)('token expiry follows the clock, also for cached tokens (%s)', (adapter) => {
  let issuer: TestIssuer;
  let running: RunningApp;
  beforeAll(async () => {
    issuer = await TestIssuer.start();
    @Module({ imports: [BastionModule.forRoot({ jwt: issuer.options() }) as DynamicModule], controllers: [ClockController] })
    class AppModule {}
    running = await startApp(AppModule, adapter);
  });
  afterEach(() => {
    vi.useRealTimers();
  });
  afterAll(async () => {
    await running.close();
    await issuer.close();
  });

  it('accepts a token, then rejects the same (cached) token once the faked clock passes exp + tolerance', async () => {
    const token = await issuer.sign({ sub: 'clock' }, { expiresIn: 60 });
    const call = () => fetch(`${running.url}/me`, { headers: { authorization: `Bearer ${token}` } });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200); // served from the verified-token cache
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    const expired = await call();
    expect(expired.status).toBe(401);
    expect(expired.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });
});
