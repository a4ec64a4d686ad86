import { FetchFailure } from './http.js';

/** Stable codes of a failed client-credentials request. */
export type ClientCredentialsErrorCode =
  /** The token endpoint could not be reached, timed out, or answered 5xx: worth retrying later. */
  | 'ERR_TOKEN_ENDPOINT_UNAVAILABLE'
  /** The server refused the request (4xx): `oauthError` says why (`invalid_client`, `invalid_scope`…). */
  | 'ERR_TOKEN_REQUEST_REJECTED'
  /** The server answered 200 with something that is not a usable Bearer token response. */
  | 'ERR_TOKEN_RESPONSE_INVALID';

/**
 * A typed failure of {@link ClientCredentialsTokenProvider}. Its message never holds the client secret,
 * the signed assertion, a token or a response body — only the status and the OAuth `error` code.
 */
export class ClientCredentialsError extends Error {
  constructor(
    readonly code: ClientCredentialsErrorCode,
    detail: string,
    /** HTTP status of the token endpoint's answer, when there was one. */
    readonly status?: number,
    /** RFC 6749 §5.2 `error` code of a refusal (`invalid_client`, `invalid_grant`, `invalid_scope`…). */
    readonly oauthError?: string,
    options?: { cause?: unknown },
  ) {
    super(`${code}: ${detail}`, options);
    this.name = 'ClientCredentialsError';
  }

  /** True when trying again later may succeed (network trouble, timeouts, 5xx). */
  get retryable(): boolean {
    return this.code === 'ERR_TOKEN_ENDPOINT_UNAVAILABLE';
  }

  /** Maps any failure of the token request to a typed error. */
  static from(error: unknown): ClientCredentialsError {
    if (error instanceof ClientCredentialsError) return error;
    if (!(error instanceof FetchFailure)) return new ClientCredentialsError('ERR_TOKEN_ENDPOINT_UNAVAILABLE', (error as Error)?.name ?? 'error', undefined, undefined, { cause: error });
    const status = error.status;
    if (status !== undefined && status >= 400 && status < 500) {
      const code = error.body?.error;
      // Only a registered-looking error code is kept: it is the server's text, shown to operators.
      const oauthError = typeof code === 'string' && /^[\w.-]{1,64}$/.test(code) ? code : undefined;
      return new ClientCredentialsError('ERR_TOKEN_REQUEST_REJECTED', `HTTP ${status}${oauthError ? ` ${oauthError}` : ''}`, status, oauthError);
    }
    if (status !== undefined && status >= 200 && status < 300) return new ClientCredentialsError('ERR_TOKEN_RESPONSE_INVALID', error.message, status);
    return new ClientCredentialsError('ERR_TOKEN_ENDPOINT_UNAVAILABLE', error.message, status);
  }
}
