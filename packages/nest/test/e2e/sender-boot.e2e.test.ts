import { Controller, Get, Module } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { Authenticated, BastionModule, configureBastion, Dpop, type BastionOptions, type DpopMode } from '../../src/index.js';
import { ADAPTERS, startApp } from '../support/app.js';

const jwt = { issuer: 'https://id.example.com', audience: 'api', jwksUri: 'https://id.example.com/jwks' };

function appWith(options: BastionOptions, mode: unknown = 'required'): new () => unknown {
  @Controller()
  class PayController {
    @Get('pay')
    @Dpop(mode as DpopMode)
    @Authenticated()
    pay() {
      return { ok: true };
    }
  }
  @Module({ imports: [BastionModule.forRootAsync({ useFactory: async () => options })], controllers: [PayController] })
  class AppModule {}
  return AppModule;
}

describe.each(ADAPTERS)('sender-constrained configuration at boot (%s)', (adapter) => {
  it('refuses @Dpop() on a route when "dpop" is not configured, naming the route', async () => {
    await expect(startApp(appWith({ jwt }), adapter, configureBastion)).rejects.toThrow(/PayController\.pay \(GET \/pay\): @Dpop\('required'\) needs the "dpop" option/);
  });

  it('refuses an @Dpop() mode that does not exist', async () => {
    await expect(startApp(appWith({ jwt, dpop: {} }, 'sometimes'), adapter, configureBastion)).rejects.toThrow(/@Dpop\(\) needs 'allowed', 'required' or 'disabled'/);
  });

  it.each([
    [{ jwt, dpop: { algorithms: ['HS256'] } }, '"dpop.algorithms[0]"'],
    [{ dpop: {} }, '"dpop" needs a trust list ("jwt" or "issuers")'],
    [{ jwt, dpop: {}, mtls: { clients: [{ clientId: 'a', thumbprint: 'x' }] } }, '"mtls.clients[0].thumbprint"'],
  ])('refuses %j', async (options, message) => {
    await expect(startApp(appWith(options as BastionOptions), adapter, configureBastion)).rejects.toThrow(message);
  });

  it('boots with @Dpop() and "dpop" configured', async () => {
    const running = await startApp(appWith({ jwt, dpop: {} }), adapter, configureBastion);
    expect((await fetch(`${running.url}/pay`)).headers.get('www-authenticate')).toBe('DPoP realm="api", algs="ES256 ES384 PS256 RS256 EdDSA"');
    await running.close();
  });
});
