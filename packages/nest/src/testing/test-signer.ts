import { generateKeyPairSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import type { SignatureAlgorithm } from '../authentication/signature/algorithms.js';
import type { ApiKeySigningKey } from '../authentication/api-key/api-key-record.js';
import type { SignatureKeyOptions } from '../authentication/signature/signature-keys.js';
import { RequestSigner, type OutgoingRequest, type RequestSignerOptions, type SignOverrides, type SignatureHeaders } from '../authentication/signature/request-signer.js';

/** Options of {@link TestSigner.create}. */
export interface TestSignerOptions extends Partial<Omit<RequestSignerOptions, 'key' | 'alg' | 'keyid'>> {
  /** Algorithm of the generated key. Default `'ed25519'`. */
  alg?: SignatureAlgorithm;
  /** Key id. Default `test-<random>`. */
  keyid?: string;
  /** Owner (principal subject) in {@link TestSigner.keyOptions}. Default `'test-client'`. */
  owner?: string;
  /** Scopes in {@link TestSigner.keyOptions}. Default none. */
  scopes?: string[];
}

function generate(alg: SignatureAlgorithm): { sign: KeyObject | Buffer; verify: KeyObject | Buffer } {
  if (alg === 'hmac-sha256') {
    const secret = randomBytes(32);
    return { sign: secret, verify: secret };
  }
  const pair =
    alg === 'ed25519'
      ? generateKeyPairSync('ed25519')
      : alg === 'ecdsa-p256-sha256'
        ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
        : generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { sign: pair.privateKey, verify: pair.publicKey };
}

/**
 * A request signer for tests of apps that accept RFC 9421 signatures: a fresh key (Ed25519 by default),
 * the matching entry for `signature.keys` (or an API key's `signingKey`), and signed requests with any
 * `created`, `expires` or `nonce` (to test stale, future and replayed ones).
 *
 * @example
 * ```ts
 * const signer = TestSigner.create({ owner: 'billing-worker', scopes: ['orders:export'] });
 * BastionModule.forRoot({ signature: { keys: [signer.keyOptions()] } });
 * const res = await signer.fetch(`${url}/internal/orders/export`);
 * const stale = await signer.fetch(`${url}/internal/orders/export`, {}, { created: Math.floor(Date.now() / 1000) - 3_600 });
 * ```
 */
export class TestSigner {
  /** Key id of its signatures. */
  readonly keyid: string;
  /** Algorithm of its key. */
  readonly alg: SignatureAlgorithm;
  /** The signer behind it (same key and options). */
  readonly signer: RequestSigner;
  private readonly owner: string;
  private readonly scopes: string[];

  private constructor(
    options: TestSignerOptions,
    private readonly keys: { sign: KeyObject | Buffer; verify: KeyObject | Buffer },
  ) {
    this.alg = options.alg ?? 'ed25519';
    this.keyid = options.keyid ?? `test-${randomUUID().slice(0, 8)}`;
    this.owner = options.owner ?? 'test-client';
    this.scopes = options.scopes ?? [];
    const { owner: _owner, scopes: _scopes, ...signerOptions } = options;
    this.signer = new RequestSigner({ ...signerOptions, alg: this.alg, keyid: this.keyid, key: keys.sign });
  }

  /** A signer with a newly generated key. */
  static create(options: TestSignerOptions = {}): TestSigner {
    return new TestSigner(options, generate(options.alg ?? 'ed25519'));
  }

  /** The key-ring entry that verifies this signer's signatures (`signature.keys`). `overrides` win. */
  keyOptions(overrides: Partial<SignatureKeyOptions> = {}): SignatureKeyOptions {
    return { keyid: this.keyid, alg: this.alg, key: this.keys.verify, owner: this.owner, scopes: [...this.scopes], ...overrides };
  }

  /** The signing key to register with an API key (`ApiKeys.issue({ signingKey })`): public key JWK or HMAC secret. */
  apiKeySigningKey(): ApiKeySigningKey {
    const key = this.keys.verify;
    return { alg: this.alg, key: Buffer.isBuffer(key) ? key.toString('base64url') : (key.export({ format: 'jwk' }) as ApiKeySigningKey['key']) };
  }

  /** The same key under another key id (to sign as an API key: its key id is the `keyid`). */
  withKeyid(keyid: string, options: Partial<Omit<RequestSignerOptions, 'key' | 'alg' | 'keyid'>> = {}): TestSigner {
    return new TestSigner({ alg: this.alg, owner: this.owner, scopes: this.scopes, ...options, keyid }, this.keys);
  }

  /** Signature headers for `request` (see `RequestSigner.sign`). */
  sign(request: OutgoingRequest, overrides?: SignOverrides): SignatureHeaders {
    return this.signer.sign(request, overrides);
  }

  /** The signed `Request`. */
  request(input: string | URL | Request, init?: RequestInit, overrides?: SignOverrides): Promise<Request> {
    return this.signer.signedRequest(input, init, overrides);
  }

  /** `fetch` of the signed request. */
  async fetch(input: string | URL | Request, init?: RequestInit, overrides?: SignOverrides): Promise<Response> {
    return fetch(await this.request(input, init, overrides));
  }
}
