import { randomUUID, type KeyObject } from 'node:crypto';
import { accessTokenHash } from '../authentication/dpop/dpop-proof.js';
import type { DpopAlgorithm } from '../authentication/dpop/dpop-options.js';
import { generateKeyPairFor } from '../keys/key-generation.js';
import { DpopSigner } from '../oauth-client/dpop-signer.js';
import { encode, signWith } from './test-issuer.js';

/** Options of {@link TestDpopClient.proof}: defaults make a valid proof; each option breaks one thing on purpose. */
export interface TestProofOptions {
  /** Access token the proof goes with (`ath` is its hash). */
  accessToken?: string;
  /** Server nonce to include. */
  nonce?: string;
  /** Header members to set, or to remove with `undefined` (e.g. `{ typ: 'JWT' }`). */
  header?: Record<string, unknown>;
  /** Claims to set, or to remove with `undefined` (e.g. `{ jti: undefined }`, `{ iat: 0 }`, `{ htm: 'POST' }`). */
  claims?: Record<string, unknown>;
  /** Put the private key into the `jwk` header (a proof servers must refuse). */
  privateKeyInHeader?: boolean;
  /** Sign with another client's key while the header names this one's (a bad signature). */
  signWith?: TestDpopClient;
}

/**
 * A DPoP client for tests: a key pair, valid proofs for any request, and deliberately broken ones.
 * Mint its tokens with `issuer.signDpopBound(client, claims)`.
 *
 * @example
 * ```ts
 * const client = await TestDpopClient.create();
 * const token = await issuer.signDpopBound(client, { sub: 'alice' });
 * await fetch(`${url}/orders`, { headers: await client.headers('GET', `${url}/orders`, token) });
 * ```
 */
export class TestDpopClient {
  private constructor(
    /** A `DpopSigner` on the same key (its `fetch` handles nonces). */
    readonly signer: DpopSigner,
    private readonly privateKey: KeyObject,
  ) {}

  /** A client with a new key pair for `algorithm` (default `ES256`). */
  static async create(options: { algorithm?: DpopAlgorithm } = {}): Promise<TestDpopClient> {
    const { privateKey } = await generateKeyPairFor(options.algorithm ?? 'ES256');
    return new TestDpopClient(await DpopSigner.fromPrivateKey(privateKey, options.algorithm ?? 'ES256'), privateKey);
  }

  /** RFC 7638 thumbprint of the key (`cnf.jkt` of its tokens). */
  get thumbprint(): string {
    return this.signer.thumbprint;
  }

  /** A proof for `method` and `url`. */
  async proof(method: string, url: string, options: TestProofOptions = {}): Promise<string> {
    const target = new URL(url);
    const jwk = options.privateKeyInHeader ? (this.privateKey.export({ format: 'jwk' }) as Record<string, unknown>) : { ...this.signer.publicJwk };
    const header: Record<string, unknown> = { typ: 'dpop+jwt', alg: this.signer.algorithm, jwk, ...options.header };
    const claims: Record<string, unknown> = {
      jti: randomUUID(),
      htm: method,
      htu: `${target.origin}${target.pathname}`,
      iat: Math.floor(Date.now() / 1000),
      ...(options.accessToken !== undefined ? { ath: accessTokenHash(options.accessToken) } : {}),
      ...(options.nonce !== undefined ? { nonce: options.nonce } : {}),
      ...options.claims,
    };
    for (const part of [header, claims]) for (const [name, value] of Object.entries(part)) if (value === undefined) delete part[name];
    const input = `${encode(header)}.${encode(claims)}`;
    const key = options.signWith?.privateKey ?? this.privateKey;
    const algorithm = options.signWith?.signer.algorithm ?? this.signer.algorithm;
    return `${input}.${signWith(algorithm, key, Buffer.from(input)).toString('base64url')}`;
  }

  /** `Authorization: DPoP <token>` and a `DPoP` proof for the request (lower-case names, for `fetch` or Node). */
  async headers(method: string, url: string, accessToken: string, options: TestProofOptions = {}): Promise<{ authorization: string; dpop: string }> {
    return { authorization: `DPoP ${accessToken}`, dpop: await this.proof(method, url, { accessToken, ...options }) };
  }
}
