import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider, { errors } from 'oidc-provider';

/** The API (RFC 8707 resource) the provider issues access tokens for; its tokens have `aud: 'orders-api'`. */
export const RESOURCE = 'https://orders-api.example';
export const AUDIENCE = 'orders-api';

/** A real OpenID provider (oidc-provider) on 127.0.0.1, with the clients and counters the suites use. */
export interface TestProvider {
  issuer: string;
  server: Server;
  /** Requests served, by path (`/token`, `/token/introspection`…). */
  requests: Map<string, number>;
  /** Key pair of the `private_key_jwt` clients (`orders-worker-jwt`, `orders-api-jwt`). */
  clientKey: { privateKey: KeyObject; kid: string };
  close(): Promise<void>;
}

/** Client-credentials clients; secrets are long random-looking strings (recorded as secrets by the suites). */
export const CLIENTS = {
  basic: { client_id: 'orders-worker', client_secret: 'a-long-client-secret-for-the-test-provider-0123456789' },
  post: { client_id: 'orders-worker-post', client_secret: 'another-long-client-secret-for-the-provider-98765' },
  jwt: { client_id: 'orders-worker-jwt' },
  /** The resource server itself, allowed to introspect (`client_secret_basic` and `private_key_jwt` variants). */
  resourceServer: { client_id: 'orders-api', client_secret: 'the-resource-servers-introspection-secret-424242' },
  resourceServerJwt: { client_id: 'orders-api-jwt' },
} as const;

/**
 * Starts oidc-provider with client credentials, resource indicators (`accessTokenFormat` as given: JWT
 * access tokens (RFC 9068) or opaque ones), introspection and revocation enabled.
 */
export async function startProvider(options: { accessTokenFormat?: 'jwt' | 'opaque'; accessTokenTTL?: number } = {}): Promise<TestProvider> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signingKey = { ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }), kid: 'op-rs256', alg: 'RS256', use: 'sig' };
  const client = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const clientJwks = { keys: [{ ...client.publicKey.export({ format: 'jwk' }), kid: 'client-es256', alg: 'ES256', use: 'sig' }] };
  const cc = { grant_types: ['client_credentials'], redirect_uris: [], response_types: [], scope: 'orders:read orders:write' };
  const provider = new Provider(issuer, {
    clients: [
      { ...CLIENTS.basic, ...cc },
      { ...CLIENTS.post, ...cc, token_endpoint_auth_method: 'client_secret_post' },
      { ...CLIENTS.jwt, ...cc, token_endpoint_auth_method: 'private_key_jwt', jwks: clientJwks },
      { ...CLIENTS.resourceServer, grant_types: [], redirect_uris: [], response_types: [] },
      { ...CLIENTS.resourceServerJwt, grant_types: [], redirect_uris: [], response_types: [], token_endpoint_auth_method: 'private_key_jwt', jwks: clientJwks },
    ],
    jwks: { keys: [signingKey as never] },
    scopes: ['orders:read', 'orders:write'],
    ttl: { ClientCredentials: options.accessTokenTTL ?? 300 },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true },
      // Only the resource server may learn what a token means.
      introspection: { enabled: true, allowedPolicy: (_ctx: unknown, c: { clientId: string }) => c.clientId.startsWith('orders-api') },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, resource: string) => {
          if (resource !== RESOURCE) throw new errors.InvalidTarget();
          return {
            scope: 'orders:read orders:write',
            audience: AUDIENCE,
            accessTokenFormat: options.accessTokenFormat ?? 'jwt',
            accessTokenTTL: options.accessTokenTTL ?? 300,
            jwt: { sign: { alg: 'RS256' } },
          };
        },
      },
    },
  });
  const requests = new Map<string, number>();
  const callback = provider.callback();
  server.on('request', (req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    requests.set(path, (requests.get(path) ?? 0) + 1);
    callback(req, res);
  });
  return {
    issuer,
    server,
    requests,
    clientKey: { privateKey: client.privateKey, kid: 'client-es256' },
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** A client-credentials access token for `scope`, obtained by `client_secret_basic` as the `orders-worker` client. */
export async function clientCredentialsToken(issuer: string, scope: string): Promise<string> {
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${CLIENTS.basic.client_id}:${CLIENTS.basic.client_secret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope, resource: RESOURCE }),
  });
  const body = (await res.json()) as { access_token?: string; error?: string };
  if (res.status !== 200 || !body.access_token) throw new Error(`token request failed: ${res.status} ${body.error}`);
  return body.access_token;
}
