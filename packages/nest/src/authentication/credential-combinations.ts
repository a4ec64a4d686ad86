import type { Authenticator } from '../core/authenticator.js';
import type { CredentialType } from '../core/principal.js';

/**
 * Verifies several credentials presented together (an API key and a signature made with that key's
 * signing key). `credential` is the one that names the caller; `credentials` lists them all. Built in
 * only: a boundary may name a combination only when one of these verifies it.
 */
export interface CombinedAuthenticator extends Pick<Authenticator, 'credential' | 'authenticate'> {
  readonly credentials: readonly CredentialType[];
}

/** Injection token (internal): the enabled {@link CombinedAuthenticator}s. */
export const CREDENTIAL_COMBINATIONS = Symbol('BASTION_CREDENTIAL_COMBINATIONS');

/** One way into a route: a credential type alone, or several that must be presented together. */
export type CredentialWay = CredentialType | readonly CredentialType[];

/** True when two lists name the same credential types. */
export function sameCredentials(a: readonly CredentialType[], b: readonly CredentialType[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/** What a route lets in: the types accepted alone, and the combinations accepted. */
export interface WaysIn {
  readonly alone: ReadonlySet<CredentialType>;
  readonly combinations: readonly CombinedAuthenticator[];
}

/** What the guard does with the credentials a request presents (at least one). */
export type Selection = { readonly authenticator: Pick<Authenticator, 'credential' | 'authenticate'> } | { readonly refuse: 'ERR_MULTIPLE_CREDENTIALS' | 'ERR_CREDENTIAL_INCOMPLETE' };

/**
 * Picks the authenticator for the presented credentials: one credential accepted alone → its
 * authenticator; several that form an accepted combination → the combined authenticator; one that is
 * only accepted together with another → refused as incomplete (not verified: a key sent alone learns
 * nothing); several that form no accepted combination → refused as ambiguous.
 */
export function selectAuthenticator(presented: readonly Authenticator[], ways: WaysIn): Selection {
  if (presented.length === 1) {
    const only = presented[0]!;
    return ways.alone.has(only.credential) ? { authenticator: only } : { refuse: 'ERR_CREDENTIAL_INCOMPLETE' };
  }
  const types = presented.map((a) => a.credential);
  const combined = ways.combinations.find((c) => sameCredentials(c.credentials, types));
  return combined ? { authenticator: combined } : { refuse: 'ERR_MULTIPLE_CREDENTIALS' };
}
