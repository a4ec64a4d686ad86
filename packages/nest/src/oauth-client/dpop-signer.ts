import { createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, CompactSign, type JWK } from 'jose';
import { DPOP_ALGORITHMS, type DpopAlgorithm } from '../authentication/dpop/dpop-options.js';
import { accessTokenHash } from '../authentication/dpop/dpop-proof.js';
import { generateKeyPairFor } from '../keys/key-generation.js';

const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'];

/** What one proof is for (RFC 9449 §4.2). */
export interface DpopProofRequest {
  /** HTTP method of the request (`htm`). */
  method: string;
  /** Target URI; its query and fragment are left out of `htu`. */
  url: string | URL;
  /** Access token sent with the request: its hash becomes `ath` (required at resource servers, §7). */
  accessToken?: string;
  /** Server nonce; default the last `DPoP-Nonce` this signer received from the URL's origin. */
  nonce?: string;
}

/** `fetch` options plus the access token to send with the `DPoP` scheme. */
export interface DpopFetchInit extends RequestInit {
  accessToken?: string;
  /** The `fetch` to call. Default the global one. */
  fetch?: typeof fetch;
}

/** True when a response asks for a (new) nonce: RS 401 `WWW-Authenticate: DPoP error="use_dpop_nonce"` (§9), AS 400 `{"error":"use_dpop_nonce"}` (§8). */
async function asksForNonce(res: Response): Promise<boolean> {
  if (!res.headers.get('dpop-nonce')) return false;
  if (res.status === 401) return /\bDPoP\b[^]*?\berror="use_dpop_nonce"/i.test(res.headers.get('www-authenticate') ?? '');
  if (res.status !== 400 || !(res.headers.get('content-type') ?? '').includes('json')) return false;
  const body = (await res.clone().json().catch(() => undefined)) as { error?: unknown } | undefined;
  return body?.error === 'use_dpop_nonce';
}

/**
 * Signs DPoP proofs (RFC 9449) for an app that calls DPoP-protected APIs or requests DPoP-bound tokens:
 * one key pair (its private key never leaves the process), `htm`/`htu`/`iat`/`jti`, `ath` for the access
 * token, and the server nonce. `fetch` sends a request with its proof and retries once when the server
 * answers `use_dpop_nonce` with a `DPoP-Nonce`; nonces are remembered per origin.
 *
 * @example
 * ```ts
 * const signer = await DpopSigner.generate();            // ES256; send signer.thumbprint as dpop_jkt if you like
 * // token request: headers { DPoP: await signer.proof({ method: 'POST', url: tokenEndpoint }) }
 * const res = await signer.fetch('https://api.example.com/orders', { accessToken });
 * ```
 */
export class DpopSigner {
  private readonly nonces = new Map<string, string>();

  private constructor(
    /** Proof algorithm. */
    readonly algorithm: DpopAlgorithm,
    private readonly privateKey: KeyObject,
    /** Public key as sent in the proof's `jwk` header. */
    readonly publicJwk: Readonly<JWK>,
    /** RFC 7638 thumbprint of the key: the `cnf.jkt` of tokens bound to it (and `dpop_jkt`, §10). */
    readonly thumbprint: string,
  ) {}

  /** A signer with a new key pair for `algorithm` (default `ES256`). */
  static async generate(algorithm: DpopAlgorithm = 'ES256'): Promise<DpopSigner> {
    const { privateKey } = await generateKeyPairFor(algorithm);
    return DpopSigner.fromPrivateKey(privateKey, algorithm);
  }

  /** A signer for an existing private key (a `KeyObject` or PKCS#8 PEM), e.g. one kept across restarts. */
  static async fromPrivateKey(key: KeyObject | string, algorithm: DpopAlgorithm = 'ES256'): Promise<DpopSigner> {
    if (!DPOP_ALGORITHMS.includes(algorithm)) throw new TypeError(`DPoP algorithm must be one of ${DPOP_ALGORITHMS.join(', ')}`);
    const privateKey = typeof key === 'string' ? createPrivateKey(key) : key;
    if (privateKey.type !== 'private') throw new TypeError('DpopSigner needs a private key');
    const exported = createPublicKey(privateKey).export({ format: 'jwk' }) as Record<string, unknown>;
    const publicJwk = Object.fromEntries(PUBLIC_MEMBERS.filter((m) => exported[m] !== undefined).map((m) => [m, exported[m]])) as unknown as JWK;
    return new DpopSigner(algorithm, privateKey, Object.freeze(publicJwk), await calculateJwkThumbprint(publicJwk, 'sha256'));
  }

  /** A proof for one request. */
  async proof(request: DpopProofRequest): Promise<string> {
    const url = new URL(request.url);
    const nonce = request.nonce ?? this.nonces.get(url.origin);
    const payload: Record<string, unknown> = {
      jti: randomBytes(16).toString('base64url'),
      htm: request.method,
      // RFC 9449 §4.2: the target URI without query and fragment.
      htu: `${url.origin}${url.pathname}`,
      iat: Math.floor(Date.now() / 1000),
    };
    if (request.accessToken !== undefined) payload.ath = accessTokenHash(request.accessToken);
    if (nonce !== undefined) payload.nonce = nonce;
    return new CompactSign(new TextEncoder().encode(JSON.stringify(payload)))
      .setProtectedHeader({ typ: 'dpop+jwt', alg: this.algorithm, jwk: { ...this.publicJwk } })
      .sign(this.privateKey);
  }

  /** Remembers a nonce a server sent (`DPoP-Nonce`) for later proofs to its origin. */
  rememberNonce(url: string | URL, nonce: string): void {
    this.nonces.set(new URL(url).origin, nonce);
  }

  /**
   * `fetch` with a fresh proof (and `Authorization: DPoP <accessToken>` when given). When the server asks
   * for a nonce, the request is sent once more with it — unless its body is a stream, which cannot be
   * sent twice (the `use_dpop_nonce` answer is then returned; the nonce is remembered for the next call).
   */
  async fetch(url: string | URL, init: DpopFetchInit = {}): Promise<Response> {
    const { accessToken, fetch: send = globalThis.fetch, ...rest } = init;
    const target = new URL(url);
    // Fetch normalises only some methods' case; the proof must name the method as sent.
    const method = (rest.method ?? 'GET').toUpperCase();
    const attempt = async () => {
      const headers = new Headers(rest.headers);
      headers.set('DPoP', await this.proof({ method, url: target, accessToken }));
      if (accessToken !== undefined) headers.set('Authorization', `DPoP ${accessToken}`);
      const res = await send(target, { ...rest, method, headers });
      const nonce = res.headers.get('dpop-nonce');
      if (nonce) this.rememberNonce(target, nonce);
      return res;
    };
    const first = await attempt();
    const replayable = rest.body === undefined || rest.body === null || !(rest.body instanceof ReadableStream);
    if (!replayable || !(await asksForNonce(first))) return first;
    await first.body?.cancel();
    return attempt();
  }
}
