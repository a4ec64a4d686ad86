import { BastionConfigError, assertOptionalObject } from '../options/assert.js';

/** Where a WebSocket gateway's handshake may carry its credential. Never the URL query. */
export type WebSocketCredentialSource = 'header' | 'subprotocol' | 'auth';

/**
 * WebSocket gateway protection (`websockets` in `BastionOptions`), applied by `secureWebSocketAdapter`.
 *
 * @example
 * ```ts
 * BastionModule.forRoot({ jwt: {…}, websockets: { credentials: ['auth'], origins: ['https://app.example.com'] } });
 * ```
 */
export interface WebSocketOptions {
  /**
   * Where the handshake's credential is read: `'header'` (`Authorization` and any header your
   * authenticators read, on the upgrade request), `'subprotocol'` (`ws`: a `Sec-WebSocket-Protocol`
   * entry `bearer.<token>`, never echoed back), `'auth'` (socket.io: `io(url, { auth: { token } })`,
   * sent in the CONNECT packet). Default all three. The URL query is never read.
   */
  credentials?: WebSocketCredentialSource[];
  /**
   * Origins allowed to open a connection from a browser (same patterns as `cors.origins`); the API's
   * own host is always allowed, and clients that send no `Origin` are not concerned. Default `cors.origins`.
   */
  origins?: ReadonlyArray<string | RegExp>;
}

const SOURCES: WebSocketCredentialSource[] = ['header', 'subprotocol', 'auth'];

/** Validates `websockets` at boot. */
export function validateWebSocketOptions(value: unknown): void {
  assertOptionalObject(value, 'websockets');
  const options = (value ?? {}) as Record<string, unknown>;
  for (const key of Object.keys(options)) if (key !== 'credentials' && key !== 'origins') throw new BastionConfigError(`websockets.${key}`, 'is not a WebSocket option (credentials, origins)');
  const credentials = options.credentials;
  if (credentials !== undefined) {
    if (!Array.isArray(credentials) || credentials.length === 0) throw new BastionConfigError('websockets.credentials', `must be a non-empty array of ${SOURCES.join(', ')}`);
    credentials.forEach((c, i) => {
      if (!SOURCES.includes(c as WebSocketCredentialSource)) throw new BastionConfigError(`websockets.credentials[${i}]`, `must be one of ${SOURCES.join(', ')} (the URL query is never accepted: URLs end up in logs)`);
    });
  }
  const origins = options.origins;
  if (origins !== undefined) {
    if (!Array.isArray(origins)) throw new BastionConfigError('websockets.origins', 'must be an array of origins or RegExps');
    origins.forEach((o, i) => {
      if (o === '*') throw new BastionConfigError(`websockets.origins[${i}]`, 'must not be "*": any site could then open a connection with the user\'s cookies');
      if (typeof o !== 'string' && !(o instanceof RegExp)) throw new BastionConfigError(`websockets.origins[${i}]`, 'must be an origin string or a RegExp');
    });
  }
}

/** WebSocket options with every default applied (the `websockets` slice of the resolved configuration). */
export interface ResolvedWebSocketOptions {
  readonly credentials: readonly WebSocketCredentialSource[];
  /** Origins allowed besides the API's own: `websockets.origins`, else `cors.origins` without `'*'`. */
  readonly origins: ReadonlyArray<string | RegExp>;
}

/**
 * Applies the defaults to validated `websockets` options. Falling back on `cors.origins` drops its `'*'`:
 * a CORS wildcard lets any site read public answers without the user's cookies, whereas a browser sends
 * the cookies with every WebSocket upgrade, so a wildcard there would hand any site the user's session.
 */
export function resolveWebSocketOptions(options: WebSocketOptions | undefined, corsOrigins: ReadonlyArray<string | RegExp> | undefined): ResolvedWebSocketOptions {
  return {
    credentials: options?.credentials ?? SOURCES,
    origins: options?.origins ?? (corsOrigins ?? []).filter((o) => o !== '*'),
  };
}
