import type { PipeTransform } from '@nestjs/common';
import type { SecurityEvents } from '../audit/security-events.service.js';
import type { RequestContext } from '../core/request-context.js';
import { UnauthenticatedException } from '../errors/bastion.exception.js';
import { deny, policyDenial } from './deny.js';
import { policyContextOf } from './policy.js';
import type { ResolvedRoute } from './resolved-route.js';
import { validatedBody } from './validated-body.js';

/**
 * Runs the route's policies that declare `needsValidatedBody`, on the body after the global pipes and
 * the parameter's own (an invalid body gets their 400 before any policy runs). Nest runs pipes inside
 * the handler call, so the body is validated here once more than usual: only routes with such policies
 * pay for it.
 */
export async function enforceBodyPolicies(ctx: RequestContext, route: ResolvedRoute, globalPipes: readonly PipeTransform[], events: SecurityEvents): Promise<void> {
  const principal = ctx.principal;
  if (!principal) throw new UnauthenticatedException({ reason: 'ERR_PRINCIPAL_MISSING' });
  const body = await validatedBody(ctx.body, route.bodyParam, globalPipes);
  const policyContext = policyContextOf(ctx, principal, route.name, body);
  for (const policy of route.bodyPolicies) {
    if ((await policy.evaluate(policyContext)) !== true) deny(events, ctx, route, policyDenial(policy));
  }
}
