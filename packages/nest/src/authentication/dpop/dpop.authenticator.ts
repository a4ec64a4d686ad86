import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import { BastionException, InvalidRequestException, InvalidTokenException } from '../../errors/bastion.exception.js';
import { macEquals } from '../../keys/hmac-key-ring.js';
import type { DescribesOpenApi, OpenApiScheme } from '../../openapi/security-requirements.js';
import type { VerifiedAccessToken } from '../issuers/access-token-verifier.js';
import { claimedSubject } from '../jwt/compact-jws.js';
import { JwtRejection } from '../jwt/jwt-errors.js';
import { addResponseHeader } from '../response-headers.js';
import type { DpopConfig } from './dpop-config.js';
import { DpopRejection, rejectDpop } from './dpop-errors.js';
import { routeDpopMode } from './dpop-mode.js';
import type { DpopNonces } from './dpop-nonces.js';
import { dpopPrincipal } from './dpop-principal.js';
import { verifyDpopProof, type VerifiedProof } from './dpop-proof.js';
import { proofReplayKey } from './dpop-replay.js';
import { dpopRequestOf, usesDpopScheme, type DpopRequest } from './dpop-request.js';
import { requestHtus } from './htu.js';

/** RFC 9449 §7.1: `DPoP` followed by one or more spaces and a token68. */
const DPOP_CREDENTIALS = /^dpop +([A-Za-z0-9\-._~+/]+=*)$/i;

/** What the DPoP authenticator needs from the rest of Bastion (wired in `sender-constraint.providers.ts`). */
export interface DpopAuthenticatorDeps {
  /** Verifies the access token against the trust list (JWT or introspection); rejects with `JwtRejection`. */
  verifyToken(token: string): Promise<VerifiedAccessToken>;
  /** Records a proof's replay key until `ttlMs` from now: `true` the first time (`rememberOnce` on the security state). */
  rememberOnce(key: string, ttlMs: number): Promise<boolean>;
  /** Server nonces, when `dpop.nonce` is on. */
  nonces?: DpopNonces;
}

/**
 * The DPoP authenticator (RFC 9449): `Authorization: DPoP <token>` with one `DPoP` proof header. The proof
 * is checked (§4.3), then the nonce when nonces are on (§9), then the access token against the trust list
 * (a JWT, or an opaque token by introspection), then the binding (`cnf.jkt` = the proof key's
 * thumbprint, §6), and last the proof's `jti` is recorded (replays refused) — last, so only a caller
 * holding a valid bound token can add replay records.
 */
export class DpopAuthenticator implements Authenticator, DescribesOpenApi {
  readonly credential = 'dpop' as const;

  constructor(
    private readonly config: DpopConfig,
    private readonly deps: DpopAuthenticatorDeps,
  ) {}

  isPresented(ctx: RequestContext): boolean {
    return usesDpopScheme(ctx);
  }

  async authenticate(ctx: RequestContext): Promise<Principal> {
    const request = dpopRequestOf(ctx);
    if (routeDpopMode(ctx, this.config) === 'disabled') throw new InvalidTokenException('ERR_DPOP_DISABLED');
    if (request.authorization.length > 1) throw new InvalidRequestException('ERR_AUTHORIZATION_REPEATED');
    const token = DPOP_CREDENTIALS.exec(request.authorization[0] ?? '')?.[1];
    if (token === undefined) throw new InvalidRequestException('ERR_DPOP_TOKEN_MALFORMED');
    try {
      return await this.verify(ctx, request, token);
    } catch (error) {
      throw await this.toException(error, token);
    }
  }

  /** RFC 9449 §7.1: the `DPoP` authentication scheme, with the proof in the `DPoP` header. */
  openApiSchemes(): readonly OpenApiScheme[] {
    return [{ name: 'dpop', scoped: false, scheme: { type: 'http', scheme: 'DPoP', description: 'DPoP-bound access token (RFC 9449) with a DPoP proof in the DPoP header' } }];
  }

  private async verify(ctx: RequestContext, request: DpopRequest, token: string): Promise<Principal> {
    if (request.proofs.length === 0) rejectDpop('ERR_DPOP_PROOF_MISSING');
    if (request.proofs.length > 1) rejectDpop('ERR_DPOP_PROOF_REPEATED');
    const origins = this.config.origins ?? (request.origin ? [request.origin] : []);
    const proof = await verifyDpopProof(request.proofs[0]!, {
      method: request.method,
      uris: requestHtus(origins, request.target),
      accessToken: token,
      algorithms: this.config.algorithms,
      now: Date.now() / 1000,
      maxAge: this.config.maxAge,
      clockTolerance: this.config.clockTolerance,
    });
    await this.checkNonce(ctx, proof);
    const verified = await this.deps.verifyToken(token);
    const cnf = verified.identity.claims.cnf as { jkt?: unknown } | undefined;
    if (typeof cnf?.jkt !== 'string') rejectDpop('ERR_DPOP_TOKEN_UNBOUND');
    if (!macEquals(cnf.jkt, proof.jkt)) rejectDpop('ERR_DPOP_BINDING_MISMATCH');
    await this.remember(proof);
    return dpopPrincipal(verified.identity, verified.credential);
  }

  /**
   * RFC 9449 §11.3: once nonces are on, every proof must carry a current one. A proof with the previous
   * period's nonce is still accepted, and its response carries the current one (§8.2), so the client's
   * next request needs no `use_dpop_nonce` round trip.
   */
  private async checkNonce(ctx: RequestContext, proof: VerifiedProof): Promise<void> {
    const nonces = this.deps.nonces;
    if (!nonces) return;
    let standing: 'current' | 'previous' | 'rejected';
    let fresh: string | undefined;
    try {
      standing = proof.nonce === undefined ? 'rejected' : await nonces.check(proof.nonce);
      if (standing === 'previous') fresh = await nonces.current();
    } catch (error) {
      rejectDpop('ERR_DPOP_NONCE_UNAVAILABLE', error);
    }
    if (standing === 'rejected') rejectDpop('ERR_DPOP_NONCE_REQUIRED');
    if (fresh !== undefined) addResponseHeader(ctx, 'DPoP-Nonce', fresh);
  }

  /** RFC 9449 §11.1: a `jti` is accepted once while its proof could be accepted at all. */
  private async remember(proof: VerifiedProof): Promise<void> {
    const acceptedUntil = (proof.iat + this.config.maxAge + this.config.clockTolerance) * 1000;
    const ttl = Math.max(1000, Math.ceil(acceptedUntil - Date.now()) + 1000);
    let first: boolean;
    try {
      first = await this.deps.rememberOnce(proofReplayKey(proof.jkt, proof.jti), ttl);
    } catch (error) {
      rejectDpop('ERR_DPOP_REPLAY_UNAVAILABLE', error);
    }
    if (!first) rejectDpop('ERR_DPOP_REPLAYED');
  }

  /** The HTTP answer of a rejection: one 401 per RFC 9449 §7.1 error, or 400 `invalid_request`. */
  private async toException(error: unknown, token: string): Promise<BastionException> {
    let exception: BastionException;
    if (error instanceof JwtRejection) exception = new InvalidTokenException(error.reason, error);
    else if (!(error instanceof DpopRejection)) exception = new InvalidTokenException('ERR_DPOP_PROOF_INVALID', error);
    else if (error.kind === 'request') exception = new InvalidRequestException(error.reason);
    else if (error.kind === 'token') exception = new InvalidTokenException(error.reason, error);
    else if (error.kind === 'proof') exception = new BastionException('ERR_INVALID_TOKEN', { reason: error.reason, cause: error, challenge: { error: 'invalid_dpop_proof' } });
    else {
      const nonce = await this.deps.nonces!.current().catch(() => undefined);
      exception = nonce
        ? new BastionException('ERR_DPOP_NONCE_REQUIRED', { reason: error.reason, challenge: { error: 'use_dpop_nonce' }, headers: { 'DPoP-Nonce': nonce } })
        : new InvalidTokenException('ERR_DPOP_NONCE_UNAVAILABLE');
    }
    // Unverified, for per-identity failure counting only (as for bearer tokens); never an identity.
    const subject = claimedSubject(token);
    if (subject !== undefined) Object.assign(exception, { claimed: { subject, credential: 'dpop' } });
    return exception;
  }
}
