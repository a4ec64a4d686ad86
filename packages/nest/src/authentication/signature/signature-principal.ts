import type { Principal } from '../../core/principal.js';
import type { VerifiedSignature } from './signature-verifier.js';

/**
 * The principal of a verified signature: the key's owner with the key's scopes and roles. `tokenId` is
 * the key id; `claims` describe the signature (never its value).
 */
export function signaturePrincipal(verified: VerifiedSignature): Principal {
  const { key } = verified;
  return {
    subject: key.owner,
    clientId: key.clientId,
    scopes: new Set(key.scopes),
    roles: new Set(key.roles),
    credential: 'signature',
    tokenId: key.keyid,
    expiresAt: verified.expires === undefined ? undefined : new Date(verified.expires * 1000),
    claims: signatureClaims(verified),
  };
}

/** What a principal may say about the signature that authenticated it. */
export function signatureClaims(verified: VerifiedSignature): Record<string, unknown> {
  return {
    keyid: verified.key.keyid,
    alg: verified.key.alg,
    label: verified.label,
    created: verified.created,
    ...(verified.expires === undefined ? {} : { expires: verified.expires }),
    ...(verified.tag === undefined ? {} : { tag: verified.tag }),
    covered: verified.covered,
  };
}
