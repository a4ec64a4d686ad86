import { requestEventFields } from '../audit/request-event.js';
import type { SecurityEvents } from '../audit/security-events.service.js';
import type { RequestContext } from '../core/request-context.js';
import { BastionException, type BastionExceptionOptions } from '../errors/bastion.exception.js';
import type { ErrorCode } from '../errors/error-codes.js';
import type { Policy } from './policy.js';
import type { ResolvedRoute } from './resolved-route.js';

/** What is known about one denial: the public code, the audit reason and the operator-facing detail. */
export interface Denial {
  code: ErrorCode;
  detail: string;
  /** Audit reason; defaults to `code` (a policy answering 404 is still logged as `ERR_POLICY_DENIED`). */
  reason?: string;
  exception?: BastionExceptionOptions;
}

/** Emits `authorization.denied` with the precise reason, then throws the public error. */
export function deny(events: SecurityEvents, ctx: RequestContext, route: ResolvedRoute, denial: Denial): never {
  const reason = denial.reason ?? denial.code;
  events.emit({
    type: 'authorization.denied',
    outcome: 'denied',
    reason,
    ...requestEventFields(ctx),
    details: { handler: route.name, detail: denial.detail, boundary: route.boundary?.name },
  });
  throw new BastionException(denial.code, { ...denial.exception, reason });
}

/** The denial of a policy: 404 `ERR_NOT_FOUND` when it hides existence, else 403 `ERR_POLICY_DENIED`. */
export function policyDenial(policy: Policy): Denial {
  return {
    code: policy.onDeny === 'not-found' ? 'ERR_NOT_FOUND' : 'ERR_POLICY_DENIED',
    reason: 'ERR_POLICY_DENIED',
    detail: `policy ${policy.constructor.name} denied`,
  };
}
