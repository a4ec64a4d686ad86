import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, type JWK } from 'jose';
import { BastionConfigError, assertNonEmptyString, assertOneOf } from '../options/assert.js';

/** How Bastion authenticates itself as an OAuth client (RFC 6749 §2.3, RFC 7523 §2.2 / OIDC Core §9). */
export type ClientAuthMethod = 'client_secret_basic' | 'client_secret_post' | 'private_key_jwt';

/**
 * Client credentials for calls to an authorization server (token endpoint, introspection endpoint).
 *
 * @example
 * ```ts
 * { clientId: 'orders-api', clientSecret: process.env.CLIENT_SECRET }                       // client_secret_basic
 * { clientId: 'orders-api', privateKey: process.env.CLIENT_KEY_PEM, keyId: 'orders-1' }    // private_key_jwt
 * ```
 */
export interface ClientAuthOptions {
  /** The client id registered at the authorization server. Required. */
  clientId: string;
  /**
   * `client_secret_basic` (HTTP Basic), `client_secret_post` (form fields) or `private_key_jwt` (a signed
   * assertion, RFC 7523). Default: `private_key_jwt` when `privateKey` is set, else `client_secret_basic`.
   */
  authMethod?: ClientAuthMethod;
  /** Client secret (at least 16 characters) for the `client_secret_*` methods. Never logged. */
  clientSecret?: string;
  /** Signing key of `private_key_jwt`: a PKCS#8/PKCS#1/SEC1 PEM, a private JWK, or a private `KeyObject`. */
  privateKey?: string | JWK | KeyObject;
  /** JWS algorithm of the assertion. Default by key: `RS256` (RSA), `ES256`/`ES384`/`ES512` (EC), `EdDSA`. */
  algorithm?: string;
  /** `kid` header of the assertion (the key's id in the client's registered JWKS). */
  keyId?: string;
  /** `aud` of the assertion. Default: the issuer identifier when known, else the endpoint URL called. */
  assertionAudience?: string;
}

/** Validated client authentication, ready to add to a request. */
export interface ClientAuth {
  readonly clientId: string;
  readonly method: ClientAuthMethod;
  /** Adds the credentials to a form request to `endpoint` (headers and/or form fields). */
  apply(request: { form: URLSearchParams; headers: Record<string, string> }, endpoint: string, issuer: string | undefined, nowMs: number): Promise<void>;
}

/** Shortest client secret accepted: anything shorter can be guessed offline from one captured request. */
const MIN_SECRET_LENGTH = 16;
const SIGNING_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const EC_ALG: Record<string, string> = { prime256v1: 'ES256', secp384r1: 'ES384', secp521r1: 'ES512' };
/** Lifetime of a client assertion, in seconds: short, and unique by `jti` (RFC 7523 §3). */
const ASSERTION_LIFETIME = 60;

function importPrivateKey(value: unknown, path: string): KeyObject {
  let key: KeyObject;
  try {
    if (typeof value === 'object' && value !== null && (value as KeyObject).type !== undefined && typeof (value as KeyObject).export === 'function') key = value as KeyObject;
    else if (typeof value === 'string') key = createPrivateKey(value);
    else key = createPrivateKey({ key: value as never, format: 'jwk' });
  } catch {
    // Never echo the value: it is a private key.
    throw new BastionConfigError(path, 'must be a private key (PEM, private JWK or KeyObject)');
  }
  if (key.type !== 'private') throw new BastionConfigError(path, 'must be a private key (PEM, private JWK or KeyObject)');
  if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new BastionConfigError(path, 'must be an RSA key of at least 2048 bits');
  return key;
}

function defaultAlgorithm(key: KeyObject, path: string): string {
  const type = key.asymmetricKeyType;
  if (type === 'rsa') return 'RS256';
  if (type === 'ec') {
    const alg = EC_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''];
    if (alg) return alg;
  }
  if (type === 'ed25519' || type === 'ed448') return 'EdDSA';
  throw new BastionConfigError(path, `is a ${type ?? 'unknown'} key; use RSA, EC P-256/384/521 or Ed25519`);
}

/** RFC 7518 §3.1: the key type each algorithm needs. */
function algorithmFits(alg: string, key: KeyObject): boolean {
  const type = key.asymmetricKeyType;
  if (alg.startsWith('RS') || alg.startsWith('PS')) return type === 'rsa';
  if (alg.startsWith('ES')) return type === 'ec' && EC_ALG[key.asymmetricKeyDetails?.namedCurve ?? ''] === alg;
  return type === 'ed25519' || type === 'ed448';
}

/** RFC 6749 §2.3.1: id and secret are form-urlencoded before they are joined and base64-encoded. */
function formEncode(value: string): string {
  return new URLSearchParams([['', value]]).toString().slice(1);
}

/**
 * Validates client authentication options at boot (`path` names them in errors) and returns the
 * object that adds them to requests. Secrets and keys never appear in an error message.
 */
export function resolveClientAuth(options: ClientAuthOptions, path: string): ClientAuth {
  assertNonEmptyString(options.clientId, `${path}.clientId`);
  const method = options.authMethod ?? (options.privateKey !== undefined ? 'private_key_jwt' : 'client_secret_basic');
  assertOneOf(method, ['client_secret_basic', 'client_secret_post', 'private_key_jwt'], `${path}.authMethod`);
  const clientId = options.clientId;
  if (method !== 'private_key_jwt') {
    if (options.privateKey !== undefined) throw new BastionConfigError(`${path}.privateKey`, `cannot be used with "${method}"`);
    const secret = options.clientSecret;
    if (typeof secret !== 'string' || secret.length < MIN_SECRET_LENGTH) throw new BastionConfigError(`${path}.clientSecret`, `must be a string of at least ${MIN_SECRET_LENGTH} characters`);
    return {
      clientId,
      method,
      apply: async ({ form, headers }) => {
        if (method === 'client_secret_basic') headers.authorization = `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(secret)}`).toString('base64')}`;
        else {
          form.set('client_id', clientId);
          form.set('client_secret', secret);
        }
      },
    };
  }
  if (options.clientSecret !== undefined) throw new BastionConfigError(`${path}.clientSecret`, 'cannot be used with "private_key_jwt"');
  if (options.privateKey === undefined) throw new BastionConfigError(`${path}.privateKey`, 'is required for "private_key_jwt"');
  const key = importPrivateKey(options.privateKey, `${path}.privateKey`);
  const alg = options.algorithm ?? defaultAlgorithm(key, `${path}.privateKey`);
  if (!SIGNING_ALGORITHMS.includes(alg)) throw new BastionConfigError(`${path}.algorithm`, `must be one of ${SIGNING_ALGORITHMS.join(', ')}`);
  if (!algorithmFits(alg, key)) throw new BastionConfigError(`${path}.algorithm`, `"${alg}" does not fit the ${key.asymmetricKeyType} private key`);
  if (options.keyId !== undefined) assertNonEmptyString(options.keyId, `${path}.keyId`);
  if (options.assertionAudience !== undefined) assertNonEmptyString(options.assertionAudience, `${path}.assertionAudience`);
  return {
    clientId,
    method,
    apply: async ({ form }, endpoint, issuer, nowMs) => {
      const now = Math.floor(nowMs / 1000);
      // RFC 7523 §3: iss = sub = client id, aud = the authorization server, short exp, unique jti.
      const assertion = await new SignJWT({})
        .setProtectedHeader({ alg, ...(options.keyId ? { kid: options.keyId } : {}) })
        .setIssuer(clientId)
        .setSubject(clientId)
        .setAudience(options.assertionAudience ?? issuer ?? endpoint)
        .setJti(randomUUID())
        .setIssuedAt(now)
        .setExpirationTime(now + ASSERTION_LIFETIME)
        .sign(key);
      form.set('client_id', clientId);
      form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      form.set('client_assertion', assertion);
    },
  };
}
