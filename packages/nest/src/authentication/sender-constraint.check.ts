import { Inject, Injectable } from '@nestjs/common';
import { SecurityEvents } from '../audit/security-events.service.js';
import { BASTION_OPTIONS } from '../core/constants.js';
import { requestIdOf, requestPathOf, clientIpOf, type BastionRequest } from '../core/http-request.js';
import { isTokenCredential, type Principal } from '../core/principal.js';
import { isPlainObject } from '../options/assert.js';
import type { BastionOptions } from '../options/bastion-options.interface.js';
import type { PrincipalCheck } from '../revocation/principal-check.js';
import { reject } from '../revocation/token-checks.js';
import { routeDpopMode } from './dpop/dpop-mode.js';
import { certificateBindingViolation } from './mtls/certificate-binding.js';
import { clientCertificateOf } from './mtls/client-certificate.js';
import { mtlsConfigOf } from './mtls/mtls-config.js';

/** Confirmation methods (RFC 7800 `cnf` members) Bastion can check. */
const CHECKED_CONFIRMATIONS = new Set(['jkt', 'x5t#S256']);

/**
 * Sender-constrained tokens, checked on every token principal after verification:
 * - a token bound to a key (`cnf`, RFC 7800) by a method Bastion cannot check is refused, not taken as bearer;
 * - a DPoP-bound token (`cnf.jkt`) is accepted only with its proof, never as `Bearer` (RFC 9449 §7.2);
 * - a bearer token is refused on a route whose DPoP mode is `required`;
 * - a certificate-bound token (`cnf.x5t#S256`) only over a connection presenting that certificate (RFC 8705 §3).
 * Each refusal is the uniform 401 `invalid_token` with its own audit reason.
 */
@Injectable()
export class SenderConstraintCheck implements PrincipalCheck {
  constructor(
    @Inject(BASTION_OPTIONS) private readonly options: BastionOptions,
    private readonly events: SecurityEvents,
  ) {}

  async check(principal: Principal, req: BastionRequest): Promise<void> {
    if (!isTokenCredential(principal.credential)) return;
    const cnf = principal.claims.cnf;
    if (cnf !== undefined) {
      if (!isPlainObject(cnf) || Object.keys(cnf).some((method) => !CHECKED_CONFIRMATIONS.has(method))) reject('ERR_CONFIRMATION_UNSUPPORTED', principal);
      if (cnf.jkt !== undefined && principal.credential !== 'dpop') reject('ERR_DPOP_BOUND_AS_BEARER', principal);
      if (cnf['x5t#S256'] !== undefined) {
        const evidence = clientCertificateOf(req, mtlsConfigOf(this.options), (header) => certificateHeaderIgnored(this.events, req, header));
        const violation = certificateBindingViolation(cnf['x5t#S256'], evidence);
        if (violation) reject(violation, principal);
      }
    }
    if (principal.credential !== 'dpop' && routeDpopMode(req, this.options) === 'required') reject('ERR_DPOP_REQUIRED', principal);
  }
}

/**
 * Records that a client-certificate header came from a peer that is not a trusted proxy and was ignored
 * (an `info` event: the request goes on as if the header were absent).
 */
export function certificateHeaderIgnored(events: SecurityEvents, req: BastionRequest, header: string): void {
  events.emit({
    type: 'credential.ignored',
    outcome: 'info',
    reason: 'ERR_CERTIFICATE_HEADER_UNTRUSTED',
    requestId: requestIdOf(req),
    method: req.method,
    route: requestPathOf(req),
    ip: clientIpOf(req),
    details: { header },
  });
}
