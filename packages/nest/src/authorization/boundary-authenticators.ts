import type { ExecutionContext } from '@nestjs/common';
import type { SecurityEvents } from '../audit/security-events.service.js';
import type { Authenticator } from '../core/authenticator.js';
import { remoteAddressOf, requestIdOf, requestPathOf, type BastionRequest } from '../core/http-request.js';
import { BastionException } from '../errors/bastion.exception.js';
import type { CredentialWay } from '../authentication/credential-combinations.js';
import { credentialTypesOf, effectiveBoundary, type BoundaryConfig } from './boundaries.js';
import { routeBoundaryName } from './route-decision.js';

/**
 * The authenticators a route's trust boundary accepts. A credential of a type the boundary does not
 * accept is refused with 403 `ERR_BOUNDARY_DENIED` before it is verified: it is the wrong kind of
 * credential for this route whatever its validity (a valid user JWT never reaches an internal route),
 * re-authenticating with it cannot help (so not 401), and not verifying it spends no work on it.
 */
export function authenticatorsInBoundary(
  authenticators: Authenticator[],
  config: BoundaryConfig,
  context: ExecutionContext,
  req: BastionRequest,
  events: SecurityEvents,
): Authenticator[] {
  let boundary;
  try {
    boundary = effectiveBoundary(config, routeBoundaryName(context.getHandler(), context.getClass()));
  } catch {
    // Unknown names stop the app at boot; fail closed should one slip through.
    throw new BastionException('ERR_BOUNDARY_DENIED', { reason: 'ERR_BOUNDARY_UNKNOWN' });
  }
  if (!boundary) return authenticators;
  const types = credentialTypesOf(boundary.options.accept);
  const accepted = authenticators.filter((a) => types.includes(a.credential));
  const refused = authenticators.find((a) => !accepted.includes(a) && a.isPresented(req));
  if (refused) {
    events.emit({
      type: 'authorization.denied',
      outcome: 'denied',
      reason: 'ERR_BOUNDARY_DENIED',
      requestId: requestIdOf(req),
      method: req.method,
      route: requestPathOf(req),
      ip: remoteAddressOf(req),
      details: { boundary: boundary.name, credential: refused.credential },
    });
    throw new BastionException('ERR_BOUNDARY_DENIED', { reason: 'ERR_BOUNDARY_DENIED' });
  }
  return accepted;
}

/** The ways into a route (its boundary's `accept`), or `'any'` when no boundary applies. */
export function waysIntoRoute(config: BoundaryConfig, context: ExecutionContext): readonly CredentialWay[] | 'any' {
  try {
    return effectiveBoundary(config, routeBoundaryName(context.getHandler(), context.getClass()))?.options.accept ?? 'any';
  } catch {
    // authenticatorsInBoundary has already refused an unknown boundary.
    return [];
  }
}
