import { sha256 } from '../../core/sha256.js';
import { addressAllowed } from '../../net/address-list.js';
import { verifyBytes } from './algorithms.js';
import { componentId } from './components.js';
import { verifyContentDigest } from './content-digest.js';
import type { HttpMessage } from './http-message.js';
import type { SignatureConfig } from './signature-config.js';
import { signatureBase } from './signature-base.js';
import { SignatureRejection, reject } from './signature-errors.js';
import { parseSignatureHeaders, type SignatureEntry } from './signature-headers.js';
import { resolveSignatureKey, type SignatureKey, type SignatureKeySource } from './signature-keys.js';

/** What one request offers for verification. */
export interface SignedRequest {
  readonly message: HttpMessage;
  readonly signatureInput: readonly string[];
  readonly signature: readonly string[];
  /** True when the request announced a body (a `Content-Length` above 0, or `Transfer-Encoding`). */
  readonly hasBody: boolean;
  /** The body bytes as received; `undefined` when they were not captured. */
  readonly body: Uint8Array | undefined;
  /** The client address (resolved through the trusted proxies), for keys limited to addresses. */
  readonly clientIp?: string;
}

/** A verified signature: the key that made it and its parameters. */
export interface VerifiedSignature {
  readonly label: string;
  readonly key: SignatureKey;
  /** Seconds since the epoch. */
  readonly created: number;
  readonly expires: number | undefined;
  readonly nonce: string | undefined;
  readonly tag: string | undefined;
  /** Serialized identifiers of the covered components. */
  readonly covered: readonly string[];
}

/** Collaborators of {@link SignatureVerifier}. */
export interface SignatureVerifierDeps {
  /** Remembers a replay key until `ttlMs` passes; `false` when it was already remembered (see `rememberOnce`). */
  rememberOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Clock in ms. Default `Date.now`. */
  now?: () => number;
}

/** Restricts a verification to one key (a signature bound to an API key). */
export interface KeyBinding {
  readonly keyid: string;
  readonly keys: SignatureKeySource;
}

interface Params {
  keyid: string;
  created: number;
  expires: number | undefined;
  nonce: string | undefined;
  alg: string | undefined;
  tag: string | undefined;
}

const EMPTY = new Uint8Array(0);

function stringParam(entry: SignatureEntry, name: string): string | undefined {
  const value = entry.params.get(name);
  if (value !== undefined && typeof value !== 'string') reject('ERR_SIGNATURE_PARAMS', `${name} must be a string`);
  return value;
}

function intParam(entry: SignatureEntry, name: string): number | undefined {
  const value = entry.params.get(name);
  if (value !== undefined && (typeof value !== 'number' || !Number.isSafeInteger(value))) reject('ERR_SIGNATURE_PARAMS', `${name} must be an integer`);
  return value;
}

function paramsOf(entry: SignatureEntry): Params {
  const keyid = stringParam(entry, 'keyid');
  if (keyid === undefined || keyid === '') reject('ERR_KEYID_MISSING');
  const created = intParam(entry, 'created');
  if (created === undefined) reject('ERR_CREATED_MISSING', undefined, { keyId: keyid });
  return { keyid, created, expires: intParam(entry, 'expires'), nonce: stringParam(entry, 'nonce'), alg: stringParam(entry, 'alg'), tag: stringParam(entry, 'tag') };
}

/**
 * RFC 9421 §3.2 verification of a request's signature, with the checks a server needs on top: a key
 * from the key ring (its algorithm, never the message's), a bounded `created` window and `expires`,
 * required components, `Content-Digest` against the raw body (RFC 9530), and replay protection.
 * Framework-free; throws {@link SignatureRejection}.
 */
export class SignatureVerifier {
  private readonly now: () => number;

  constructor(
    readonly config: SignatureConfig,
    private readonly keys: SignatureKeySource,
    private readonly deps: SignatureVerifierDeps,
  ) {
    this.now = deps.now ?? (() => Date.now());
  }

  /** Verifies the request's signature (the one chosen by label and key id). */
  async verify(request: SignedRequest, binding?: KeyBinding): Promise<VerifiedSignature> {
    const entries = parseSignatureHeaders(request.signatureInput, request.signature, this.config.limits);
    const { entry, key, params } = await this.choose(entries, binding);
    try {
      return await this.check(request, entry, key, params);
    } catch (error) {
      if (error instanceof SignatureRejection) error.keyId ??= params.keyid;
      throw error;
    }
  }

  /** The one signature to verify: by label (if configured), tag, key binding, then by known key id. */
  private async choose(entries: SignatureEntry[], binding: KeyBinding | undefined) {
    let candidates = this.config.label === undefined ? entries : entries.filter((e) => e.label === this.config.label);
    if (candidates.length === 0) reject('ERR_SIGNATURE_MISSING', this.config.label ? `no signature labelled ${this.config.label}` : 'no signature');
    if (this.config.tag !== undefined) {
      candidates = candidates.filter((e) => e.params.get('tag') === this.config.tag);
      if (candidates.length === 0) reject('ERR_TAG_MISMATCH');
    }
    if (binding) {
      candidates = candidates.filter((e) => e.params.get('keyid') === binding.keyid);
      if (candidates.length === 0) reject('ERR_SIGNATURE_MISSING', 'no signature by the presented key', { keyId: binding.keyid });
      if (candidates.length > 1) reject('ERR_SIGNATURE_AMBIGUOUS', 'several signatures by the presented key', { keyId: binding.keyid });
    }
    const source = binding?.keys ?? this.keys;
    if (candidates.length === 1) {
      const entry = candidates[0]!;
      const params = paramsOf(entry);
      return { entry, params, key: await this.lookUp(source, params.keyid) };
    }
    // Several signatures (a proxy's and the caller's…): only one may be by a key this API knows.
    const known: { entry: SignatureEntry; params: Params; key: SignatureKey }[] = [];
    for (const entry of candidates) {
      const keyid = entry.params.get('keyid');
      if (typeof keyid !== 'string' || keyid === '') continue;
      const key = await this.lookUp(source, keyid, true);
      if (key) known.push({ entry, params: paramsOf(entry), key });
    }
    if (known.length === 0) reject('ERR_KEY_UNKNOWN', 'no signature by a known key');
    if (known.length > 1) reject('ERR_SIGNATURE_AMBIGUOUS', `${known.length} signatures by known keys`);
    return known[0]!;
  }

  private async lookUp(source: SignatureKeySource, keyid: string, optional: true): Promise<SignatureKey | undefined>;
  private async lookUp(source: SignatureKeySource, keyid: string): Promise<SignatureKey>;
  private async lookUp(source: SignatureKeySource, keyid: string, optional = false): Promise<SignatureKey | undefined> {
    let found;
    try {
      found = await source.find(keyid);
    } catch (error) {
      reject('ERR_KEY_SOURCE_UNAVAILABLE', undefined, { cause: error, keyId: keyid });
    }
    if (!found) return optional ? undefined : reject('ERR_KEY_UNKNOWN', undefined, { keyId: keyid });
    try {
      const key = resolveSignatureKey(found);
      // A source that answers with another key than the one asked for is a bug; never trust it.
      if (key.keyid !== keyid) reject('ERR_KEY_UNKNOWN', 'key source returned another keyid', { keyId: keyid });
      return key;
    } catch (error) {
      if (error instanceof SignatureRejection) throw error;
      reject('ERR_KEY_SOURCE_UNAVAILABLE', 'key source returned an unusable key', { cause: error, keyId: keyid });
    }
  }

  private async check(request: SignedRequest, entry: SignatureEntry, key: SignatureKey, p: Params): Promise<VerifiedSignature> {
    const { config } = this;
    const nowMs = this.now();
    const now = nowMs / 1000;
    if (p.created > now + config.clockTolerance) reject('ERR_SIGNATURE_FUTURE');
    if (now - p.created > config.maxAge + config.clockTolerance) reject('ERR_SIGNATURE_STALE');
    if (p.expires !== undefined && p.expires < p.created) reject('ERR_SIGNATURE_PARAMS', 'expires before created');
    if (p.expires !== undefined && now > p.expires + config.clockTolerance) reject('ERR_SIGNATURE_EXPIRED');
    if (key.revoked) reject('ERR_KEY_REVOKED');
    const notBefore = key.notBefore?.getTime();
    const notAfter = key.notAfter?.getTime();
    if (notBefore !== undefined && (nowMs < notBefore || p.created * 1000 < notBefore)) reject('ERR_KEY_NOT_YET_VALID');
    if (notAfter !== undefined && nowMs >= notAfter) reject('ERR_KEY_EXPIRED');
    if (key.allowedAddresses !== undefined && !addressAllowed(key.allowedAddresses, request.clientIp)) reject('ERR_KEY_ADDRESS');
    // RFC 9421 §3.2 step 6: the algorithm comes from the key; a message may only confirm it.
    if (p.alg !== undefined && p.alg !== key.alg) reject('ERR_ALGORITHM_MISMATCH');
    if (config.requireNonce && p.nonce === undefined) reject('ERR_NONCE_MISSING');
    const covered = entry.covered.map(componentId);
    const ids = new Set(covered);
    if (!config.required.some((set) => set.every((id) => ids.has(id)))) reject('ERR_COMPONENT_MISSING', `covered: ${covered.join(' ')}`);
    const bodyBytes = request.body ?? EMPTY;
    const hasBody = request.hasBody || bodyBytes.length > 0;
    // RFC 9421 §7.2.8: without content-digest the body is not protected at all.
    if (hasBody && !ids.has('"content-digest"')) reject('ERR_DIGEST_NOT_COVERED');
    const base = signatureBase(request.message, entry.covered, entry.params, covered, entry.signatureParams);
    if (!verifyBytes(key.alg, key.key, Buffer.from(base, 'ascii'), entry.signature)) reject('ERR_SIGNATURE_INVALID');
    const digestLines = request.message.fieldLines('content-digest');
    if (hasBody || digestLines.length > 0) {
      if (hasBody && request.body === undefined) reject('ERR_DIGEST_UNVERIFIABLE');
      verifyContentDigest(digestLines, bodyBytes);
    }
    await this.remember(key, p, entry, nowMs);
    return { label: entry.label, key, created: p.created, expires: p.expires, nonce: p.nonce, tag: p.tag, covered };
  }

  /** Replay protection: the nonce (else the signature value) is remembered until the window closes. */
  private async remember(key: SignatureKey, p: Params, entry: SignatureEntry, nowMs: number): Promise<void> {
    const tolerance = this.config.clockTolerance;
    let until = (p.created + this.config.maxAge + tolerance) * 1000;
    if (p.expires !== undefined) until = Math.min(until, (p.expires + tolerance) * 1000);
    const what = p.nonce !== undefined ? `n:${p.nonce}` : `s:${entry.signature.toString('base64')}`;
    const id = sha256(`${key.keyid}\n${what}`);
    let first: boolean;
    try {
      first = await this.deps.rememberOnce(`sig:replay:${id}`, Math.max(1_000, until - nowMs));
    } catch (error) {
      reject('ERR_REPLAY_UNAVAILABLE', undefined, { cause: error });
    }
    if (!first) reject('ERR_SIGNATURE_REPLAYED');
  }
}
