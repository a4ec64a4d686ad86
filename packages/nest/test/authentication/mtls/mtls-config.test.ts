import { describe, expect, it } from 'vitest';
import { BastionConfigError } from '../../../src/options/assert.js';
import { resolveConfig } from '../../../src/options/resolve-config.js';
import type { BastionOptions } from '../../../src/options/bastion-options.interface.js';

const PIN = 'sEP7dQ0R1cu6oFtoOBPcmPoDa2Qp9PnB3bh4xgdWcuc';

describe('mtls options', () => {
  it.each([
    [{ mtls: {} }, 'mtls.clients'],
    [{ mtls: { clients: [] } }, 'mtls.clients'],
    [{ mtls: { clients: [{ thumbprint: PIN }] } }, 'mtls.clients[0].clientId'],
    [{ mtls: { clients: [{ clientId: 'a' }] } }, 'mtls.clients[0]'],
    [{ mtls: { clients: [{ clientId: 'a', thumbprint: PIN, tls_client_auth_san_dns: 'a.example' }] } }, 'mtls.clients[0]'],
    [{ mtls: { clients: [{ clientId: 'a', thumbprint: 'abc' }] } }, 'mtls.clients[0].thumbprint'],
    [{ mtls: { clients: [{ clientId: 'a', tls_client_auth_subject_dn: 'not a dn' }] } }, 'mtls.clients[0].tls_client_auth_subject_dn'],
    [{ mtls: { clients: [{ clientId: 'a', tls_client_auth_san_ip: '10.0.0.300' }] } }, 'mtls.clients[0].tls_client_auth_san_ip'],
    [{ mtls: { clients: [{ clientId: 'a', thumbprint: PIN }, { clientId: 'a', tls_client_auth_san_dns: 'x' }] } }, 'mtls.clients[1].clientId'],
    [{ mtls: { clients: [{ clientId: 'a', thumbprint: PIN }, { clientId: 'b', thumbprint: PIN }] } }, 'mtls.clients'],
    [{ mtls: { clients: [{ clientId: 'a', thumbprint: PIN, scopes: 'read' }] } }, 'mtls.clients[0].scopes'],
    [{ mtls: { ca: 'not a pem', clients: [{ clientId: 'a', thumbprint: PIN }] } }, 'mtls.ca'],
    [{ mtls: { clients: [{ clientId: 'a', thumbprint: PIN }], forwarded: {} } }, 'mtls.ca'],
  ])('refuses %j at boot, naming %s', (options, path) => {
    expect(() => resolveConfig(options as BastionOptions)).toThrow(BastionConfigError);
    expect(() => resolveConfig(options as BastionOptions)).toThrow(`"${path}"`);
  });

  it('accepts a pinned client without a CA, and hex thumbprints', () => {
    expect(() => resolveConfig({ mtls: { clients: [{ clientId: 'a', thumbprint: PIN }] } })).not.toThrow();
    const hex = Buffer.from(PIN, 'base64url').toString('hex').toUpperCase().match(/../g)!.join(':');
    expect(() => resolveConfig({ mtls: { clients: [{ clientId: 'a', thumbprint: hex }] } })).not.toThrow();
  });
});
