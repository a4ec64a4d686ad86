import type { OpenApiScheme, OpenApiSchemeOptions, OpenApiTarget } from '../openapi/security-requirements.js';
import type { CredentialType, Principal } from './principal.js';
import type { RequestContext } from './request-context.js';

/**
 * One way of authenticating a request (bearer JWT, API key, signature, mTLS, a Passport strategy, your
 * own). The authentication guard asks every authenticator the route's boundary accepts whether its
 * credential is present, refuses a request that presents two, and lets the one that matches verify it.
 * Framework-free: it reads the {@link RequestContext}, never the transport's request directly.
 *
 * @example
 * ```ts
 * @Injectable()
 * export class PartnerTokenAuthenticator implements Authenticator {
 *   readonly credential = 'partner-token';
 *   constructor(private readonly partners: PartnersService) {}
 *   isPresented(ctx: RequestContext) { return ctx.header('x-partner-token') !== undefined; }
 *   async authenticate(ctx: RequestContext): Promise<Principal> {
 *     const partner = await this.partners.verify(ctx.header('x-partner-token')!);
 *     if (!partner) throw new InvalidTokenException('ERR_PARTNER_TOKEN_UNKNOWN');
 *     return { subject: partner.id, scopes: new Set(partner.scopes), roles: new Set(), credential: 'partner-token', claims: {} };
 *   }
 * }
 * ```
 */
export interface Authenticator {
  /** The credential type it verifies: a built-in name or your own (`'partner-token'`); one authenticator per name. */
  readonly credential: CredentialType;
  /** True when the request carries this kind of credential at all, even malformed. Must be cheap and never throw. */
  isPresented(ctx: RequestContext): boolean;
  /**
   * Verifies the credential. Throws a `BastionException` to reject — `InvalidTokenException(reason)` for
   * the uniform 401 (the reason goes to the audit log only), `InvalidRequestException` for a malformed
   * request; anything else thrown is the same uniform 401 with reason `ERR_AUTHENTICATOR_FAILED`.
   * May answer synchronously (a principal, not a promise) when nothing needs waiting for.
   */
  authenticate(ctx: RequestContext): Principal | Promise<Principal>;
  /**
   * How the OpenAPI document describes this credential (`DescribesOpenApi`); `document` tells which
   * OpenAPI version the schemes go into. Built-ins have it; without it (or with an empty list) a
   * credential is named under the operation's `x-bastion.credentials`.
   */
  openApiSchemes?(options?: OpenApiSchemeOptions, document?: OpenApiTarget): readonly OpenApiScheme[];
}

/** Injection token (internal): the built-in authenticators enabled by configuration. */
export const AUTHENTICATORS = Symbol('BASTION_AUTHENTICATORS');
