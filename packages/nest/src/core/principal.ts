/** The credential types Bastion can authenticate. */
export type CredentialType = 'jwt' | 'introspection' | 'api-key' | 'signature' | 'mtls';

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
   * Every credential verified together, when the route required more than one (e.g. `['api-key',
   * 'signature']`); `credential` is then the one that names the caller. Absent for a single credential.
   */
  readonly combined?: readonly CredentialType[];
  /** Token id (`jti`) or key id, when the credential has one. */
  readonly tokenId?: string;
  readonly expiresAt?: Date;
  /** Verified claims (JWT payload or equivalent). */
  readonly claims: Readonly<Record<string, unknown>>;
}
