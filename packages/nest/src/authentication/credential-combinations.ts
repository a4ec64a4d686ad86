import type { Authenticator } from '../core/authenticator.js';
import type { CredentialType } from '../core/principal.js';

/**
 * An authenticator for several credentials presented together (e.g. an API key and a signature made with
 * that key's signing key). `credential` is the one that names the caller; `credentials` lists them all.
 */
export interface CombinedAuthenticator extends Authenticator {
  readonly credentials: readonly CredentialType[];
}

/** Injection token: the enabled {@link CombinedAuthenticator}s. */
export const CREDENTIAL_COMBINATIONS = Symbol('BASTION_CREDENTIAL_COMBINATIONS');

/** One way into a route: a credential type alone, or several that must be presented together. */
export type CredentialWay = CredentialType | readonly CredentialType[];

function sameSet(a: readonly CredentialType[], b: readonly CredentialType[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}

/** What the guard should do with the credentials a request presents. */
export type Selection = { authenticator: Authenticator } | { refuse: 'ERR_MULTIPLE_CREDENTIALS' | 'ERR_CREDENTIAL_INCOMPLETE' } | undefined;

/**
 * Picks the authenticator for the presented credentials, given the route's ways in (`'any'` without a
 * boundary): one credential accepted alone → its authenticator; several that form an accepted combination
 * → the combined authenticator; one that is only accepted together with another → refused as incomplete
 * (it is not verified: a key sent alone learns nothing); several that form no combination → refused as
 * ambiguous. `undefined` when nothing is presented.
 */
export function selectAuthenticator(presented: readonly Authenticator[], combinations: readonly CombinedAuthenticator[], ways: readonly CredentialWay[] | 'any'): Selection {
  if (presented.length === 0) return undefined;
  const types = presented.map((a) => a.credential);
  if (presented.length === 1) {
    if (ways === 'any' || ways.includes(types[0]!)) return { authenticator: presented[0]! };
    return { refuse: 'ERR_CREDENTIAL_INCOMPLETE' };
  }
  const accepted = ways === 'any' || ways.some((w) => Array.isArray(w) && sameSet(w, types));
  const combined = accepted ? combinations.find((c) => sameSet(c.credentials, types)) : undefined;
  return combined ? { authenticator: combined } : { refuse: 'ERR_MULTIPLE_CREDENTIALS' };
}
