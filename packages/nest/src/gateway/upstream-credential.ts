/** The request the gateway is about to send upstream, as an {@link UpstreamCredential} sees it. */
export interface UpstreamRequest {
  /** Upper-case method. */
  readonly method: string;
  /** Full upstream URL (origin, path and query). */
  readonly url: URL;
  /** Headers that will be sent (lower-case names), after the caller's credentials were stripped. */
  readonly headers: Readonly<Record<string, string | string[]>>;
  /** True when the request has a body. */
  readonly hasBody: boolean;
  /** The whole body, when the credential set `needsBody` and the request has one (else it is streamed and absent). */
  readonly body?: Uint8Array;
}

/**
 * Port: the gateway's own credential towards an upstream. Returns the headers to add to the upstream
 * request; they replace any header of the same name. Throwing refuses the request with 502.
 */
export interface UpstreamCredential {
  /**
   * Set when the headers depend on the body (a digest): the gateway then reads the request body into
   * memory, up to the upstream's `maxRequestBytes`, passes it as `body` and sends those bytes. Default: streamed.
   */
  readonly needsBody?: boolean;
  /**
   * Set when the headers sign the request's target (RFC 9421 `@target-uri`): `Forwarded` then carries
   * only `for=`, so the upstream sees the scheme and host the gateway called, whether or not it trusts
   * the gateway as a proxy. Default: `Forwarded` also carries the caller's `proto=` and `host=`.
   */
  readonly signsTarget?: boolean;
  /** Checks the credential's own settings once at boot; throws `BastionConfigError` naming `path`. */
  validate?(path: string): void;
  headersFor(request: UpstreamRequest): Promise<Readonly<Record<string, string>>>;
}

/** Where a bearer token comes from: `ClientCredentialsTokenProvider` (from `@bastion/nest`) is one. */
export interface AccessTokenSource {
  /** `Bearer <token>`, for an `Authorization` header. */
  authorizationHeader(): Promise<string>;
}

/**
 * An {@link UpstreamCredential} that sends an OAuth 2.0 client-credentials access token
 * (`Authorization: Bearer …`, RFC 6749 §4.4) from a `ClientCredentialsTokenProvider` (from `@bastion/nest`), which
 * caches and renews it.
 *
 * @example
 * ```ts
 * credential: clientCredentialsUpstream(new ClientCredentialsTokenProvider({ tokenEndpoint, clientId, clientSecret, scope: 'orders:internal' }))
 * ```
 */
export function clientCredentialsUpstream(provider: AccessTokenSource): UpstreamCredential {
  return { headersFor: async () => ({ authorization: await provider.authorizationHeader() }) };
}
