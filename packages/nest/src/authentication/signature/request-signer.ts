import { randomBytes, type KeyObject } from 'node:crypto';
import { importSigningKey, signBytes, type SignatureAlgorithm, type SignatureKeyMaterial } from './algorithms.js';
import { parseComponentId } from './components.js';
import { contentDigest, type DigestAlgorithm } from './content-digest.js';
import { messageOf } from './http-message.js';
import { signatureBase, signatureParamsValue } from './signature-base.js';
import { serializeItem, type BareItem, type Item, type Parameters } from './structured-fields.js';

/**
 * How a {@link RequestSigner} signs. The defaults match what Bastion's verifier requires: `@method`,
 * `@target-uri`, and `content-digest` (plus `content-type` when set) whenever there is a body.
 *
 * @example
 * ```ts
 * const signer = new RequestSigner({ keyid: 'billing-2026-01', alg: 'ed25519', key: process.env.BILLING_PRIVATE_KEY_PEM! });
 * const res = await signer.fetch('https://orders.internal/internal/orders/export');
 * ```
 */
export interface RequestSignerOptions {
  /** Key id the verifier looks the key up by (`keyid`). */
  keyid: string;
  /** The key's algorithm (`alg` parameter when `includeAlg`). */
  alg: SignatureAlgorithm;
  /** Private key (PEM, JWK, KeyObject) or, for `hmac-sha256`, the shared secret (≥ 32 bytes; bytes or base64 text). */
  key: SignatureKeyMaterial;
  /** Signature label. Default `'sig1'`. */
  label?: string;
  /** Components to cover, in order. Default `['@method', '@target-uri']`. */
  components?: string[];
  /** Digest of the body in `Content-Digest`, covered with `content-type` when there is a body; `false` for none. Default `'sha-256'`. */
  digest?: DigestAlgorithm | false;
  /** Add a random `nonce` (16 bytes, base64url). Default `true`. */
  nonce?: boolean;
  /** Add the `alg` parameter. Default `true`. */
  includeAlg?: boolean;
  /** Add `expires` this many seconds after `created`. Default: none. */
  expiresIn?: number;
  /** `tag` parameter (an application profile). Default: none. */
  tag?: string;
}

/** A request to sign: method, absolute URL, headers and body bytes as they will be sent. */
export interface OutgoingRequest {
  /** Method as sent (`GET`, `POST`…). */
  method: string;
  /** Absolute URL (`@target-uri`, `@authority` and `@path` come from it). */
  url: string | URL;
  /** Header fields the signature may cover (names case-insensitive). */
  headers?: Record<string, string | readonly string[]> | Iterable<[string, string]>;
  /** The body bytes as they will be sent (digested into `Content-Digest`). */
  body?: Uint8Array | string | null;
}

/** Per-call overrides (tests use them to make stale, future or repeated signatures). */
export interface SignOverrides {
  /** `created`, in seconds since the epoch. Default now. */
  created?: number;
  /** `expires`, in seconds since the epoch. Default `created + expiresIn` when set. */
  expires?: number;
  /** `nonce` value, or `null` for none. Default: a random one (when `nonce` is on). */
  nonce?: string | null;
}

/** Headers a signature adds to a request. */
export interface SignatureHeaders {
  /** RFC 9530 digest of the body (when there is one and `digest` is on). */
  'content-digest'?: string;
  /** RFC 9421 §4.1: the covered components and parameters. */
  'signature-input': string;
  /** RFC 9421 §4.2: the signature value. */
  signature: string;
}

const LABEL = /^[a-z*][a-z0-9_\-.*]{0,63}$/;

/**
 * Signs outgoing requests per RFC 9421 (and RFC 9530 `Content-Digest` for bodies) with `node:crypto`.
 * Framework-free: use {@link RequestSigner.sign} with any HTTP client, or {@link RequestSigner.fetch}.
 */
export class RequestSigner {
  /** Key id of every signature (`keyid`). */
  readonly keyid: string;
  /** Algorithm of every signature. */
  readonly alg: SignatureAlgorithm;
  private readonly key: KeyObject;
  private readonly label: string;
  private readonly components: Item[];

  constructor(private readonly options: RequestSignerOptions) {
    if (typeof options.keyid !== 'string' || options.keyid === '') throw new TypeError('RequestSigner: keyid must be a non-empty string');
    this.keyid = options.keyid;
    this.alg = options.alg;
    this.key = importSigningKey(options.alg, options.key);
    this.label = options.label ?? 'sig1';
    if (!LABEL.test(this.label)) throw new TypeError('RequestSigner: label must be an RFC 8941 key (lower case)');
    this.components = (options.components ?? ['@method', '@target-uri']).map(parseComponentId);
  }

  /** The headers to add to `request` (`Content-Digest` when the body is digested, `Signature-Input`, `Signature`). */
  sign(request: OutgoingRequest, overrides: SignOverrides = {}): SignatureHeaders {
    const body = typeof request.body === 'string' ? Buffer.from(request.body) : (request.body ?? undefined);
    let headers: [string, string][] = [];
    const input = request.headers ?? {};
    for (const [name, value] of Symbol.iterator in input ? [...(input as Iterable<[string, string]>)] : Object.entries(input)) {
      for (const v of typeof value === 'string' ? [value] : value) headers.push([name.toLowerCase(), v]);
    }
    const covered = [...this.components];
    const out: Partial<SignatureHeaders> = {};
    const digest = this.options.digest ?? 'sha-256';
    if (body !== undefined && digest !== false) {
      // Ours replaces any Content-Digest already set: it is computed from the bytes actually sent.
      headers = headers.filter(([n]) => n !== 'content-digest');
      out['content-digest'] = contentDigest(body, digest);
      headers.push(['content-digest', out['content-digest']]);
      const has = (name: string) => covered.some((c) => c[0] === name && c[1].size === 0);
      if (!has('content-digest')) covered.push(['content-digest', new Map()]);
      if (!has('content-type') && headers.some(([n]) => n === 'content-type')) covered.push(['content-type', new Map()]);
    }
    const params = this.params(overrides);
    // Written once: the same text is the base's last line and the Signature-Input member.
    const signatureParams = signatureParamsValue(covered, params);
    const base = signatureBase(messageOf({ method: request.method, url: request.url, headers }), covered, params, undefined, signatureParams);
    const value = signBytes(this.alg, this.key, Buffer.from(base, 'ascii'));
    out['signature-input'] = `${this.label}=${signatureParams}`;
    out.signature = `${this.label}=${serializeItem(value as BareItem)}`;
    return out as SignatureHeaders;
  }

  private params(overrides: SignOverrides): Parameters {
    const created = overrides.created ?? Math.floor(Date.now() / 1000);
    const params: Parameters = new Map<string, BareItem>([['created', created]]);
    const expires = overrides.expires ?? (this.options.expiresIn === undefined ? undefined : created + this.options.expiresIn);
    if (expires !== undefined) params.set('expires', expires);
    params.set('keyid', this.keyid);
    const nonce = overrides.nonce === undefined ? (this.options.nonce === false ? null : randomBytes(16).toString('base64url')) : overrides.nonce;
    if (nonce !== null) params.set('nonce', nonce);
    if (this.options.includeAlg !== false) params.set('alg', this.alg);
    if (this.options.tag !== undefined) params.set('tag', this.options.tag);
    return params;
  }

  /**
   * `fetch` that signs the request first. The body is read into memory to digest it (streams included),
   * then sent as those exact bytes; existing signatures are kept (this one is appended).
   */
  async fetch(input: string | URL | Request, init?: RequestInit, fetchImpl: typeof fetch = globalThis.fetch): Promise<Response> {
    return fetchImpl(await this.signedRequest(input, init));
  }

  /** The `Request` with `Content-Digest`, `Signature-Input` and `Signature` added. */
  async signedRequest(input: string | URL | Request, init?: RequestInit, overrides?: SignOverrides): Promise<Request> {
    const request = new Request(input, init);
    const body = request.body ? new Uint8Array(await request.clone().arrayBuffer()) : undefined;
    const headers = new Headers(request.headers);
    const added = this.sign({ method: request.method, url: request.url, headers: [...headers], body }, overrides);
    for (const [name, value] of Object.entries(added)) {
      if (name === 'content-digest') headers.set(name, value);
      else headers.append(name, value);
    }
    return new Request(request, { headers, ...(body === undefined ? {} : { body }) });
  }
}

/**
 * A `fetch` (for `fetch`, undici or anything that takes one) that signs every request with `signer`.
 *
 * @example
 * ```ts
 * const signedFetch = signingFetch(new RequestSigner({ keyid, alg: 'ed25519', key }));
 * await signedFetch('https://orders.internal/internal/orders/export');
 * ```
 */
export function signingFetch(signer: RequestSigner, fetchImpl: typeof fetch = globalThis.fetch): typeof fetch {
  return ((input: string | URL | Request, init?: RequestInit) => signer.fetch(input, init, fetchImpl)) as typeof fetch;
}
