import type { SecurityEvents } from '../../audit/security-events.service.js';
import type { AccessTokenVerifier } from '../issuers/access-token-verifier.js';
import { BearerAuthenticator } from '../issuers/bearer.authenticator.js';

/**
 * The opaque-token authenticator (credential `introspection`, RFC 7662): claims bearer tokens that are
 * not a compact JWS (or a JWS of an issuer configured for introspection only) and checks them at the
 * issuer's introspection endpoint. Unreachable or slow endpoints give the uniform 401, never a 5xx.
 */
export class IntrospectionAuthenticator extends BearerAuthenticator {
  constructor(verifier: AccessTokenVerifier, events?: SecurityEvents) {
    super('introspection', verifier, events);
  }
}
