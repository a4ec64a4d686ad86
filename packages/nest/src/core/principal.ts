/** Credential types Bastion builds in (each enabled by its own option). */
export type BuiltInCredential = 'jwt' | 'introspection' | 'api-key' | 'signature' | 'mtls' | 'dpop';

/**
 * The type of credential a principal was authenticated with: a built-in name, or the `credential` of
 * a custom authenticator (`authenticators` option, `passportAuthenticator`).
 */
// `string & {}` keeps editor completion for the built-in names while admitting any other.
export type CredentialType = BuiltInCredential | (string & {});

/**
 * True for credentials that carry an OAuth access token (bearer JWT, introspected token, DPoP-bound
 * token): their `sub` may name a user, and the client is the one in `client_id`/`azp`.
 */
export function isTokenCredential(credential: CredentialType): boolean {
  return credential === 'jwt' || credential === 'introspection' || credential === 'dpop';
}

/** Who is calling, as established by one verified credential. Never holds the credential itself. */
export interface Principal {
  /** Subject (`sub`) of the token, or the key/client id for machine credentials. */
  readonly subject: string;
  /** OAuth client that obtained the credential (`client_id`/`azp`), when known. */
  readonly clientId?: string;
  readonly scopes: ReadonlySet<string>;
  readonly roles: ReadonlySet<string>;
  readonly credential: CredentialType;
  /**
   * Every credential verified together, when the route required more than one (e.g.
   * `['api-key', 'signature']`); `credential` is then the one that names the caller. Absent for a single
   * credential.
   */
  readonly combined?: readonly CredentialType[];
  /** Token id (`jti`) or key id, when the credential has one. */
  readonly tokenId?: string;
  readonly expiresAt?: Date;
  /** Verified claims (JWT payload or equivalent). */
  readonly claims: Readonly<Record<string, unknown>>;
}
