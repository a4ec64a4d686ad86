import { requestEventFields } from '../../audit/request-event.js';
import type { SecurityEvents } from '../../audit/security-events.service.js';
import type { Authenticator } from '../../core/authenticator.js';
import type { Principal } from '../../core/principal.js';
import type { RequestContext } from '../../core/request-context.js';
import { InvalidRequestException, InvalidTokenException } from '../../errors/bastion.exception.js';
import { issuerSchemes } from '../../openapi/issuer-schemes.js';
import type { DescribesOpenApi, OpenApiScheme, OpenApiSchemeOptions } from '../../openapi/security-requirements.js';
import { assertToken68, bearerCandidate, extractBearerToken, isBearerPresented } from '../bearer-token.js';
import { principalOf, type MappedIdentity } from '../jwt/claims-principal.js';
import { claimedSubject } from '../jwt/compact-jws.js';
import { JwtRejection } from '../jwt/jwt-errors.js';
import type { AccessTokenCredential, AccessTokenVerifier } from './access-token-verifier.js';

const BEARER_HEADER = /^bearer +(\S+)$/i;

/** The header token, when readable without judging it: routing only (`extractBearerToken` is the strict read). */
function peekBearer(ctx: RequestContext): string | undefined {
  const header = ctx.headerLines('authorization')[0];
  return header === undefined ? undefined : BEARER_HEADER.exec(header)?.[1];
}

/**
 * `Authorization: Bearer` authenticator over the trust list. Two instances exist, one per credential
 * (`jwt`, `introspection`), so boundaries can accept either; each claims the requests whose token shape
 * routes to it (a compact JWS → `jwt`, anything else → `introspection`) and verifies through
 * {@link AccessTokenVerifier}. Every rejection is the same `InvalidTokenException` (401 `invalid_token`)
 * with the precise reason for the audit log; a token accepted inside a legacy window is audited as such.
 */
export class BearerAuthenticator implements Authenticator, DescribesOpenApi {
  constructor(
    readonly credential: AccessTokenCredential,
    protected readonly verifier: AccessTokenVerifier,
    protected readonly events?: SecurityEvents,
  ) {}

  isPresented(ctx: RequestContext): boolean {
    if (!isBearerPresented(ctx)) return false;
    // With one verifier configured, the token's shape decides nothing: not read here.
    return (this.verifier.onlyCredential ?? this.verifier.credentialOf(peekBearer(ctx))) === this.credential;
  }

  /**
   * Synchronous when the verified-token cache answers (a reused JWT): no promise on that path, and the
   * token68 check is left to the verifier's cache miss (a cached token is a compact JWS, so token68).
   */
  authenticate(ctx: RequestContext): Principal | Promise<Principal> {
    const jwt = this.credential === 'jwt' ? this.verifier.jwt : null;
    const token = jwt ? bearerCandidate(ctx) : extractBearerToken(ctx);
    if (token === undefined) throw new InvalidTokenException('ERR_CREDENTIAL_MISSING');
    let identity: MappedIdentity | Promise<MappedIdentity>;
    try {
      identity = jwt ? jwt.verifyNow(token, assertToken68) : this.verifier.verifyAs(this.credential, token);
    } catch (error) {
      throw this.rejection(error, token);
    }
    if (identity instanceof Promise) {
      return identity.then(
        (verified) => this.accepted(ctx, verified),
        (error: unknown) => {
          throw this.rejection(error, token);
        },
      );
    }
    return this.accepted(ctx, identity);
  }

  /** One scheme per issuer whose tokens this credential verifies (`openIdConnect`, `oauth2` or plain bearer). */
  openApiSchemes(options: OpenApiSchemeOptions = {}): readonly OpenApiScheme[] {
    const configs = this.verifier.configs;
    const byIssuer = issuerSchemes(configs, options.issuers);
    const mine = configs.filter((c) => (this.credential === 'jwt' ? c.source !== undefined : c.introspection !== undefined));
    return mine.map((c) => byIssuer.get(c.issuer)!);
  }

  private rejection(error: unknown, token: string): InvalidTokenException | InvalidRequestException {
    // A malformed header (`assertToken68`, run by the verifier on a cache miss) stays a 400.
    if (error instanceof InvalidRequestException) return error;
    const rejection = error instanceof JwtRejection ? error : new JwtRejection('ERR_SIGNATURE_INVALID', 'verifier error', { cause: error });
    const exception = new InvalidTokenException(rejection.reason, rejection);
    // Unverified, for per-identity failure counting only; never used as an identity.
    const subject = this.credential === 'jwt' ? claimedSubject(token) : undefined;
    if (subject !== undefined) Object.assign(exception, { claimed: { subject } });
    return exception;
  }

  private accepted(ctx: RequestContext, identity: MappedIdentity): Principal {
    if (identity.legacy) this.auditLegacy(ctx, identity);
    return principalOf(identity, this.credential);
  }

  /** One event per acceptance inside a legacy window, so operators see the window drain. */
  private auditLegacy(ctx: RequestContext, identity: MappedIdentity): void {
    this.events?.emit({
      type: 'token.legacy_accepted',
      outcome: 'info',
      reason: 'ERR_LEGACY_CLAIMS_MISSING',
      ...requestEventFields(ctx),
      principal: { subject: identity.subject, clientId: identity.clientId, credential: this.credential, keyId: identity.tokenId },
      details: { issuer: identity.issuer, missing: identity.legacy },
    });
  }
}
