import { Controller, Get, Module } from '@nestjs/common';
import { describe, expect, it } from 'vitest';
import { Authenticated, BastionConfigError, BastionModule, type JwtIssuerOptions } from '../../src/index.js';
import { ADAPTERS, startApp } from '../support/app.js';

@Controller()
class SecretController {
  @Get('secret')
  @Authenticated()
  secret() {
    return { ok: true };
  }
}

const GOOD: JwtIssuerOptions = { issuer: 'https://id.example.com', audience: 'orders-api', jwksUri: 'https://id.example.com/jwks' };

const INSECURE: [string, unknown, string][] = [
  ['no audience', { ...GOOD, audience: undefined }, '"jwt.audience"'],
  ['HS256 with a short secret', { issuer: GOOD.issuer, audience: 'orders-api', algorithms: ['HS256'], secret: 'changeme' }, '"jwt.secret" must be at least 32 bytes'],
  ['HS256 without a secret', { ...GOOD, algorithms: ['HS256'] }, '"jwt.algorithms[0]"'],
  ['"none" in the algorithm list', { ...GOOD, algorithms: ['RS256', 'none'] }, '"jwt.algorithms[1]" must not be "none"'],
  ['an unknown algorithm', { ...GOOD, algorithms: ['RS255'] }, '"jwt.algorithms[0]"'],
  ['two key sources', { ...GOOD, discovery: true }, '"jwt.discovery" cannot be combined'],
  ['a plain-http JWKS off loopback', { ...GOOD, jwksUri: 'http://id.example.com/jwks' }, '"jwt.jwksUri" must use https:'],
  ['a second issuer without audience', [GOOD, { ...GOOD, issuer: 'https://b.example', audience: [] }], '"jwt[1].audience"'],
];

describe('insecure JWT configuration fails at boot, naming the option', () => {
  it.each(INSECURE)('forRoot refuses %s', (_name, jwt, message) => {
    expect(() => BastionModule.forRoot({ jwt: jwt as JwtIssuerOptions })).toThrow(BastionConfigError);
    expect(() => BastionModule.forRoot({ jwt: jwt as JwtIssuerOptions })).toThrow(message);
  });

  describe.each(ADAPTERS)('forRootAsync (%s)', (adapter) => {
    it.each(INSECURE)('app boot rejects %s', async (_name, jwt, message) => {
      @Module({ imports: [BastionModule.forRootAsync({ useFactory: async () => ({ jwt: jwt as JwtIssuerOptions }) })], controllers: [SecretController] })
      class AppModule {}
      await expect(startApp(AppModule, adapter)).rejects.toThrow(message);
    });

    it('boots with a secure configuration (keys are fetched lazily, so an IdP that is down does not stop the app)', async () => {
      @Module({ imports: [BastionModule.forRootAsync({ useFactory: async () => ({ jwt: GOOD }) })], controllers: [SecretController] })
      class AppModule {}
      const running = await startApp(AppModule, adapter);
      expect((await fetch(`${running.url}/secret`)).status).toBe(401);
      await running.close();
    });
  });
});
