import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BastionConfigError, ClientCredentialsError, ClientCredentialsTokenProvider, clientCredentialsProvider, type ClientCredentialsOptions } from '../../src/index.js';
import { CLIENTS, RESOURCE, startProvider, type TestProvider } from '../support/oidc-provider.js';
import { recordSecret } from '../support/secrets.js';

let op: TestProvider;
const tokenRequests = () => op.requests.get('/token') ?? 0;

beforeAll(async () => {
  op = await startProvider({ accessTokenFormat: 'opaque', accessTokenTTL: 300 });
  recordSecret(CLIENTS.basic.client_secret);
  recordSecret(CLIENTS.post.client_secret);
});
afterAll(async () => {
  await op.close();
});

function provider(options: Partial<ClientCredentialsOptions> = {}, now?: () => number) {
  return new ClientCredentialsTokenProvider(
    { tokenEndpoint: `${op.issuer}/token`, clientId: CLIENTS.basic.client_id, clientSecret: CLIENTS.basic.client_secret, scope: 'orders:read', resource: RESOURCE, ...options } as ClientCredentialsOptions,
    { now },
  );
}

async function introspect(token: string): Promise<Record<string, unknown>> {
  const res = await fetch(`${op.issuer}/token/introspection`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${CLIENTS.resourceServer.client_id}:${CLIENTS.resourceServer.client_secret}`).toString('base64')}` },
    body: new URLSearchParams({ token }),
  });
  return (await res.json()) as Record<string, unknown>;
}

describe('ClientCredentialsTokenProvider against oidc-provider', () => {
  it.each([
    ['client_secret_basic', {}],
    ['client_secret_post', { clientId: CLIENTS.post.client_id, clientSecret: CLIENTS.post.client_secret, authMethod: 'client_secret_post' }],
  ] as const)('obtains a token with %s, with the requested scope and resource', async (_method, auth) => {
    const token = await provider(auth as Partial<ClientCredentialsOptions>).getAccessToken();
    recordSecret(token.accessToken);
    expect(token.tokenType).toBe('Bearer');
    expect(token.scope).toBe('orders:read');
    expect(token.expiresAt.getTime() - Date.now()).toBeGreaterThan(290_000);
    expect(await introspect(token.accessToken)).toMatchObject({ active: true, client_id: (auth as { clientId?: string }).clientId ?? CLIENTS.basic.client_id, aud: 'orders-api', scope: 'orders:read' });
  });

  it('obtains a token with private_key_jwt, the token endpoint found by discovery and the issuer as assertion audience', async () => {
    const tokens = new ClientCredentialsTokenProvider({ issuer: op.issuer, clientId: CLIENTS.jwt.client_id, privateKey: op.clientKey.privateKey, keyId: op.clientKey.kid, scope: ['orders:read', 'orders:write'], resource: RESOURCE });
    const header = await tokens.authorizationHeader();
    recordSecret(header.slice(7));
    expect(header).toMatch(/^Bearer \S+$/);
    expect(await introspect(header.slice(7))).toMatchObject({ active: true, client_id: CLIENTS.jwt.client_id, scope: 'orders:read orders:write' });
    // A second assertion is a new one (unique jti): the provider's replay check accepts it.
    tokens.invalidate();
    expect(await tokens.getToken()).not.toBe(header.slice(7));
  });

  it('caches the token and makes ONE request for many concurrent callers', async () => {
    const tokens = provider();
    const before = tokenRequests();
    const all = await Promise.all(Array.from({ length: 30 }, () => tokens.getToken()));
    recordSecret(all[0]!);
    expect(new Set(all).size).toBe(1);
    expect(tokenRequests() - before).toBe(1);
    await tokens.getToken();
    expect(tokens.requests).toBe(1);
  });

  it('renews before expiry (renewBefore + jitter, on a fake clock) while callers keep the current token', async () => {
    let now = Date.now();
    const tokens = provider({ renewBefore: 60, jitter: 10 }, () => now);
    const first = recordSecret(await tokens.getToken());
    now += 225_000; // 75 s before expiry: before the renewal window (60–70 s before)
    expect(await tokens.getToken()).toBe(first);
    expect(tokens.requests).toBe(1);
    now += 10_000; // 65 s before expiry: maybe in the window depending on jitter; 5 s later certainly
    now += 5_500;
    const during = await Promise.all(Array.from({ length: 5 }, () => tokens.getToken()));
    expect(new Set(during)).toEqual(new Set([first]));
    // The renewal started in the background; the next call after it lands gets the new token.
    await expect.poll(async () => tokens.getToken(), { timeout: 10_000, interval: 20 }).not.toBe(first);
    expect(tokens.requests).toBe(2);
    recordSecret(await tokens.getToken());
  });

  it('fetches synchronously once the token has expired, and keeps a still-valid token when a renewal fails', async () => {
    let now = Date.now();
    const tokens = provider({ renewBefore: 60, jitter: 0 }, () => now);
    const first = recordSecret(await tokens.getToken());
    await op.close();
    try {
      now += 250_000;
      expect(await tokens.getToken()).toBe(first); // renewal fails in the background; the token is still valid
      now += 60_000; // expired: the caller now needs the endpoint
      const error = await tokens.getToken().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ClientCredentialsError);
      expect(error).toMatchObject({ code: 'ERR_TOKEN_ENDPOINT_UNAVAILABLE', retryable: true });
    } finally {
      op = await startProvider({ accessTokenFormat: 'opaque' });
    }
  });

  it('maps refusals to typed errors that never contain the secret', async () => {
    const badSecret = recordSecret('a-wrong-client-secret-of-enough-length');
    const wrong = await provider({ clientSecret: badSecret }).getToken().catch((e: unknown) => e);
    expect(wrong).toMatchObject({ code: 'ERR_TOKEN_REQUEST_REJECTED', status: 401, oauthError: 'invalid_client', retryable: false });
    expect(String((wrong as Error).message)).not.toContain(badSecret);
    const resource = await provider({ resource: 'https://unknown.example' }).getToken().catch((e: unknown) => e);
    expect(resource).toMatchObject({ code: 'ERR_TOKEN_REQUEST_REJECTED', status: 400, oauthError: 'invalid_target' });
  });

  it('refuses bad options at boot, naming them and never echoing a secret or key', () => {
    expect(() => provider({ clientSecret: 'short' })).toThrow(new BastionConfigError('clientCredentials.clientSecret', 'must be a string of at least 16 characters'));
    expect(() => new ClientCredentialsTokenProvider({ clientId: 'x', clientSecret: 'x'.repeat(20) })).toThrow(/"clientCredentials.tokenEndpoint" is required/);
    expect(() => provider({ tokenEndpoint: 'http://id.example/token' })).toThrow(/"clientCredentials.tokenEndpoint" must use https:/);
    expect(() => provider({ clientSecret: undefined, privateKey: '-----BEGIN PRIVATE KEY-----\nnot-a-key\n-----END PRIVATE KEY-----' })).toThrow(/"clientCredentials.privateKey" must be a private key/);
    expect(() => provider({ resource: 'not a uri' })).toThrow(/"clientCredentials.resource"/);
  });
});

describe('clientCredentialsProvider (Nest)', () => {
  it('provides a token provider under its class, and under a token from a factory', async () => {
    @Injectable()
    class Billing {
      constructor(readonly tokens: ClientCredentialsTokenProvider) {}
    }
    @Module({
      providers: [
        clientCredentialsProvider({ tokenEndpoint: `${op.issuer}/token`, clientId: CLIENTS.basic.client_id, clientSecret: CLIENTS.basic.client_secret, resource: RESOURCE }),
        clientCredentialsProvider({ provide: 'POST_TOKENS', useFactory: async () => ({ issuer: op.issuer, clientId: CLIENTS.post.client_id, clientSecret: CLIENTS.post.client_secret, authMethod: 'client_secret_post' as const }) }),
        Billing,
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: false });
    try {
      const token = recordSecret(await app.get(Billing).tokens.getToken());
      expect(await introspect(token)).toMatchObject({ active: true, client_id: CLIENTS.basic.client_id });
      const other = recordSecret(await app.get<ClientCredentialsTokenProvider>('POST_TOKENS').getToken());
      expect(await introspect(other)).toMatchObject({ active: true, client_id: CLIENTS.post.client_id });
    } finally {
      await app.close();
    }
  });
});
