import type { SecurityEvents } from '../../audit/security-events.service.js';
import type { Authenticator } from '../../core/authenticator.js';
import { clientIpOf, rawHeaderValues, requestIdOf, requestPathOf, type BastionRequest } from '../../core/http-request.js';
import type { Principal } from '../../core/principal.js';
import { InvalidTokenException } from '../../errors/bastion.exception.js';
import { extractBearerToken, isBearerPresented } from '../bearer-token.js';
import { principalOf, type MappedIdentity } from '../jwt/claims-principal.js';
import { claimedSubject } from '../jwt/compact-jws.js';
import { JwtRejection } from '../jwt/jwt-errors.js';
import type { AccessTokenCredential, AccessTokenVerifier } from './access-token-verifier.js';

/** What a bearer authenticator reads from a request: the only place it touches the request. */
interface BearerRequest {
  /** True when a bearer token is presented in any form (header, query, form body), even malformed. */
  presented: boolean;
  /** The header token, when readable without judging it (routing only; `token()` is the strict read). */
  peek: string | undefined;
  /** The token, strictly (RFC 6750 §2.1); throws the 400 `invalid_request` exceptions. */
  token(): string | undefined;
}

function readBearer(req: BastionRequest): BearerRequest {
  const header = rawHeaderValues(req, 'authorization')[0] ?? (typeof req.headers.authorization === 'string' ? req.headers.authorization : undefined);
  const match = header === undefined ? null : /^bearer +(\S+)$/i.exec(header);
  return { presented: isBearerPresented(req), peek: match?.[1], token: () => extractBearerToken(req) };
}

/**
 * `Authorization: Bearer` authenticator over the trust list. Two instances exist, one per credential
 * (`jwt`, `introspection`), so boundaries can accept either; each claims the requests whose token shape
 * routes to it (a compact JWS → `jwt`, anything else → `introspection`) and verifies through
 * {@link AccessTokenVerifier}. Every rejection is the same `InvalidTokenException` (401 `invalid_token`)
 * with the precise reason for the audit log; a token accepted inside a legacy window is audited as such.
 */
export class BearerAuthenticator implements Authenticator {
  constructor(
    readonly credential: AccessTokenCredential,
    protected readonly verifier: AccessTokenVerifier,
    protected readonly events?: SecurityEvents,
  ) {}

  isPresented(req: BastionRequest): boolean {
    const bearer = readBearer(req);
    return bearer.presented && this.verifier.credentialOf(bearer.peek) === this.credential;
  }

  async authenticate(req: BastionRequest): Promise<Principal> {
    const token = readBearer(req).token();
    if (token === undefined) throw new InvalidTokenException('ERR_CREDENTIAL_MISSING');
    let identity: MappedIdentity;
    try {
      identity = await this.verifier.verifyAs(this.credential, token);
    } catch (error) {
      throw this.rejection(error, token);
    }
    if (identity.legacy) this.auditLegacy(req, identity);
    return principalOf(identity, this.credential);
  }

  private rejection(error: unknown, token: string): InvalidTokenException {
    const rejection = error instanceof JwtRejection ? error : new JwtRejection('ERR_SIGNATURE_INVALID', 'verifier error', { cause: error });
    const exception = new InvalidTokenException(rejection.reason, rejection);
    // Unverified, for per-identity failure counting only; never used as an identity.
    const subject = this.credential === 'jwt' ? claimedSubject(token) : undefined;
    if (subject !== undefined) Object.assign(exception, { claimed: { subject } });
    return exception;
  }

  /** One event per acceptance inside a legacy window, so operators see the window drain. */
  private auditLegacy(req: BastionRequest, identity: MappedIdentity): void {
    this.events?.emit({
      type: 'token.legacy_accepted',
      outcome: 'info',
      reason: 'ERR_LEGACY_CLAIMS_MISSING',
      requestId: requestIdOf(req),
      method: req.method,
      route: requestPathOf(req),
      ip: clientIpOf(req),
      principal: { subject: identity.subject, clientId: identity.clientId, credential: this.credential, keyId: identity.tokenId },
      details: { issuer: identity.issuer, missing: identity.legacy },
    });
  }
}
