import { Inject, Injectable } from '@nestjs/common';
import { requestEventFields } from '../audit/request-event.js';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_CONFIG, type BastionConfig } from '../core/bastion-config.js';
import { isTokenCredential, type Principal } from '../core/principal.js';
import type { RequestContext } from '../core/request-context.js';
import { isPlainObject } from '../options/assert.js';
import type { PrincipalCheck } from '../revocation/principal-check.js';
import { reject } from '../revocation/token-checks.js';
import { routeDpopMode } from './dpop/dpop-mode.js';
import { certificateBindingViolation } from './mtls/certificate-binding.js';
import { clientCertificateOf } from './mtls/client-certificate.js';

/** Confirmation methods (RFC 7800 `cnf` members) Bastion can check. */
const CHECKED_CONFIRMATIONS = new Set(['jkt', 'x5t#S256']);

/**
 * True when a verified token says it is DPoP-bound: a key thumbprint in `cnf.jkt` (RFC 9449 §6.1), or —
 * from introspection — `token_type: DPoP` (§6.2), which the issuer may report with or without `cnf`.
 */
function isDpopBound(claims: Readonly<Record<string, unknown>>, cnf: unknown): boolean {
  const tokenType = claims.token_type;
  return (isPlainObject(cnf) && cnf.jkt !== undefined) || (typeof tokenType === 'string' && tokenType.toLowerCase() === 'dpop');
}

/**
 * Sender-constrained tokens, checked on every token principal after verification, whatever is configured:
 * - a token bound to a key (`cnf`, RFC 7800) by a method Bastion cannot check is refused, not taken as bearer;
 * - a DPoP-bound token (JWT with `cnf.jkt`, or an introspected one with `cnf.jkt` or `token_type: DPoP`) is
 *   accepted only with its proof, never as `Bearer` (RFC 9449 §7.2);
 * - a bearer token is refused on a route whose DPoP mode is `required`;
 * - a certificate-bound token (`cnf.x5t#S256`) only over a connection presenting that certificate (RFC 8705 §3).
 * Each refusal is the uniform 401 `invalid_token` with its own audit reason.
 */
@Injectable()
export class SenderConstraintCheck implements PrincipalCheck {
  constructor(
    @Inject(BASTION_CONFIG) private readonly config: BastionConfig,
    private readonly events: SecurityEvents,
  ) {}

  check(principal: Principal, ctx: RequestContext): void {
    if (!isTokenCredential(principal.credential)) return;
    const cnf = principal.claims.cnf;
    if (cnf !== undefined && (!isPlainObject(cnf) || Object.keys(cnf).some((method) => !CHECKED_CONFIRMATIONS.has(method)))) reject('ERR_CONFIRMATION_UNSUPPORTED', principal);
    if (principal.credential !== 'dpop' && isDpopBound(principal.claims, cnf)) reject('ERR_DPOP_BOUND_AS_BEARER', principal);
    if (isPlainObject(cnf) && cnf['x5t#S256'] !== undefined) {
      const evidence = clientCertificateOf(ctx, this.config.mtls, (header) => certificateHeaderIgnored(this.events, ctx, header));
      const violation = certificateBindingViolation(cnf['x5t#S256'], evidence);
      if (violation) reject(violation, principal);
    }
    if (principal.credential !== 'dpop' && routeDpopMode(ctx, this.config.dpop) === 'required') reject('ERR_DPOP_REQUIRED', principal);
  }
}

/**
 * Records that a client-certificate header came from a peer that is not a trusted proxy and was ignored
 * (an `info` event: the request goes on as if the header were absent).
 */
export function certificateHeaderIgnored(events: SecurityEvents, ctx: RequestContext, header: string): void {
  events.emit({ type: 'credential.ignored', outcome: 'info', reason: 'ERR_CERTIFICATE_HEADER_UNTRUSTED', ...requestEventFields(ctx), details: { header } });
}
