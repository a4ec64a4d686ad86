import type { BastionConfig } from '../core/bastion-config.js';
import type { CredentialType } from '../core/principal.js';
import { acceptSignature } from './signature/accept-signature.js';
import type { WaysIn } from './credential-combinations.js';

/** Credentials that are not presented as `Authorization: Bearer` (nor as a DPoP-bound token). */
const NOT_BEARER: ReadonlySet<CredentialType> = new Set(['signature', 'api-key', 'mtls']);

/**
 * The challenge headers of a 401 on a route that accepts only signed requests, API keys and/or client
 * certificates (at least one of the first two), or
 * `undefined` to keep the default `Bearer` challenge (any other credential type may be a bearer token).
 * An API key is asked for with `WWW-Authenticate: ApiKey realm="…"` (the `Authorization` scheme it is
 * read from); a signature with RFC 9421 §5.1 `Accept-Signature`. No authentication scheme is registered
 * for RFC 9421 signatures, so a route accepting signatures alone answers without `WWW-Authenticate`
 * rather than with a `Bearer` challenge it would refuse.
 */
export function credentialChallenge(ways: WaysIn, config: BastionConfig, hasBody: boolean): Record<string, string> | undefined {
  const accepted = new Set<CredentialType>(ways.alone);
  for (const combination of ways.combinations) combination.credentials.forEach((c) => accepted.add(c));
  if (accepted.size === 0 || ![...accepted].every((c) => NOT_BEARER.has(c))) return undefined;
  const headers: Record<string, string> = {};
  if (accepted.has('api-key')) headers['WWW-Authenticate'] = `ApiKey realm="${config.realm.replace(/["\\]/g, '')}"`;
  if (accepted.has('signature') && config.signature) headers['Accept-Signature'] = acceptSignature(config.signature, hasBody);
  // Client certificates alone: no challenge of their own, the default stays.
  return Object.keys(headers).length > 0 ? headers : undefined;
}
