import type { Principal } from '../../core/principal.js';
import type { ApiKeyRecord } from './api-key-record.js';

/** The principal of a verified API key: its owner with its scopes; `tokenId` is the key id. */
export function apiKeyPrincipal(record: ApiKeyRecord): Principal {
  return {
    subject: record.owner,
    clientId: record.clientId,
    scopes: new Set(record.scopes),
    roles: new Set(record.roles ?? []),
    credential: 'api-key',
    tokenId: record.id,
    expiresAt: record.expiresAt,
    claims: { keyId: record.id, ...(record.name === undefined ? {} : { name: record.name }) },
  };
}
