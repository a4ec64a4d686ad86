import { constants, randomUUID, sign as nodeSign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import type { IssuerOptions } from '../authentication/issuers/issuer-options.js';
import type { JwtIssuerOptions } from '../authentication/jwt/jwt-options.js';
import { generateKeyPairFor } from '../keys/key-generation.js';
import { TestIntrospection, type TestOpaqueTokenOptions } from './test-introspection.js';

/** Asymmetric algorithms a {@link TestIssuer} can sign with. */
export type TestIssuerAlgorithm = 'RS256' | 'RS384' | 'RS512' | 'PS256' | 'PS384' | 'PS512' | 'ES256' | 'ES384' | 'ES512' | 'EdDSA';

export interface TestIssuerStartOptions {
  /** Default signing algorithm. Default `'RS256'`. */
  algorithm?: TestIssuerAlgorithm;
  /** More algorithms to create (and publish) a key for at start, so tokens of several kinds verify. */
  algorithms?: TestIssuerAlgorithm[];
  /** Default `aud` of minted tokens and of {@link TestIssuer.options}. Default `'bastion-test-api'`. */
  audience?: string;
  /** Path under the origin that makes the issuer URL (e.g. `'/realms/test'`). Default: none. */
  path?: string;
}

export interface TestSignOptions {
  /** Lifetime in seconds from now (`exp = iat + expiresIn`). Default 300. Ignored when `claims.exp` is given. */
  expiresIn?: number;
  /** Extra or overriding protected header parameters (`typ`, `crit`, `jku`…). */
  header?: Record<string, unknown>;
  /** `kid` to put in the header; default the signing key's kid. `null` leaves `kid` out. */
  kid?: string | null;
  /** Algorithm (a key for it is created on first use and published). Default: the issuer's default. */
  algorithm?: TestIssuerAlgorithm;
}

/** base64url of a JSON value (a JWS header or payload). */
export const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWS signature with node:crypto (RFC 7518 §3: PKCS#1 v1.5, PSS with salt = hash length, raw r||s for ECDSA). */
export function signWith(alg: TestIssuerAlgorithm, key: KeyObject, input: Buffer): Buffer {
  if (alg === 'EdDSA') return nodeSign(null, input, key);
  const hash = `sha${alg.slice(2)}`;
  if (alg.startsWith('PS')) return nodeSign(hash, input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: Number(alg.slice(2)) / 8 });
  if (alg.startsWith('ES')) return nodeSign(hash, input, { key, dsaEncoding: 'ieee-p1363' });
  return nodeSign(hash, input, key);
}

interface IssuerKey {
  kid: string;
  alg: TestIssuerAlgorithm;
  privateKey: KeyObject;
  publicJwk: JWK;
  publicKey: KeyObject;
}

/**
 * A token issuer for tests: key pairs made in process, a JWKS and an OpenID configuration served on
 * 127.0.0.1 (random port), and tokens minted with any claims. Use it to test apps secured by Bastion.
 *
 * @example
 * ```ts
 * const issuer = await TestIssuer.start();
 * @Module({ imports: [BastionModule.forRoot({ jwt: issuer.options() })], controllers: [OrdersController] })
 * class AppModule {}
 * const token = await issuer.sign({ sub: 'alice', scope: 'orders:read' });
 * await fetch(`${url}/orders`, { headers: { authorization: `Bearer ${token}` } });
 * await issuer.close();
 * ```
 */
export class TestIssuer {
  /** Issuer URL (`iss` of minted tokens), e.g. `http://127.0.0.1:41234`. */
  readonly issuer: string;
  /** URL of the JWKS (`<issuer>/jwks`). */
  readonly jwksUri: string;
  /** Default `aud` of minted tokens. */
  readonly audience: string;
  /** Number of JWKS requests served so far (including failed ones while down). */
  jwksRequests = 0;
  /** Number of discovery (`/.well-known/openid-configuration`) requests served so far. */
  discoveryRequests = 0;
  /** URL of the RFC 7662 introspection endpoint (`<issuer>/introspect`). */
  readonly introspectionEndpoint: string;
  /**
   * The introspection endpoint's client credentials (`clientId`, `clientSecret`) and its counter of
   * requests served (`requests`, including refused ones and those made while down).
   */
  readonly introspection: TestIntrospection;

  private readonly keys: IssuerKey[] = [];
  private readonly signingKeys = new Map<TestIssuerAlgorithm, IssuerKey>();
  private down = false;
  private delayMs = 0;
  private readonly pending = new Set<NodeJS.Timeout>();

  private constructor(
    private readonly server: Server,
    origin: string,
    path: string,
    private readonly defaultAlgorithm: TestIssuerAlgorithm,
    audience: string,
  ) {
    this.issuer = `${origin}${path}`;
    this.jwksUri = `${this.issuer}/jwks`;
    this.introspectionEndpoint = `${this.issuer}/introspect`;
    this.audience = audience;
    this.introspection = new TestIntrospection(() => ({ iss: this.issuer, aud: this.audience }));
  }


  /** Creates the keys and starts serving on 127.0.0.1. */
  static async start(options: TestIssuerStartOptions = {}): Promise<TestIssuer> {
    const path = (options.path ?? '').replace(/\/+$/, '');
    let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
    const server = createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const issuer = new TestIssuer(server, `http://127.0.0.1:${port}`, path, options.algorithm ?? 'RS256', options.audience ?? 'bastion-test-api');
    handler = (req, res) => void issuer.handle(req, res, path);
    for (const alg of new Set([issuer.defaultAlgorithm, ...(options.algorithms ?? [])])) await issuer.addKey(alg);
    return issuer;
  }

  /**
   * `JwtIssuerOptions` for `BastionModule.forRoot({ jwt })` that trust this issuer through its JWKS
   * (loopback `http:` is allowed without `allowInsecureHttp`). `overrides` win.
   */
  options(overrides: Partial<JwtIssuerOptions> = {}): JwtIssuerOptions {
    const base: JwtIssuerOptions = { issuer: this.issuer, audience: this.audience, jwksUri: this.jwksUri };
    if (overrides.discovery || overrides.keys !== undefined || overrides.secret !== undefined) delete base.jwksUri;
    return { ...base, ...overrides };
  }

  /**
   * `IssuerOptions` for `BastionModule.forRoot({ issuers: [...] })` that trust this issuer for opaque tokens
   * (introspection with the endpoint's client credentials) and for JWTs (its JWKS). `overrides` win;
   * `overrides.introspection` is merged into the introspection settings.
   */
  introspectionOptions(overrides: Partial<IssuerOptions> = {}): IssuerOptions {
    const { introspection, ...rest } = overrides;
    return {
      ...(this.options(rest) as IssuerOptions),
      introspection: { endpoint: this.introspectionEndpoint, clientId: this.introspection.clientId, clientSecret: this.introspection.clientSecret, ...introspection },
    };
  }

  /**
   * Issues an opaque access token (random, not a JWT) that the introspection endpoint reports as active
   * with these claims until it expires or is revoked. Defaults as for {@link TestIssuer.sign}: `iss`, `aud`,
   * `sub: 'test-user'`, `iat`, `exp` (+300 s), `jti`.
   */
  async opaqueToken(claims: Record<string, unknown> = {}, options: TestOpaqueTokenOptions = {}): Promise<string> {
    return this.introspection.issue(claims, options);
  }

  /** Revokes an opaque token at the issuer: introspection answers `active: false` from now on. */
  revokeOpaqueToken(token: string): void {
    this.introspection.revoke(token);
  }

  /**
   * Mints a signed JWT. Defaults: `iss`, `aud`, `sub: 'test-user'`, `iat` now, `exp` now + 300 s, a
   * random `jti`, header `{ alg, kid, typ: 'JWT' }`. A claim set to `undefined` is left out.
   */
  async sign(claims: Record<string, unknown> = {}, options: TestSignOptions = {}): Promise<string> {
    const alg = options.algorithm ?? this.defaultAlgorithm;
    const key = this.signingKeys.get(alg) ?? (await this.addKey(alg));
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: this.issuer,
      aud: this.audience,
      sub: 'test-user',
      iat: now,
      exp: now + (options.expiresIn ?? 300),
      jti: randomUUID(),
      ...claims,
    };
    for (const [name, value] of Object.entries(payload)) if (value === undefined) delete payload[name];
    const header: Record<string, unknown> = { alg, typ: 'JWT', ...options.header };
    if (options.kid !== null) header.kid = options.kid ?? key.kid;
    // Signed directly with node:crypto rather than a JWT library, so tests can mint any header (crit, jku…).
    const input = `${encode(header)}.${encode(payload)}`;
    return `${input}.${signWith(alg, key.privateKey, Buffer.from(input)).toString('base64url')}`;
  }

  /**
   * Mints a DPoP-bound token (RFC 9449 §6.1: `cnf.jkt`, the thumbprint of the client's proof key) for a
   * `TestDpopClient`, a `DpopSigner`, or a thumbprint. Other claims and options as for {@link TestIssuer.sign}.
   */
  async signDpopBound(key: { thumbprint: string } | string, claims: Record<string, unknown> = {}, options: TestSignOptions = {}): Promise<string> {
    return this.sign({ ...claims, cnf: { jkt: typeof key === 'string' ? key : key.thumbprint } }, options);
  }

  /**
   * Mints a certificate-bound token (RFC 8705 §3.1: `cnf.x5t#S256`, the SHA-256 thumbprint of the client
   * certificate) for a `TestCertificate` or a thumbprint. Other claims and options as for {@link TestIssuer.sign}.
   */
  async signCertificateBound(certificate: { thumbprint: string } | string, claims: Record<string, unknown> = {}, options: TestSignOptions = {}): Promise<string> {
    return this.sign({ ...claims, cnf: { 'x5t#S256': typeof certificate === 'string' ? certificate : certificate.thumbprint } }, options);
  }

  /**
   * Rotates the default algorithm's signing key: a new key (new `kid`) signs from now on and is
   * published; the old key stays published (tokens it signed still verify) unless `retireOld`.
   * Returns the new `kid`.
   */
  async rotate(options: { retireOld?: boolean; algorithm?: TestIssuerAlgorithm } = {}): Promise<string> {
    const alg = options.algorithm ?? this.defaultAlgorithm;
    const old = this.signingKeys.get(alg);
    const key = await this.addKey(alg);
    if (options.retireOld && old) this.keys.splice(this.keys.indexOf(old), 1);
    return key.kid;
  }

  /** The JWKS currently served. */
  jwks(): { keys: JWK[] } {
    return { keys: this.keys.map((k) => ({ ...k.publicJwk })) };
  }

  /** `kid` of the current signing key for `algorithm` (default: the default algorithm). */
  kid(algorithm: TestIssuerAlgorithm = this.defaultAlgorithm): string {
    return this.signingKeys.get(algorithm)!.kid;
  }

  /** SPKI PEM of the current public key for `algorithm` (for static `keys` and key-confusion tests). */
  async publicKeyPem(algorithm: TestIssuerAlgorithm = this.defaultAlgorithm): Promise<string> {
    return this.signingKeys.get(algorithm)!.publicKey.export({ format: 'pem', type: 'spki' }) as string;
  }

  /** While `true`, the JWKS, discovery and introspection endpoints answer 503. */
  setDown(down: boolean): void {
    this.down = down;
  }

  /** Delays every JWKS, discovery and introspection response by `ms` milliseconds (0 to stop). */
  setDelay(ms: number): void {
    this.delayMs = ms;
  }

  /** Stops the server (pending delayed responses are dropped). */
  async close(): Promise<void> {
    for (const timer of this.pending) clearTimeout(timer);
    this.pending.clear();
    this.server.closeAllConnections?.();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async addKey(alg: TestIssuerAlgorithm): Promise<IssuerKey> {
    const { privateKey, publicKey } = await generateKeyPairFor(alg);
    const kid = `${alg.toLowerCase()}-${randomUUID().slice(0, 8)}`;
    const publicJwk = { ...(publicKey.export({ format: 'jwk' }) as JWK), kid, alg, use: 'sig' };
    const key: IssuerKey = { kid, alg, privateKey, publicKey, publicJwk };
    this.keys.push(key);
    this.signingKeys.set(alg, key);
    return key;
  }

  private async handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const url = (req.url ?? '').split('?')[0];
    let body: unknown;
    let status = 200;
    if (url === `${path}/jwks`) {
      this.jwksRequests++;
      body = this.jwks();
    } else if (url === `${path}/.well-known/openid-configuration`) {
      this.discoveryRequests++;
      body = {
        issuer: this.issuer,
        jwks_uri: this.jwksUri,
        introspection_endpoint: this.introspectionEndpoint,
        introspection_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
        id_token_signing_alg_values_supported: [...this.signingKeys.keys()],
      };
    } else if (url === `${path}/introspect`) {
      ({ status, body } = await this.introspection.answer(req).catch(() => ({ status: 400, body: { error: 'invalid_request' } })));
    } else {
      res.writeHead(404).end();
      return;
    }
    const send = () => {
      if (this.down) res.writeHead(503, { 'content-type': 'text/plain' }).end('down');
      else res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
    };
    if (this.delayMs <= 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this.pending.delete(timer);
      send();
    }, this.delayMs);
    this.pending.add(timer);
  }
}
