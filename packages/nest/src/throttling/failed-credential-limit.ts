import type { ExecutionContext } from '@nestjs/common';
import type { BastionException } from '../errors/bastion.exception.js';

/**
 * Port (internal): counts a request whose credential was rejected against its client's anonymous
 * budget. Resolves to the answer to give instead of the 401 once that budget is spent (429, or 503 when
 * the store is down and `failMode` is `'closed'`); emits no event (the authentication guard records
 * the request's one event).
 */
export interface FailedCredentialLimit {
  chargeFailedCredential(context: ExecutionContext): Promise<BastionException | undefined>;
}

/** Injection token of the {@link FailedCredentialLimit} (the throttler guard). */
export const FAILED_CREDENTIAL_LIMIT = Symbol('BASTION_FAILED_CREDENTIAL_LIMIT');
