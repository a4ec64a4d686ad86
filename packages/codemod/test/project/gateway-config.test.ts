import { describe, expect, it } from 'vitest';
import { CodemodError } from '../../src/errors.js';
import { parseGatewayConfig } from '../../src/project/gateway-config.js';

describe('parseGatewayConfig', () => {
  it('reads upstreams with their defaults: prefix from the name, GET, URL and credentials named by env', () => {
    const config = parseGatewayConfig({ gateway: { upstreams: { 'order-history': { scopes: ['orders:read'], auth: { type: 'client-credentials' } } } } });
    expect(config.upstreams['order-history']).toEqual({
      urlEnv: 'ORDER_HISTORY_UPSTREAM_URL',
      prefix: '/order-history',
      methods: ['GET'],
      scopes: ['orders:read'],
      roles: [],
      authenticated: false,
      timeoutMs: undefined,
      maxRequestBytes: undefined,
      maxResponseBytes: undefined,
      concurrency: undefined,
      retryAttempts: undefined,
      allowInsecureHttp: false,
      auth: { type: 'client-credentials', tokenEndpointEnv: 'GATEWAY_TOKEN_ENDPOINT', clientIdEnv: 'GATEWAY_CLIENT_ID', clientSecretEnv: 'GATEWAY_CLIENT_SECRET' },
    });
  });

  it('reads a signature credential with its defaults', () => {
    const config = parseGatewayConfig({ gateway: { upstreams: { orders: { scopes: ['orders:read'], auth: { type: 'signature' } } } } });
    expect(config.upstreams.orders!.auth).toEqual({ type: 'signature', keyIdEnv: 'GATEWAY_SIGNING_KEY_ID', keyEnv: 'GATEWAY_SIGNING_KEY', alg: 'ed25519' });
  });

  it('has no upstreams when bastion.json has no gateway', () => {
    expect(parseGatewayConfig({ scopeFormat: '{resource}:{action}' })).toEqual({ upstreams: {}, app: false });
  });

  it('reads "gateway.app" (default false)', () => {
    const upstreams = { orders: { auth: { type: 'none' } } };
    expect(parseGatewayConfig({ gateway: { upstreams } }).app).toBe(false);
    expect(parseGatewayConfig({ gateway: { app: true, upstreams } }).app).toBe(true);
  });

  it.each([
    [{ gateway: [] }, 'gateway.upstreams'],
    [{ gateway: { app: 'yes', upstreams: {} } }, 'gateway.app'],
    [{ gateway: { upstreams: { Orders: { auth: { type: 'none' } } } } }, 'gateway.upstreams.Orders'],
    [{ gateway: { upstreams: { orders: { urlEnv: 'lower', auth: { type: 'none' } } } } }, 'urlEnv'],
    [{ gateway: { upstreams: { orders: { timeoutMs: 0, auth: { type: 'none' } } } } }, 'timeoutMs'],
    [{ gateway: { upstreams: { orders: { auth: { type: 'client-credentials', clientSecretEnv: 'not an env' } } } } }, 'clientSecretEnv'],
    [{ gateway: { upstreams: { orders: { auth: { type: 'signature', alg: 'none' } } } } }, 'auth.alg'],
  ])('refuses %j with ERR_BASTION_JSON naming the setting', (raw, named) => {
    let error: unknown;
    try {
      parseGatewayConfig(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CodemodError);
    expect((error as CodemodError).code).toBe('ERR_BASTION_JSON');
    expect((error as Error).message).toContain(named);
  });
});
