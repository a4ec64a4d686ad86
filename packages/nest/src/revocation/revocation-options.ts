/**
 * Rules on token lifetime and identity, applied to every bearer token after its signature is verified.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ jwt: {…}, tokens: { maxLifetime: 900, requireJti: true } });
 * ```
 */
export interface TokenRulesOptions {
  /**
   * Longest accepted lifetime (`exp - iat`) of a JWT, in seconds; longer-lived tokens are rejected
   * (audit reason `ERR_TOKEN_LIFETIME`). Without `iat`, the remaining lifetime (`exp - now`) must be
   * within it. `false` disables the rule (not recommended). Default 3,600 (1 h).
   */
  maxLifetime?: number | false;
  /** Refuse JWTs without a `jti` (they cannot be revoked one by one); reason `ERR_TOKEN_ID_MISSING`. Default `false`. */
  requireJti?: boolean;
}

/** Revocation checks (backed by the shared security-state store). */
export interface RevocationOptions {
  /** Check every authenticated request against the revocation list. Default `true`. */
  enabled?: boolean;
  /**
   * How long a subject/client cut-off ("log out everywhere") is kept, in seconds, when
   * `tokens.maxLifetime` is `false`. With a maximum lifetime, a cut-off is kept for that lifetime plus
   * twice the tolerance (every earlier token has expired by then). Default 2,592,000 (30 days).
   */
  retention?: number;
  /**
   * Clock skew allowed between issuer and API, in seconds, added to retention times; the largest
   * `jwt[].clockTolerance` counts when it is larger. Default 60.
   */
  clockTolerance?: number;
}
